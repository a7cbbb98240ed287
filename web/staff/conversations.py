"""Conversations as the staff console sees them, read from Rasa's SQL tracker store.

Reads the ``events`` table that Rasa's SQLTrackerStore writes (SQLite by default,
PostgreSQL where configured): one row per event, its JSON in ``data``. Erasure and
retention delete rows there too. Plain SQLAlchemy, no Rasa import.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa

FALLBACK_INTENTS = {"nlu_fallback"}
FALLBACK_ACTIONS = {"action_default_fallback", "action_two_stage_fallback"}


@dataclass
class Turn:
    """One user message and what followed it, up to the next user message."""

    at: float
    text: str
    intent: str | None
    confidence: float | None
    entities: list[dict[str, Any]]
    channel: str | None
    concepts: list[dict[str, Any]] = field(default_factory=list)  # nlu/concepts.py
    bot: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)

    @property
    def is_fallback(self) -> bool:
        return self.intent in FALLBACK_INTENTS or bool(FALLBACK_ACTIONS & set(self.actions))


@dataclass
class Conversation:
    sender_id: str
    started: float
    last: float
    turns: list[Turn]
    slots: dict[str, Any]
    opening_bot: list[str] = field(default_factory=list)
    # The clinical concepts of the messages since the last restart, like the slots.
    concepts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def channel(self) -> str | None:
        return next((turn.channel for turn in self.turns if turn.channel), None)

    @property
    def level(self) -> str | None:
        return self.slots.get("triage_level")

    @property
    def reference(self) -> str | None:
        return self.slots.get("reference")

    @property
    def had_fallback(self) -> bool:
        return any(turn.is_fallback for turn in self.turns)


def _conversation(sender_id: str, events: Iterable[dict[str, Any]]) -> Conversation | None:
    turns: list[Turn] = []
    slots: dict[str, Any] = {}
    concepts: list[dict[str, Any]] = []
    opening_bot: list[str] = []
    first = last = None
    for event in events:
        timestamp = event.get("timestamp") or 0.0
        first = timestamp if first is None else first
        last = timestamp
        kind = event.get("event")
        if kind == "user":
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            turns.append(
                Turn(
                    at=timestamp,
                    text=event.get("text") or "",
                    intent=intent.get("name"),
                    confidence=intent.get("confidence"),
                    entities=parse.get("entities") or [],
                    channel=event.get("input_channel"),
                    concepts=parse.get("clinical_concepts") or [],
                )
            )
            concepts += turns[-1].concepts
        elif kind == "bot" and event.get("text"):
            (turns[-1].bot if turns else opening_bot).append(event["text"])
        elif kind == "action" and turns:
            turns[-1].actions.append(event.get("name") or "")
        elif kind == "slot":
            slots[event.get("name")] = event.get("value")
            if turns:
                turns[-1].slots[event.get("name")] = event.get("value")
        elif kind == "restart":
            slots, concepts = {}, []
    if first is None:
        return None
    return Conversation(sender_id, first, last, turns, slots, opening_bot, concepts)


@dataclass(frozen=True)
class ConversationFilter:
    since: datetime | None = None
    until: datetime | None = None
    channel: str | None = None
    level: str | None = None
    had_fallback: bool | None = None

    def matches(self, conversation: Conversation) -> bool:
        if self.channel and conversation.channel != self.channel:
            return False
        if self.level and conversation.level != self.level:
            return False
        return self.had_fallback is None or conversation.had_fallback == self.had_fallback


class TrackerStoreReader:
    """Read and delete conversations in the tracker store at ``url`` (SQLAlchemy URL)."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(url, future=True)
        self.table = sa.table(
            "events",
            sa.column("id"),
            sa.column("sender_id"),
            sa.column("type_name"),
            sa.column("timestamp"),
            sa.column("data"),
        )
        self._table_exists = False

    def _has_events_table(self) -> bool:
        # Rasa creates the table on its first start, possibly after the web app's;
        # once there it stays, so the inspection is not repeated for every conversation.
        if not self._table_exists:
            self._table_exists = sa.inspect(self.engine).has_table("events")
        return self._table_exists

    def events(self, sender_id: str) -> list[dict[str, Any]]:
        """The conversation's events as Rasa stored them, oldest first."""
        if not self._has_events_table():
            return []
        query = (
            sa.select(self.table.c.data)
            .where(self.table.c.sender_id == sender_id)
            .order_by(self.table.c.id)
        )
        with self.engine.connect() as db:
            return [json.loads(data) for (data,) in db.execute(query)]

    def conversation(self, sender_id: str) -> Conversation | None:
        return _conversation(sender_id, self.events(sender_id))

    def conversations(self, filters: ConversationFilter, limit: int = 200) -> list[Conversation]:
        """The most recent conversations that match ``filters``, newest first."""
        if not self._has_events_table():
            return []
        last = sa.func.max(self.table.c.timestamp)
        query = sa.select(self.table.c.sender_id, last).group_by(self.table.c.sender_id)
        if filters.since:
            query = query.having(last >= filters.since.timestamp())
        if filters.until:
            query = query.having(sa.func.min(self.table.c.timestamp) <= filters.until.timestamp())
        with self.engine.connect() as db:
            senders = [row[0] for row in db.execute(query.order_by(last.desc()))]
        found: list[Conversation] = []
        for sender_id in senders:
            conversation = self.conversation(sender_id)
            if conversation and filters.matches(conversation):
                found.append(conversation)
                if len(found) >= limit:
                    break
        return found

    def sender_for_reference(self, reference: str) -> str | None:
        """The conversation whose triage gave ``reference`` (the booking link's ``ref``)."""
        if not self._has_events_table():
            return None
        query = (
            sa.select(self.table.c.sender_id)
            .where(self.table.c.type_name == "slot")
            .where(self.table.c.data.contains(json.dumps(reference)))
            .order_by(self.table.c.id.desc())
        )
        with self.engine.connect() as db:
            for (sender_id,) in db.execute(query):
                conversation = self.conversation(sender_id)
                if conversation and conversation.reference == reference:
                    return sender_id
        return None

    def erase(self, sender_id: str) -> int:
        """Delete every event of one conversation; returns how many."""
        if not self._has_events_table():
            return 0
        with self.engine.begin() as db:
            deleted = db.execute(sa.delete(self.table).where(self.table.c.sender_id == sender_id))
            return deleted.rowcount

    def expired_senders(self, older_than: datetime) -> list[str]:
        """Conversations whose last event is older than ``older_than``."""
        if not self._has_events_table():
            return []
        last = sa.func.max(self.table.c.timestamp)
        query = (
            sa.select(self.table.c.sender_id)
            .group_by(self.table.c.sender_id)
            .having(last < older_than.timestamp())
        )
        with self.engine.connect() as db:
            return [row[0] for row in db.execute(query)]


def when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
