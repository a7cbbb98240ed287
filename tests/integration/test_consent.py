"""Consent: asked before any symptom question, stored with the conversation; without
it the person still gets the phone number and 999 advice, and nothing reaches the
tracker store's database."""

import json
import sqlite3

from tests.integration.driver import TYPED_CONSENT, question_in, triage_of

PHONE = "01564 330773"


def stored_events(servers, sender: str) -> list[dict]:
    """The conversation's rows in the real tracker store (the servers' SQLite file)."""
    with sqlite3.connect(servers.workdir / "tracker.db") as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
        ).fetchall()
    return [json.loads(data) for (data,) in rows]


def texts(replies) -> str:
    return " ".join(reply.get("text") or "" for reply in replies)


def test_consent_is_asked_before_the_first_symptom_question(servers, sender):
    replies = servers.send(sender, "my lower back has been sore for a week after parkrun")
    assert question_in(replies) == "consent"
    assert "90 days" in texts(replies)
    assert stored_events(servers, sender) == []


def test_with_consent_the_whole_conversation_is_stored_with_the_consent(servers, sender):
    first = "my lower back has been sore for a week after parkrun"
    servers.send(sender, first)
    assert question_in(servers.send(sender, TYPED_CONSENT)) == "red_flag_screen"
    events = stored_events(servers, sender)
    assert [e["text"] for e in events if e["event"] == "user"] == [first, TYPED_CONSENT]
    consent = [e for e in events if e["event"] == "slot" and e["name"] == "consent"]
    assert [e["value"] for e in consent] == [True] and consent[0]["timestamp"]
    # What follows is stored as it comes.
    servers.send(sender, "no, none of those")
    assert [e["text"] for e in stored_events(servers, sender) if e["event"] == "user"][-1] == (
        "no, none of those"
    )


def test_without_consent_the_phone_number_and_999_and_nothing_stored(servers, sender):
    servers.send(sender, "my back has hurt for 3 weeks and it goes down my left leg")
    replies = servers.send(sender, "no thanks")
    assert PHONE in texts(replies) and "999" in texts(replies)
    assert triage_of(replies) is None and question_in(replies) is None
    # More symptoms get the same answer, not an interview.
    replies = servers.send(sender, "it's been getting worse since the weekend")
    assert PHONE in texts(replies) and question_in(replies) is None
    assert stored_events(servers, sender) == []


def test_without_consent_an_emergency_still_gets_the_999_advice_unstored(servers, sender):
    servers.send(sender, "my back aches after running")
    servers.send(sender, "no")
    replies = servers.send(sender, "and now I can't feel anything around my bum")
    assert triage_of(replies)["level"] == "emergency"
    assert stored_events(servers, sender) == []


def test_an_emergency_at_the_first_message_is_not_held_back_for_consent(servers, sender):
    replies = servers.send(sender, "my back really hurts and I've lost control of my bladder")
    assert triage_of(replies)["level"] == "emergency"
    assert question_in(replies) is None
    assert stored_events(servers, sender) == []


def test_starting_again_asks_for_consent_again_and_holds_what_follows(servers, sender):
    servers.send(sender, "my back has been sore for a week")
    servers.send(sender, TYPED_CONSENT)
    stored = len(stored_events(servers, sender))
    servers.send(sender, "can we start over")
    replies = servers.send(sender, "my back has been sore for two weeks")
    assert question_in(replies) == "consent"
    assert len(stored_events(servers, sender)) == stored
    # Consent again: what was held is written after what was stored, nothing doubled.
    servers.send(sender, TYPED_CONSENT)
    user_texts = [e["text"] for e in stored_events(servers, sender) if e["event"] == "user"]
    assert user_texts == [
        "my back has been sore for a week",
        TYPED_CONSENT,
        "can we start over",
        "my back has been sore for two weeks",
        TYPED_CONSENT,
    ]
