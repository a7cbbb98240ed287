"""Booking hand-offs recorded in SQLite: reference, level, priority, channel, time.

No symptoms and nothing else about the person: the clinic counts conversions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

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


class HandoffStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:  # commits, or rolls back on error
                yield db
        finally:
            db.close()

    def create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(SCHEMA)

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

    def ping(self) -> None:
        with self._connect() as db:
            db.execute("SELECT 1 FROM handoffs LIMIT 1")
