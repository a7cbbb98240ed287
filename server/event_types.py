"""Finds an event's class by its type name once, not once per event read.

Rasa 3.6 turns every stored or received event into its class with
``Event.resolve_by_type``, which walks the whole tree of ``Event`` subclasses
(``all_subclasses``, with an ``inspect.isabstract`` check of each) on every call: for
each event of the tracker read from the store at every turn, and for each event the
action server returns. Under the bench's load that was about 4% of the Rasa server's
samples (docs/profile.md). The class found for a name is kept; a name not found yet
goes through Rasa's own method each time, so an unknown event fails as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_rasa_resolve: Callable[..., Any] | None = None
_found: dict[str, type] = {}


def _resolve_by_type(type_name: str, default: type | None = None) -> type | None:
    found = _found.get(type_name)
    if found is not None:
        return found
    assert _rasa_resolve is not None  # set before this function is installed
    resolved = _rasa_resolve(type_name, default)
    if resolved is not None and getattr(resolved, "type_name", None) == type_name:
        _found[type_name] = resolved  # the default stands in for no name: not kept
    return resolved


def resolve_event_types_once() -> None:
    """Replaces Rasa's lookup of event classes by name (idempotent)."""
    from rasa.shared.core.events import Event

    global _rasa_resolve
    if _rasa_resolve is None:
        _rasa_resolve = Event.resolve_by_type
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign,assignment]
