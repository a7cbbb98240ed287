"""Free-text conversations through the real Rasa server and action server over REST."""

import pytest

from tests.integration.driver import converse, question_in, start_interview, triage_of

CONVERSATIONS = [
    pytest.param(
        [
            "My lower back has ached for 3 weeks since my marathon block. "
            "No tingling or numbness in my legs."
        ],
        {},
        "assessment",
        {"reasons": ["duration_over_threshold"]},
        {"duration_days", "leg_symptoms"},
        id="three-weeks-with-negated-leg-symptoms",
    ),
    pytest.param(
        [
            "my back is killing me and I can't feel anything around my bum, "
            "and I'm struggling to pee"
        ],
        {},
        "emergency",
        {"advice": ["call_999"]},
        # 999 advice never waits, not even for consent.
        {"consent", "red_flag_screen", "medical_screen", "duration_days"},
        id="saddle-numbness-and-bladder",
    ),
    pytest.param(
        ["hi", "my back hurts after running"],
        {"leg_symptoms": "actually both my legs have gone tingly and weak"},
        "emergency",
        {"reasons": ["both_legs"]},
        set(),
        id="red-flag-in-the-middle-of-the-interview",
    ),
    pytest.param(
        [
            "Sharp pain shooting down my left leg into my calf with pins and needles, "
            "back's been sore about a week"
        ],
        {},
        "urgent_osteopath",
        {"reasons": ["sciatica_one_leg"]},
        {"leg_symptoms", "duration_days", "chronic"},
        id="sciatica-one-leg",
    ),
    pytest.param(
        ["lower back pain for 4 days and I've had a high temperature since yesterday"],
        {},
        "urgent_medical",
        {"reasons": ["fever"]},
        {"medical_screen"},
        id="fever",
    ),
    pytest.param(
        ["my back pain is worse at night, it wakes me up, been going on 5 days"],
        {},
        "urgent_medical",
        {"reasons": ["night_pain"]},
        {"medical_screen"},
        id="night-pain",
    ),
    pytest.param(
        ["my back is stiff when I sit at my desk but it eases off once I've warmed up on a run"],
        {"pain_while_running": "no, it's fine once I'm running"},
        "keep_moving",
        {"reasons": ["eases_after_warmup"]},
        {"eases_after_warmup"},
        id="eases-after-warm-up",
    ),
    pytest.param(
        ["tweaked my lower back at parkrun two days ago, nothing going down my legs"],
        {"acutely_inflamed": "yes it's a bit swollen and warm"},
        "self_care",
        {"reasons": ["mild_strain"]},
        {"duration_days", "leg_symptoms"},
        id="recent-strain-inflamed",
    ),
    pytest.param(
        ["10 days of back pain now, I've been stretching and using heat but it hasn't helped"],
        {},
        "assessment",
        {"reasons": ["self_care_not_helping"]},
        {"duration_days", "self_care_tried", "self_care_helped"},
        id="self-care-not-helping-at-ten-days",
    ),
    pytest.param(
        ["my back pain keeps coming back, it's been on and off for years"],
        {},
        "assessment",
        {"advice": ["structural_assessment", "hold_off_training"]},
        {"chronic"},
        id="chronic",
    ),
    pytest.param(
        ["I had a discectomy in 2019 and my lower back has been sore for 4 days"],
        {},
        "assessment",
        {"reasons": ["spine_surgery"]},
        {"spine_surgery", "duration_days"},
        id="previous-spine-surgery",
    ),
    pytest.param(
        [
            "no bladder or bowel problems and no numbness around my bum, "
            "just a sore lower back for 2 days, nothing down my legs"
        ],
        {},
        "self_care",
        {},
        {"duration_days", "leg_symptoms"},
        id="negated-red-flags",
    ),
    pytest.param(
        ["I used to get sciatica years ago but now it's just my lower back, for 5 days"],
        {},
        "self_care",
        {},
        {"duration_days"},
        id="sciatica-in-the-past",
    ),
]


@pytest.mark.parametrize("messages, answers, level, expected, never_asked", CONVERSATIONS)
def test_free_text_conversation_reaches_the_right_outcome(
    servers, sender, messages, answers, level, expected, never_asked
):
    conversation = converse(servers, sender, *messages, answers=answers)
    triage = conversation.triage
    assert triage["level"] == level, conversation.texts
    for key, values in expected.items():
        assert set(values) <= set(triage[key]), triage
    assert not set(conversation.asked) & never_asked, conversation.asked
    assert len(conversation.asked) == len(set(conversation.asked)), "asked a question twice"
    if level == "emergency":
        assert "booking" not in triage
        assert not any(reply.get("buttons") for reply in conversation.final)
        assert len(conversation.final) == 2, conversation.final
    else:
        assert triage["booking"]["phone"] == "01564 330773"
        assert f"level={level}" in triage["booking"]["url"]


def test_a_correction_changes_the_outcome(servers, sender):
    first = converse(servers, sender, "sore lower back for a week, nothing down my legs")
    assert first.triage["level"] == "self_care"
    replies = servers.send(sender, "actually it's more like six weeks")
    corrected = triage_of(replies)
    assert corrected and corrected["level"] == "assessment", replies
    assert corrected["reasons"] == ["duration_over_threshold"]
    # The same reference follows the conversation.
    assert (
        corrected["booking"]["url"].split("ref=")[1][:9]
        == (first.triage["booking"]["url"].split("ref=")[1][:9])
    )


def test_summary_and_handoff_come_with_the_outcome(servers, sender):
    conversation = converse(
        servers, sender, "lower back pain for 3 weeks, no tingling or numbness in my legs"
    )
    summary = next(t for t in conversation.texts if t.startswith("Here's what you told me"))
    assert "3 weeks" in summary and "no numbness or tingling" in summary
    handoff = conversation.replies[-1]
    titles = [button["title"] for button in handoff["buttons"]]
    assert titles == ["Book an appointment", "Call 01564 330773"]
    assert "priority=routine" in handoff["buttons"][0]["url"]
    # The booking link carries a reference and the level, never symptoms.
    assert "tingl" not in handoff["buttons"][0]["url"]


def test_questions_offer_buttons_and_typed_answers_work(servers, sender):
    replies = servers.send(sender, "my back hurts")
    assert question_in(replies) == "consent"
    buttons = [b for r in replies for b in r.get("buttons", [])]
    assert [b["payload"] for b in buttons] == ["/affirm", "/deny"]
    replies = servers.send(sender, "/affirm")
    assert question_in(replies) == "red_flag_screen"
    buttons = [b for r in replies for b in r.get("buttons", [])]
    assert [b["payload"] for b in buttons] == ["/affirm", "/deny"]
    replies = servers.send(sender, "/deny")
    assert question_in(replies) == "medical_screen"
    replies = servers.send(sender, "nope")
    assert question_in(replies) == "leg_symptoms"


@pytest.mark.parametrize(
    "question, expected",
    [
        ("should I use ice or heat on my back?", "ice"),
        ("can I keep running with back pain?", "running"),
        ("what stretches should I do", "toes"),
        ("what can I do instead of running", "swimming"),
        ("what's your phone number", "01564 330773"),
        ("what is sciatica", "leg"),
    ],
)
def test_questions_from_the_article_are_answered(servers, sender, question, expected):
    replies = servers.send(sender, question)
    text = " ".join(r.get("text", "") for r in replies)
    assert expected in text.lower() or expected in text
    assert "{" not in text and "None" not in text


def test_a_question_from_the_article_mid_interview_then_back_to_the_interview(servers, sender):
    assert question_in(start_interview(servers, sender, "my back is sore")) == "red_flag_screen"
    replies = servers.send(sender, "is ice or heat better?")
    assert "ice" in " ".join(r.get("text", "") for r in replies).lower()
    assert question_in(replies) == "red_flag_screen"


def test_conversation_survives_a_rasa_restart(servers, sender):
    replies = start_interview(servers, sender, "my lower back hurts")
    assert question_in(replies) == "red_flag_screen"
    assert question_in(servers.send(sender, "no")) == "medical_screen"
    servers.restart_rasa()
    assert question_in(servers.send(sender, "no")) == "leg_symptoms"
