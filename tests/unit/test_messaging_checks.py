"""What the messaging webhooks accept before Rasa's connectors read them (server/messaging.py)."""

from __future__ import annotations

from typing import Any

import pytest

from server.messaging import event_id, messaging_events, telegram_update_kind

CHAT = {"id": 777, "type": "private"}


def update(**parts: Any) -> dict[str, Any]:
    return {"update_id": 1, **parts}


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (update(message={"message_id": 1, "date": 0, "chat": CHAT, "text": "hi"}), "message"),
        (update(edited_message={"message_id": 1, "date": 0, "chat": CHAT}), "edited_message"),
        (
            update(
                callback_query={
                    "id": "9",
                    "from": {"id": 777, "is_bot": False, "first_name": "Sam"},
                    "message": {"message_id": 1, "date": 0, "chat": CHAT},
                    "chat_instance": "1",
                    "data": "/deny",
                }
            ),
            "callback_query",
        ),
        (update(my_chat_member={"chat": CHAT}), None),
        (update(), None),
        (update(message={"message_id": 1, "date": 0, "text": "no chat"}), "malformed"),
        (update(message={"message_id": 1, "date": [], "chat": CHAT}), "malformed"),
        (update(message={"message_id": 1, "date": 0, "chat": CHAT, "text": 5}), "malformed"),
        (update(message={"message_id": 1, "date": 0, "chat": {"id": "777"}}), "malformed"),
        (update(callback_query={"id": "9", "data": "/deny"}), "malformed"),
        (update(message="hello"), "malformed"),
    ],
)
def test_telegram_update_kind(body: dict[str, Any], kind: str | None) -> None:
    assert telegram_update_kind(body) == kind


def event(**parts: Any) -> dict[str, Any]:
    return {"sender": {"id": "123"}, "recipient": {"id": "1"}, **parts}


def test_every_messaging_event_of_every_entry() -> None:
    one, two = event(message={"mid": "m1", "text": "a"}), event(postback={"payload": "/deny"})
    body = {"object": "page", "entry": [{"messaging": [one]}, {"messaging": [two]}, {}]}
    assert messaging_events(body) == [one, two]


@pytest.mark.parametrize(
    "body",
    [
        None,
        {"object": "page"},
        {"entry": "x"},
        {"entry": [5]},
        {"entry": [{"messaging": {"a": 1}}]},
        {"entry": [{"messaging": [{"message": {"text": "no sender"}}]}]},
        {"entry": [{"messaging": [{"sender": {"id": 5}}]}]},
        {"entry": [{"messaging": [event(message="text")]}]},
    ],
)
def test_malformed_page_events(body: Any) -> None:
    assert messaging_events(body) is None


def test_event_id_is_the_messages_or_postbacks_mid() -> None:
    assert event_id(event(message={"mid": "m1"})) == "m1"
    assert event_id(event(postback={"mid": "m2", "payload": "/deny"})) == "m2"
    assert event_id(event(read={"watermark": 1})) is None
