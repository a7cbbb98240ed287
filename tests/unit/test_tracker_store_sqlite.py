"""The guarded tracker store on SQLite: pooled connections and a write-ahead log, with
conversations kept exactly as Rasa's own SQL store keeps them."""

import sqlite3
from pathlib import Path

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered

from server.tracker_store import GuardedSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]


async def test_conversations_survive_a_restart_and_read_back_as_rasas_store_reads_them(
    tmp_path,
):
    domain = Domain.load(str(ROOT / "domain.yml"))
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = GuardedSQLTrackerStore(domain=domain, host=url)
    tracker = await store.get_or_create_tracker("runner")
    for turn in range(3):
        tracker = await store.retrieve("runner")
        tracker.update(UserUttered(f"turn {turn}", {"name": "describe_symptoms"}))
        tracker.update(SlotSet("duration_days", 21.0 + turn))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)

    restarted = GuardedSQLTrackerStore(domain=domain, host=url)
    rasas_own = SQLTrackerStore(domain=domain, host=url)
    ours, rasas = await restarted.retrieve("runner"), await rasas_own.retrieve("runner")
    assert ours is not None and rasas is not None
    assert [e.as_dict() for e in ours.events] == [e.as_dict() for e in rasas.events]
    assert [e.text for e in ours.events if isinstance(e, UserUttered)] == [
        "turn 0",
        "turn 1",
        "turn 2",
    ]
    assert ours.get_slot("duration_days") == 23.0
    journal = sqlite3.connect(tmp_path / "tracker.db").execute("PRAGMA journal_mode").fetchone()
    assert journal == ("wal",)


async def test_an_in_memory_database_is_left_as_rasa_makes_it():
    domain = Domain.load(str(ROOT / "domain.yml"))
    store = GuardedSQLTrackerStore(domain=domain, host="sqlite://")
    tracker = await store.get_or_create_tracker("runner")
    tracker.update(UserUttered("hello", {"name": "greet"}))
    await store.save(tracker)
    stored = await store.retrieve("runner")
    assert stored is not None and stored.latest_message.text == "hello"
