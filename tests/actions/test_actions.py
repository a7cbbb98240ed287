"""Each action, run on trackers built from events, without a server."""

from typing import Any

import pytest
from rasa_sdk.events import SlotSet

from actions.extract_facts import ActionExtractFacts
from actions.questions import (
    AskConsent,
    AskDurationDays,
    AskLegSymptoms,
    AskRedFlagScreen,
    button_payload,
)
from actions.symptom_form import ValidateSymptomForm
from actions.triage import ActionTriage
from tests.actions.conftest import make_tracker, user_message


def slot_values(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def entity(fact: str, value: Any, role: str | None = None) -> dict[str, Any]:
    found = {"entity": fact, "value": value, "extractor": "ClinicalFactExtractor"}
    if role:
        found["role"] = role
    return found


async def extract(tracker, dispatcher, domain) -> dict[str, Any]:
    return slot_values(await ActionExtractFacts().run(dispatcher, tracker, domain))


async def test_entities_fill_the_facts(dispatcher, domain):
    message = user_message(
        "lower back pain for 3 weeks, no tingling or numbness",
        "describe_symptoms",
        [
            entity("duration_days", 21),
            entity("leg_sensations", "tingling", "negated"),
            entity("leg_sensations", "numbness", "negated"),
        ],
    )
    slots = await extract(make_tracker(message=message), dispatcher, domain)
    assert slots["duration_days"] == 21
    assert slots["absent"] == ["leg_sensations:numbness", "leg_sensations:tingling"]
    assert "leg_sensations" not in slots


async def test_history_does_not_fill_a_fact(dispatcher, domain):
    message = user_message(
        "I used to get sciatica years ago",
        "describe_symptoms",
        [entity("leg_symptoms", "one_leg", "historical")],
    )
    assert await extract(make_tracker(message=message), dispatcher, domain) == {}


async def test_yes_answers_the_question_asked(dispatcher, domain):
    tracker = make_tracker(
        {"requested_slot": "chronic"}, user_message("yep", "affirm"), form="symptom_form"
    )
    assert await extract(tracker, dispatcher, domain) == {"chronic": True}


async def test_no_with_a_correction_in_the_same_message(dispatcher, domain):
    tracker = make_tracker(
        {"requested_slot": "spine_surgery", "duration_days": 14.0},
        user_message("no, and actually it's been six weeks", "deny", [entity("duration_days", 42)]),
        form="symptom_form",
    )
    assert await extract(tracker, dispatcher, domain) == {
        "spine_surgery": False,
        "duration_days": 42,
    }


async def test_a_button_payload_is_read_like_typed_text(dispatcher, domain):
    tracker = make_tracker(
        {"requested_slot": "leg_symptoms"},
        user_message(
            '/describe_symptoms{"leg_symptoms": "both_legs"}',
            "describe_symptoms",
            [{"entity": "leg_symptoms", "value": "both_legs"}],
        ),
        form="symptom_form",
    )
    slots = await extract(tracker, dispatcher, domain)
    assert slots["leg_symptoms"] == "both_legs"
    assert slots["red_flags"] == ["both_legs"]


async def test_a_typed_both_answers_the_leg_question_like_its_button(dispatcher, domain):
    # DIET reads a bare "both" as report_red_flag with nothing the extractor can name.
    tracker = make_tracker(
        {"requested_slot": "leg_symptoms"},
        user_message("both", "report_red_flag"),
        form="symptom_form",
    )
    slots = await extract(tracker, dispatcher, domain)
    assert slots["leg_symptoms"] == "both_legs"
    assert slots["red_flags"] == ["both_legs"]
    assert "red_flag_screen" not in slots  # the safety question is not asked again


async def test_a_typed_right_leg_answers_the_leg_question(dispatcher, domain):
    tracker = make_tracker(
        {"requested_slot": "leg_symptoms"}, user_message("right leg", "affirm"), form="symptom_form"
    )
    assert (await extract(tracker, dispatcher, domain))["leg_symptoms"] == "one_leg"


async def test_not_sure_skips_the_question(dispatcher, domain):
    tracker = make_tracker(
        {"requested_slot": "chronic"}, user_message("no idea", "dont_know"), form="symptom_form"
    )
    assert await extract(tracker, dispatcher, domain) == {"skipped_questions": ["chronic"]}


async def test_a_warning_sign_the_extractor_cannot_name_asks_the_safety_question_again(
    dispatcher, domain
):
    tracker = make_tracker(
        {"red_flag_screen": False}, user_message("something feels really wrong", "report_red_flag")
    )
    assert await extract(tracker, dispatcher, domain) == {"red_flag_screen": None}


async def test_the_form_asks_the_next_needed_question(dispatcher, domain):
    tracker = make_tracker(
        {
            "consent": True,
            "red_flag_screen": False,
            "medical_screen": False,
            "leg_symptoms": "none",
        },
        user_message("no", "deny"),
        form="symptom_form",
    )
    events = await ValidateSymptomForm().run(dispatcher, tracker, domain)
    assert SlotSet("requested_slot", "duration_days") in events


async def test_the_form_asks_for_consent_before_any_symptom_question(dispatcher, domain):
    tracker = make_tracker(
        {"duration_days": 21.0},
        user_message("my back has hurt for 3 weeks", "describe_symptoms"),
        form="symptom_form",
    )
    events = await ValidateSymptomForm().run(dispatcher, tracker, domain)
    assert SlotSet("requested_slot", "consent") in events


@pytest.mark.parametrize(
    "text, intent, consent", [("yes that's fine", "affirm", True), ("no", "deny", False)]
)
async def test_the_answer_to_the_consent_question_sets_consent_only(
    text, intent, consent, dispatcher, domain
):
    tracker = make_tracker(
        {"requested_slot": "consent"}, user_message(text, intent), form="symptom_form"
    )
    assert await extract(tracker, dispatcher, domain) == {"consent": consent}


async def test_without_consent_the_form_ends_with_no_symptom_question(dispatcher, domain):
    tracker = make_tracker(
        {"consent": False, "requested_slot": "consent"},
        user_message("no", "deny"),
        form="symptom_form",
    )
    events = await ValidateSymptomForm().run(dispatcher, tracker, domain)
    assert SlotSet("requested_slot", None) in events


async def test_without_consent_triage_gives_the_phone_number_and_999_only(dispatcher, domain):
    slots = {"consent": False, "duration_days": 21.0, "leg_symptoms": "one_leg"}
    events = await ActionTriage().run(dispatcher, make_tracker(slots), domain)
    (message,) = dispatcher.messages
    assert "01564 330773" in message["text"] and "999" in message["text"]
    assert "both legs" in message["text"] and "chest pain" in message["text"]
    assert events == []


async def test_the_form_ends_at_once_on_a_red_flag(dispatcher, domain):
    tracker = make_tracker(
        {"red_flags": ["bladder"], "requested_slot": "duration_days"},
        user_message("I can't pee", "report_red_flag"),
        form="symptom_form",
    )
    events = await ValidateSymptomForm().run(dispatcher, tracker, domain)
    assert SlotSet("requested_slot", None) in events


async def test_triage_gives_summary_advice_payload_and_handoff(dispatcher, domain):
    slots = {
        "consent": True,
        "red_flag_screen": False,
        "medical_screen": False,
        "leg_symptoms": "none",
        "duration_days": 21.0,
        "chronic": False,
    }
    events = await ActionTriage().run(dispatcher, make_tracker(slots), domain)
    texts = [m["text"] for m in dispatcher.messages if m.get("text")]
    payloads = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    assert texts[0].startswith("Here's what you told me")
    assert "structural assessment" in texts[1]
    assert payloads[0]["triage"]["level"] == "assessment"
    assert payloads[0]["triage"]["reasons"] == ["duration_over_threshold"]
    reference = slot_values(events)["reference"]
    handoff = dispatcher.messages[-1]
    assert reference in handoff["text"]
    book, call = handoff["buttons"]
    assert book["url"] == payloads[0]["triage"]["booking"]["url"]
    assert f"ref={reference}" in book["url"] and "level=assessment" in book["url"]
    assert call["url"] == "tel:01564330773"
    assert slot_values(events)["triage_level"] == "assessment"


async def test_triage_keeps_the_reference_across_corrections(dispatcher, domain):
    tracker = make_tracker({"consent": True, "reference": "ABCD-EFGH", "duration_days": 3.0})
    events = await ActionTriage().run(dispatcher, tracker, domain)
    assert slot_values(events)["reference"] == "ABCD-EFGH"


@pytest.mark.parametrize("consent", [None, False, True])
async def test_emergency_has_no_booking_and_no_self_care(consent, dispatcher, domain):
    slots = {"consent": consent, "red_flags": ["saddle_numbness"], "chronic": True}
    events = await ActionTriage().run(dispatcher, make_tracker(slots), domain)
    assert len(dispatcher.messages) == 2
    text, custom = dispatcher.messages[0]["text"], dispatcher.messages[1]["custom"]
    assert "999" in text and "stretch" not in text
    assert custom == {
        "triage": {"level": "emergency", "reasons": ["saddle_numbness"], "advice": ["call_999"]}
    }
    assert not any(m.get("buttons") for m in dispatcher.messages)
    assert slot_values(events)["triage_level"] == "emergency"


@pytest.mark.parametrize(
    "action, first_payload",
    [
        (AskConsent(), "/affirm"),
        (AskRedFlagScreen(), "/affirm"),
        (AskLegSymptoms(), '/describe_symptoms{"leg_symptoms": "one_leg"}'),
        (AskDurationDays(), '/describe_symptoms{"duration_days": 3}'),
    ],
)
async def test_questions_offer_quick_replies(action, first_payload, dispatcher, domain):
    await action.run(dispatcher, make_tracker(), domain)
    (message,) = dispatcher.messages
    assert message["text"].endswith("?") or "?" in message["text"]
    assert message["buttons"][0]["payload"] == first_payload
    assert action.name() in domain["actions"]


def test_button_payloads():
    assert button_payload("deny") == "/deny"
    assert button_payload(("duration_days", 21)) == '/describe_symptoms{"duration_days": 21}'
