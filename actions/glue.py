"""Translations between Rasa's tracker and the clinic's plain-Python core."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker

from clinic.facts import BOOL_FACTS, SET_FACTS, Facts, Finding
from clinic.settings import ClinicSettings, load_settings

_KNOWN_FACTS = set(BOOL_FACTS) | set(SET_FACTS) | {"leg_symptoms", "duration_days"}
_STATUSES = {"negated", "historical", "hypothetical"}


@lru_cache(maxsize=1)
def clinic_settings() -> ClinicSettings:
    """The clinic's settings, read on first use (not at import)."""
    return load_settings()


def findings_from_entities(entities: Iterable[dict[str, Any]]) -> list[Finding]:
    """Entities from the extractor or from a button payload, as findings.

    The entity is the fact, the value its normalised value, and a role, when
    present, says the mention is negated, historical or hypothetical.
    """
    findings = []
    for entity in entities:
        fact, value = entity.get("entity"), entity.get("value")
        if fact not in _KNOWN_FACTS or value is None:
            continue
        if fact == "duration_days":
            try:
                value = int(float(value))
            except (TypeError, ValueError):
                continue
        elif fact in BOOL_FACTS and isinstance(value, str):
            value = value.strip().lower() in ("true", "yes", "1")
        role = entity.get("role")
        status = role if role in _STATUSES else "present"
        findings.append(Finding(fact, value, status))
    return findings


def facts_from_tracker(tracker: Tracker) -> Facts:
    return Facts.from_slots(tracker.slots)


def fact_slot_events(before: Facts, after: Facts) -> dict[str, Any]:
    """The slots that differ between two sets of facts, with their new values."""
    old, new = before.to_slots(), after.to_slots()
    return {name: value for name, value in new.items() if old[name] != value}
