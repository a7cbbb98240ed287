"""The NLU inbox: user messages the assistant may have misunderstood.

A message is in the inbox when its intent confidence was below the threshold,
it ended in a fallback, or the person's next message corrected it ("start
over", or "no" to the outcome it led to). Staff approve it with the right
intent (and facts), or mark it irrelevant; either way it leaves the inbox.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from clinic.facts import FACT_NAMES
from web.staff.conversations import Conversation, Turn
from web.staff.redaction import redact

STATUSES = ("present", "negated", "historical", "hypothetical")


@dataclass(frozen=True)
class InboxItem:
    item_id: str
    sender_id: str
    at: float
    text: str  # redacted
    intent: str | None
    confidence: float | None
    reason: str
    facts: tuple[tuple[str, str, str], ...]


def item_id(sender_id: str, turn: Turn) -> str:
    return hashlib.sha256(f"{sender_id}|{turn.at}|{turn.text}".encode()).hexdigest()[:16]


def facts_of(turn: Turn) -> tuple[tuple[str, str, str], ...]:
    """The extractor's findings in the held-out set's terms: (fact, value, status)."""
    found = []
    for entity in turn.entities:
        if entity.get("entity") in FACT_NAMES:
            value = entity.get("value")
            value = "true" if value is True else str(value)
            found.append((entity["entity"], value, entity.get("role") or "present"))
    return tuple(dict.fromkeys(found))


def _corrected(turn: Turn, following: Turn | None) -> bool:
    """The person started over, or said "no" to the outcome this message led to
    (a "no" to an interview question is an answer, not a correction)."""
    if following is None:
        return False
    return following.intent == "start_over" or (
        following.intent == "deny" and "action_triage" in turn.actions
    )


def _reason(turn: Turn, following: Turn | None, threshold: float) -> str | None:
    if turn.is_fallback:
        return "fallback"
    if _corrected(turn, following):
        return "corrected by the person"
    if turn.confidence is not None and turn.confidence < threshold:
        return f"low confidence ({turn.confidence:.2f})"
    return None


def inbox_items(
    conversations: list[Conversation], threshold: float, decided: set[str]
) -> list[InboxItem]:
    items = []
    for conversation in conversations:
        turns = conversation.turns
        for index, turn in enumerate(turns):
            following = turns[index + 1] if index + 1 < len(turns) else None
            reason = _reason(turn, following, threshold)
            identifier = item_id(conversation.sender_id, turn)
            if reason is None or identifier in decided or not turn.text.strip():
                continue
            items.append(
                InboxItem(
                    identifier,
                    conversation.sender_id,
                    turn.at,
                    redact(turn.text),
                    turn.intent,
                    turn.confidence,
                    reason,
                    facts_of(turn),
                )
            )
    return sorted(items, key=lambda item: item.at, reverse=True)


def parse_facts(text: str) -> list[list]:
    """Staff's facts, one "fact value status" per line, checked against the vocabulary."""
    facts = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words:
            continue
        if len(words) == 2:
            words.append("present")
        if len(words) != 3 or words[0] not in FACT_NAMES or words[2] not in STATUSES:
            raise ValueError(
                f"line {number} should be “fact value status”, e.g. “duration_days 21 present”"
            )
        fact, value, status = words
        parsed: object = value
        if value in ("true", "false"):
            parsed = value == "true"
        elif value.isdigit():
            parsed = int(value)
        facts.append([fact, parsed, status])
    return facts
