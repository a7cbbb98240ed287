"""Checks the action server's responses with a JSON Schema validator built once.

Rasa 3.6 checks every response of the action server with ``jsonschema.validate``
(``RemoteAction._validate_action_result``), which first validates the schema itself
against the JSON Schema meta-schema: about 40 ms of CPU per call on this project's
2-core machine, and an interview turn makes three calls (slot extraction, the form's
validation, the question), so more than half of the Rasa server's CPU under load
(docs/benchmarks.md). The schema is a constant, so it is checked once here and each
response is checked against it as before. A response that fails goes through Rasa's
own method, so the error raised and its message are Rasa's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

_rasa_validate: Callable[[Any, dict[str, Any]], bool] | None = None


@lru_cache(maxsize=1)
def _validator() -> Validator:
    from rasa.core.actions.action import RemoteAction

    # What jsonschema.validate() builds on every call: the same class and schema.
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    if _validator().is_valid(result):
        return True
    assert _rasa_validate is not None  # set before this method is installed
    return _rasa_validate(self, result)  # raises Rasa's ValidationError


def check_responses_once() -> None:
    """Replaces Rasa's check of action server responses (idempotent)."""
    # Imported here: Rasa's actions module loads TensorFlow, which importing
    # server.nlg alone should not.
    from rasa.core.actions.action import RemoteAction

    global _rasa_validate
    if _rasa_validate is None:
        _rasa_validate = RemoteAction._validate_action_result
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
