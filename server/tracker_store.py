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

ConsentSQLTrackerStore (the one endpoints.yml names) adds consent: a
conversation reaches the database only once the person has said yes.

On SQLite (the embedded default) the store also keeps its connections open and
writes through a write-ahead log: Rasa's engine opens a new connection for every
read and write, and the default rollback journal syncs the disk two or three
times per commit, all of it blocking the server's one event loop (see
docs/benchmarks.md). A WAL commit syncs once, and readers (the staff console) no
longer block the writer. PostgreSQL is left exactly as Rasa configures it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker

from clinic.interview import CONSENT
from server.pending_conversations import PendingConversations, pending_from_env

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

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
    """Rasa's SQL store, reporting an outage (see the module's docstring)."""

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


class ConsentSQLTrackerStore(GuardedSQLTrackerStore):
    """Writes a conversation to the database only once the person has consented.

    Until then (and after a refusal) it is held by server/pending_conversations.py
    and forgotten when it expires. Consent given later writes the whole
    conversation, the messages before the question included: the question asks to
    keep "what you tell me in this chat". A restart or a new session clears the
    consent slot, so what follows is held again until consent is given again.

    In endpoints.yml: ``type: server.tracker_store.ConsentSQLTrackerStore`` and ``url``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: PendingConversations | None = None
        self._writing_held: set[str] = set()

    @property
    def pending(self) -> PendingConversations:
        if self._pending is None:
            self._pending = pending_from_env()
        return self._pending

    async def _held(self, sender_id: str) -> DialogueStateTracker | None:
        """The held conversation, every session of it: what Rasa last saved, which
        begins with what the database already has of it (see _additional_events)."""
        try:
            serialised = await self.pending.get(sender_id)
        except Exception as error:
            _mark_failed(error, "reading a conversation held until consent")
            raise
        return self.deserialise_tracker(sender_id, serialised) if serialised else None

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await self._held(sender_id) or await super().retrieve(sender_id)

    async def retrieve_full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        return await self._held(sender_id) or await super().retrieve_full_tracker(sender_id)

    async def keys(self) -> Iterable[str]:
        return sorted(set(await super().keys()) | set(await self.pending.senders()))

    async def save(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        try:
            if tracker.get_slot(CONSENT) is not True:
                await self.pending.put(sender_id, self.serialise_tracker(tracker))
                return
            held = await self.pending.holds(sender_id)
        except Exception as error:
            _mark_failed(error, "holding a conversation until consent")
            raise
        if not held:
            await super().save(tracker)
            return
        self._writing_held.add(sender_id)
        try:
            await super().save(tracker)
        finally:
            self._writing_held.discard(sender_id)
        # Only once written: if the database failed, the conversation is still held.
        await self.pending.discard(sender_id)

    def _additional_events(self, session: Session, tracker: DialogueStateTracker) -> Iterator:
        if tracker.sender_id not in self._writing_held:
            return super()._additional_events(session, tracker)
        # Rasa counts the stored events of the latest session, but a held tracker
        # may have started a new session since (or restarted): write what follows
        # the last stored event, or everything when the database has none.
        last = (
            session.query(self.SQLEvent)
            .filter(self.SQLEvent.sender_id == tracker.sender_id)
            .order_by(self.SQLEvent.id.desc())
            .first()
        )
        events = list(tracker.events)
        if last is not None:
            stored = json.loads(last.data)
            for index in range(len(events) - 1, -1, -1):
                event = events[index]
                if event.type_name == last.type_name and event.timestamp == stored.get("timestamp"):
                    return iter(events[index + 1 :])
        return iter(events)
