"""The /book hand-off: validating its query and building the clinic's booking link."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit

from clinic.triage import LEVELS
from web.handoffs import Handoff

REFERENCE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}")
PRIORITIES = ("priority", "routine")
CHANNEL = re.compile(r"[a-z][a-z0-9_-]{0,31}")


class InvalidHandoff(ValueError):
    """The booking link's query is missing a value or holds a wrong one."""


def parse_handoff(query: Mapping[str, str | None]) -> Handoff:
    """The hand-off in a /book query (ref, level, priority, channel), or InvalidHandoff."""
    reference = query.get("ref") or ""
    level = query.get("level") or ""
    priority = query.get("priority") or None
    channel = query.get("channel") or "unknown"
    if not REFERENCE.fullmatch(reference):
        raise InvalidHandoff("ref")
    if level not in LEVELS:
        raise InvalidHandoff("level")
    if priority is not None and priority not in PRIORITIES:
        raise InvalidHandoff("priority")
    if not CHANNEL.fullmatch(channel):
        raise InvalidHandoff("channel")
    return Handoff(reference=reference, level=level, priority=priority, channel=channel)


def booking_redirect(booking_url: str, handoff: Handoff) -> str:
    """The clinic's booking URL with the hand-off's query added to any it already has."""
    params = {"ref": handoff.reference, "level": handoff.level}
    if handoff.priority:
        params["priority"] = handoff.priority
    params["channel"] = handoff.channel
    parts = urlsplit(booking_url)
    query = "&".join(part for part in (parts.query, urlencode(params)) if part)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
