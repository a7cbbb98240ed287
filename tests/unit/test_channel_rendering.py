"""Bot messages in each messaging app's own form (server/rendering.py)."""

from __future__ import annotations

import pytest

from actions.questions import button_payload
from clinic.questions import QUESTIONS
from server import rendering

QUESTION = {
    "text": "Does any pain go down into your legs?",
    "buttons": [
        {"title": "Yes, one leg", "payload": '/describe_symptoms{"leg_symptoms": "one_leg"}'},
        {"title": "Yes, both legs", "payload": '/describe_symptoms{"leg_symptoms": "both_legs"}'},
        {"title": "No", "payload": "/deny"},
    ],
}
BOOK = "https://www.dynamicosteopaths.co.uk/book?ref=K7QX-M3PA&level=assessment&priority=routine"
HANDOFF = {
    "text": "Your reference is K7QX-M3PA. Book online, or call us on 01564 330773.",
    "buttons": [
        {"title": "Book an appointment", "url": BOOK, "payload": BOOK},
        {"title": "Call 01564 330773", "url": "tel:01564330773", "payload": "tel:01564330773"},
    ],
}
TRIAGE = {
    "custom": {
        "triage": {
            "level": "assessment",
            "reasons": ["duration_over_threshold"],
            "advice": ["structural_assessment"],
            "booking": {"url": BOOK, "phone": "01564 330773", "priority": "routine"},
        }
    }
}


def test_telegram_question_is_an_inline_keyboard_one_answer_per_row() -> None:
    [message] = rendering.telegram(QUESTION)
    assert message.text == QUESTION["text"]
    assert message.keyboard == [
        [{"text": "Yes, one leg", "callback_data": QUESTION["buttons"][0]["payload"]}],
        [{"text": "Yes, both legs", "callback_data": QUESTION["buttons"][1]["payload"]}],
        [{"text": "No", "callback_data": "/deny"}],
    ]


def test_every_interview_answer_fits_telegrams_callback_data() -> None:
    for question in QUESTIONS.values():
        for _, answer in question.replies:
            payload = button_payload(answer)
            assert len(payload.encode()) <= rendering.TELEGRAM_CALLBACK_DATA_BYTES, payload


def test_telegram_sends_the_title_when_a_payload_is_too_long() -> None:
    long = {"text": "?", "buttons": [{"title": "About a week", "payload": "/x" + "y" * 80}]}
    [message] = rendering.telegram(long)
    assert message.keyboard == [[{"text": "About a week", "callback_data": "About a week"}]]


def test_hand_off_on_telegram_is_a_url_button_and_the_number_as_text() -> None:
    [message] = rendering.telegram(HANDOFF)
    assert message.keyboard == [[{"text": "Book an appointment", "url": BOOK}]]
    assert message.text == HANDOFF["text"] + "\n\nCall 01564 330773"


def test_hand_off_on_messenger_is_a_button_template() -> None:
    [message] = rendering.messenger(HANDOFF)
    template = message["attachment"]["payload"]
    assert template["template_type"] == "button"
    assert template["buttons"] == [{"type": "web_url", "title": "Book an appointment", "url": BOOK}]
    # Messenger dials only numbers written with their country code.
    assert template["text"].endswith("\n\nCall 01564 330773")


def test_messenger_dials_an_international_number() -> None:
    handoff = {"text": "Call us", "buttons": [{"title": "Call us", "url": "tel:+441564330773"}]}
    [message] = rendering.messenger(handoff)
    assert message["attachment"]["payload"]["buttons"] == [
        {"type": "phone_number", "title": "Call us", "payload": "+441564330773"}
    ]


def test_hand_off_on_whatsapp_is_text_with_the_link_and_number() -> None:
    assert rendering.whatsapp(HANDOFF) == [
        HANDOFF["text"] + f"\n\nBook an appointment: {BOOK}\nCall 01564 330773"
    ]


def test_messenger_question_has_quick_replies_with_short_titles() -> None:
    question = {"text": "How long?", "buttons": [{"title": "x" * 30, "payload": "/a"}]}
    [message] = rendering.messenger(question)
    [reply] = message["quick_replies"]
    assert len(reply["title"]) == rendering.MESSENGER_TITLE_LIMIT and reply["title"].endswith("…")
    assert reply == {"content_type": "text", "title": reply["title"], "payload": "/a"}


def test_whatsapp_question_is_numbered() -> None:
    assert rendering.whatsapp(QUESTION) == [
        QUESTION["text"]
        + f"\n\n1. Yes, one leg\n2. Yes, both legs\n3. No\n{rendering.NUMBERED_HINT}"
    ]


@pytest.mark.parametrize(
    ("reply", "payload"),
    [
        ("1", QUESTION["buttons"][0]["payload"]),
        (" 3 ", "/deny"),
        ("2.", QUESTION["buttons"][1]["payload"]),
        ("3)", "/deny"),
        ("0", None),
        ("4", None),
        ("3 weeks", None),
        ("no", None),
        ("", None),
    ],
)
def test_a_number_chooses_among_the_last_questions_answers(reply: str, payload) -> None:
    assert rendering.numbered_reply(reply, QUESTION) == payload
    assert rendering.numbered_reply(reply, None) is None
    assert rendering.numbered_reply(reply, HANDOFF) is None  # links are not numbered


def test_triage_payload_and_unknown_custom_payloads_show_nothing() -> None:
    for custom in (TRIAGE, {"custom": {"something": "else"}}):
        assert rendering.telegram(custom) == []
        assert rendering.messenger(custom) == []
        assert rendering.whatsapp(custom) == []


def test_long_texts_are_cut_within_each_apps_limit_with_buttons_on_the_last_piece() -> None:
    paragraph = "My back hurts when I run. " * 40
    long = {"text": "\n\n".join([paragraph] * 12), "buttons": QUESTION["buttons"]}
    telegram = rendering.telegram(long)
    assert len(telegram) > 1 and all(len(m.text) <= 4096 for m in telegram)
    assert [bool(m.keyboard) for m in telegram] == [False] * (len(telegram) - 1) + [True]
    messenger = rendering.messenger(long)
    assert all(len(m["text"]) <= 2000 for m in messenger)
    assert [("quick_replies" in m) for m in messenger][-1] is True
    whatsapp = rendering.whatsapp(long)
    assert all(len(body) <= 1600 for body in whatsapp) and "3. No" in whatsapp[-1]
    joined = " ".join(" ".join(m.text.split()) for m in telegram)
    assert joined == " ".join(long["text"].split())


def test_chunks_cut_a_word_only_when_it_is_longer_than_the_limit() -> None:
    assert rendering.chunks("aaa bbb", 5) == ["aaa", "bbb"]
    assert rendering.chunks("x" * 12, 5) == ["xxxxx", "xxxxx", "xx"]
    assert rendering.chunks("  ", 5) == []
