"""Rasa's SQL tracker store, made to report an outage to the person instead of
silently starting their conversation again.

Rasa wraps every tracker store in a FailSafeTrackerStore: when the database
cannot be read, it logs the error, hands the processor no tracker (so the
interview starts from the beginning, the symptoms already given forgotten) and
keeps what follows in memory on that one server. Here a failed read or write
marks the message being handled (``store_health``); the fail-safe channel
(server/channels.py) then withholds the bot's replies and gives the clinic's
phone number and the 999 advice instead, and nothing is written for a
conversation whose history could not be read. When the database is back, the
next message continues the conversation where the store has it.

On SQLite (the embedded default) the store also keeps its connections open and
writes through a write-ahead log: Rasa's engine opens a new connection for every
read and write, and the default rollback journal syncs the disk two or three
times per commit, all of it blocking the server's one event loop (see
docs/benchmarks.md). A WAL commit syncs once, and readers (the staff console) no
longer block the writer. PostgreSQL is left exactly as Rasa configures it.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker

logger = logging.getLogger(__name__)


@dataclass
class StoreHealth:
    """Whether the tracker store failed while one message was handled."""

    failed: bool = False


_current: ContextVar[StoreHealth | None] = ContextVar("store_health", default=None)


def watch_tracker_store() -> StoreHealth:
    """Start watching the store for the message about to be handled (in this context
    and the tasks it creates)."""
    health = StoreHealth()
    _current.set(health)
    return health


def _mark_failed(error: Exception, doing: str) -> None:
    health = _current.get()
    if health is not None:
        health.failed = True
    # The error's class and the database's words only: SQL parameters can hold
    # what the person wrote.
    reason = str(getattr(error, "orig", None) or error.__class__.__name__).splitlines()[0]
    logger.error("Tracker store unreachable while %s (%s): %s", doing, type(error).__name__, reason)


def _use_write_ahead_log(connection: Any, _record: Any) -> None:
    # Kept in the database file; synchronous stays FULL, so a commit is durable.
    connection.execute("PRAGMA journal_mode=WAL")


class GuardedSQLTrackerStore(SQLTrackerStore):
    """In endpoints.yml: ``type: server.tracker_store.GuardedSQLTrackerStore`` and ``url``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            self.engine.dispose()
            # What SQLAlchemy 2.0 does for SQLite files: a pool of open connections,
            # usable from any thread (Rasa's 1.4 opens and closes one per session).
            self.engine = sa.create_engine(
                url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False}
            )
            sa.event.listen(self.engine, "connect", _use_write_ahead_log)
            self.sessionmaker = sessionmaker(bind=self.engine)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        try:
            return await super().retrieve(sender_id)
        except Exception as error:
            _mark_failed(error, "reading a conversation")
            raise

    async def retrieve_full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        try:
            return await super().retrieve_full_tracker(sender_id)
        except Exception as error:
            _mark_failed(error, "reading a conversation")
            raise

    async def save(self, tracker: DialogueStateTracker) -> Any:
        health = _current.get()
        if health is not None and health.failed:
            # Its history could not be read: writing now would start it afresh.
            raise RuntimeError("not saving a conversation whose history could not be read")
        try:
            return await super().save(tracker)
        except Exception as error:
            _mark_failed(error, "saving a conversation")
            raise
