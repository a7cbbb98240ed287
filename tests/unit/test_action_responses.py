"""The action server's responses are judged exactly as Rasa's jsonschema.validate() does,
with the validator built once (server/action_responses.py)."""

from typing import Any

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActiveLoop, BotUttered, SlotSet

from server.action_responses import check_responses_once
from server.nlg import ClinicResponses

RESPONSES: list[dict[str, Any]] = [
    {"events": [], "responses": []},
    {"events": [SlotSet("duration_days", 21).as_dict(), SlotSet("red_flags", []).as_dict()]},
    {"events": [ActiveLoop("symptom_form").as_dict()], "responses": [{"text": "How long?"}]},
    {"events": [BotUttered("hi", {"buttons": []}).as_dict()]},
    {"events": [{"event": "slot", "name": 3, "value": 1}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": {"event": "slot"}},
    {"responses": ["text"]},
    [],
]


def rasas_verdict(result: Any) -> bool:
    try:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    except jsonschema.ValidationError:
        return False
    return True


@pytest.mark.parametrize("result", RESPONSES)
def test_the_same_verdict_and_error_as_rasas_own_check(result):
    ClinicResponses()  # the Rasa server installs the check when it loads the NLG
    check_responses_once()  # idempotent
    action = RemoteAction("action_triage", None)
    if rasas_verdict(result):
        assert action._validate_action_result(result) is True
    else:
        with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server"):
            action._validate_action_result(result)
