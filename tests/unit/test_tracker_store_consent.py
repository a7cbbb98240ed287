"""ConsentSQLTrackerStore: nothing reaches the database without consent; with it, the
whole conversation does, once, also after a restart."""

import json
import sqlite3
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Restarted, SlotSet, UserUttered

from server.tracker_store import ConsentSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("LOCK_STORE_TYPE", "in_memory")
    domain = Domain.load(str(ROOT / "domain.yml"))
    return ConsentSQLTrackerStore(domain=domain, host=f"sqlite:///{tmp_path / 'tracker.db'}")


def stored_texts(tmp_path) -> list[str]:
    with sqlite3.connect(tmp_path / "tracker.db") as db:
        rows = db.execute("SELECT data FROM events WHERE type_name = 'user' ORDER BY id")
        return [json.loads(data)["text"] for (data,) in rows]


async def say(store, text: str, *events) -> None:
    tracker = await store.get_or_create_tracker("runner")
    tracker.update(UserUttered(text, {"name": "describe_symptoms"}))
    for event in events:
        tracker.update(event)
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)


async def test_without_consent_nothing_is_written_but_the_conversation_goes_on(store, tmp_path):
    await say(store, "my back hurts")
    await say(store, "no", SlotSet("consent", False))
    await say(store, "still hurts")
    assert stored_texts(tmp_path) == []
    held = await store.retrieve("runner")
    assert [e.text for e in held.events if isinstance(e, UserUttered)] == [
        "my back hurts",
        "no",
        "still hurts",
    ]
    assert "runner" in await store.keys()


async def test_consent_writes_the_whole_conversation_once(store, tmp_path):
    await say(store, "my back hurts")
    await say(store, "yes", SlotSet("consent", True))
    await say(store, "three weeks")
    assert stored_texts(tmp_path) == ["my back hurts", "yes", "three weeks"]
    assert await store.pending.get("runner") is None


async def test_after_a_restart_what_follows_is_held_until_consent_again(store, tmp_path):
    await say(store, "my back hurts")
    await say(store, "yes", SlotSet("consent", True))
    await say(store, "start over", Restarted())
    await say(store, "my back hurts again")
    assert stored_texts(tmp_path) == ["my back hurts", "yes"]
    await say(store, "yes", SlotSet("consent", True))
    assert stored_texts(tmp_path) == [
        "my back hurts",
        "yes",
        "start over",
        "my back hurts again",
        "yes",
    ]
