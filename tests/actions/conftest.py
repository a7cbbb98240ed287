"""Trackers built from events, in the style of rasa-sdk's own tests/test_forms.py."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher

DOMAIN_PATH = Path(__file__).resolve().parents[2] / "domain.yml"


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load(DOMAIN_PATH.read_text())


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def user_message(
    text: str, intent: str, entities: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "text": text,
        "intent": {"name": intent, "confidence": 0.99},
        "entities": entities or [],
    }


def make_tracker(
    slots: dict[str, Any] | None = None,
    message: dict[str, Any] | None = None,
    form: str | None = None,
) -> Tracker:
    """A tracker whose slots and latest message come from a list of events."""
    slots = slots or {}
    message = message or user_message("hi", "greet")
    events = [ActionExecuted("action_listen")]
    events += [SlotSet(name, value) for name, value in slots.items()]
    events.append(UserUttered(message["text"], parse_data=message))
    return Tracker(
        "test-sender",
        slots,
        message,
        events,
        False,
        None,
        {"name": form, "validate": True, "rejected": False} if form else {},
        "action_listen",
    )
