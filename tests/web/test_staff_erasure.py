"""`make purge` and erasure from the command line, on trackers Rasa's SQL store wrote."""

import asyncio
import sqlite3
import subprocess
import time

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tests.integration.servers import BIN, ROOT, project_env
from web.handoffs import Handoff, HandoffStore

DAY = 24 * 3600


async def write(db_path, sender: str, days_ago: float, reference: str) -> None:
    at = time.time() - days_ago * DAY
    store = SQLTrackerStore(dialect="sqlite", db=str(db_path))
    events = [
        UserUttered("my back hurts", {"name": "describe_symptoms"}, timestamp=at),
        SlotSet("reference", reference, timestamp=at + 1),
    ]
    await store.save(DialogueStateTracker.from_events(sender, events))


def senders(db_path) -> set[str]:
    with sqlite3.connect(db_path) as db:
        return {row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events")}


def run(command, tmp_path, *args):
    return subprocess.run(
        [str(BIN / "python"), "-m", "web.staff.erasure", command, *args],
        cwd=ROOT,
        env=project_env(
            TRACKER_STORE_URL=f"sqlite:///{tmp_path / 'tracker.db'}", WEB_DB=str(tmp_path / "w.db")
        ),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout


def test_purge_erases_conversations_past_retention_and_keeps_the_rest(tmp_path):
    db = tmp_path / "tracker.db"
    asyncio.run(write(db, "old", days_ago=91, reference="AAAA-AAAA"))
    asyncio.run(write(db, "recent", days_ago=89, reference="BBBB-BBBB"))
    handoffs = HandoffStore(tmp_path / "w.db")
    handoffs.create()
    for ref in ("AAAA-AAAA", "BBBB-BBBB"):
        handoffs.record(Handoff(ref, "assessment", "routine", "web"))

    output = run("purge", tmp_path)

    assert "Purged 1 conversations older than 90 days" in output
    assert senders(db) == {"recent"}
    with sqlite3.connect(tmp_path / "w.db") as web_db:
        refs = [row[0] for row in web_db.execute("SELECT reference FROM handoffs")]
        audit = [row[0] for row in web_db.execute("SELECT action FROM staff_audit")]
    assert refs == ["BBBB-BBBB"] and audit == ["purge"]


def test_erase_one_sender_from_the_command_line(tmp_path):
    db = tmp_path / "tracker.db"
    asyncio.run(write(db, "asked-to-forget", days_ago=1, reference="CCCC-CCCC"))
    asyncio.run(write(db, "someone-else", days_ago=1, reference="DDDD-DDDD"))
    output = run("erase", tmp_path, "asked-to-forget")
    assert "Erased conversation asked-to-forget" in output
    assert senders(db) == {"someone-else"}
