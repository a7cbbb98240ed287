"""Booking hand-offs recorded in SQLite: reference, level, priority, channel, time.

No symptoms and nothing else about the person: the clinic counts conversions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from web.sqlite import SQLiteStore

SCHEMA = """
CREATE TABLE IF NOT EXISTS handoffs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL,
    level TEXT NOT NULL,
    priority TEXT,
    channel TEXT NOT NULL,
    created_at TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Handoff:
    reference: str
    level: str
    priority: str | None
    channel: str


class HandoffStore(SQLiteStore):
    SCHEMA = SCHEMA

    def record(self, handoff: Handoff, at: datetime | None = None) -> None:
        at = at or datetime.now(timezone.utc)
        with self._connect() as db:
            db.execute(
                "INSERT INTO handoffs (reference, level, priority, channel, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    handoff.reference,
                    handoff.level,
                    handoff.priority,
                    handoff.channel,
                    at.isoformat(timespec="seconds"),
                ),
            )

    def erase(self, references: list[str]) -> int:
        """Forget the hand-offs of these references (erasure of one person)."""
        with self._connect() as db:
            marks = ",".join("?" * len(references))
            return db.execute(
                f"DELETE FROM handoffs WHERE reference IN ({marks})", references
            ).rowcount

    def ping(self) -> None:
        with self._connect() as db:
            db.execute("SELECT 1 FROM handoffs LIMIT 1")
