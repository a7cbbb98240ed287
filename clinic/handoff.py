"""The hand-off to booking: a reference and a link that carry no symptoms."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from clinic.settings import ClinicSettings
from clinic.triage import Triage

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_reference() -> str:
    """A short reference a patient can read out on the phone, e.g. "K7QX-M3PA"."""
    chars = [secrets.choice(_REFERENCE_ALPHABET) for _ in range(8)]
    return "".join(chars[:4]) + "-" + "".join(chars[4:])


def booking_link(settings: ClinicSettings, reference: str, result: Triage) -> str:
    parts = urlsplit(settings.booking_url)
    query = urlencode(
        {"ref": reference, "level": result.level, "priority": result.booking_priority}
    )
    query = f"{parts.query}&{query}" if parts.query else query
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def triage_payload(settings: ClinicSettings, reference: str, result: Triage) -> dict[str, Any]:
    """The ``custom`` payload of the triage contract (shared/design.md)."""
    payload: dict[str, Any] = {
        "level": result.level,
        "reasons": list(result.reasons),
        "advice": list(result.advice),
    }
    if result.booking_priority is not None:
        payload["booking"] = {
            "url": booking_link(settings, reference, result),
            "phone": settings.phone,
            "priority": result.booking_priority,
            "reference": reference,
        }
    return {"triage": payload}
