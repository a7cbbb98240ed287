"""Event classes found by name once give what Rasa's own lookup gives
(server/event_types.py)."""

import pytest
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses

from server import event_types
from server.event_types import resolve_event_types_once
from server.nlg import ClinicResponses

NAMES = sorted({cls.type_name for cls in all_subclasses(Event)})


@pytest.fixture(scope="module")
def rasas_lookup():
    ClinicResponses()  # the Rasa server installs the lookup when it loads the NLG
    resolve_event_types_once()  # idempotent
    assert event_types._rasa_resolve is not None
    return event_types._rasa_resolve


@pytest.mark.parametrize("name", NAMES)
def test_every_event_name_gives_rasas_class_every_time(rasas_lookup, name):
    expected = rasas_lookup(name)
    assert Event.resolve_by_type(name) is expected
    assert Event.resolve_by_type(name) is expected  # now from what was kept


def test_events_read_back_from_their_dicts(rasas_lookup):
    for event in (SlotSet("duration_days", 21), UserUttered("my back hurts", {"name": "greet"})):
        assert Event.from_parameters(event.as_dict()) == event


def test_an_unknown_name_fails_or_gives_the_default_as_before(rasas_lookup):
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", SlotSet) is SlotSet
    with pytest.raises(ValueError):  # the default was not kept for the name
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("topic") is None
