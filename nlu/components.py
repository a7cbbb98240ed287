"""Rasa graph component around the clinical extractor (nlu/extractor.py).

It adds the extractor's findings as entities, and applies two safety rules to
the intent: a present red flag always routes as ``report_red_flag``, and a
message with clinical facts is never dropped as ``nlu_fallback``.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from clinic.facts import Finding
from nlu.extractor import extract

EXTRACTOR_NAME = "ClinicalFactExtractor"
RED_FLAG_INTENT = "report_red_flag"
SYMPTOMS_INTENT = "describe_symptoms"
FALLBACK_INTENT = "nlu_fallback"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ClinicalFactExtractor(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ClinicalFactExtractor:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not any(ch.isalnum() for ch in text):
                # Empty, emoji or punctuation only: the classifier has nothing to go
                # on and must not read it as a "yes" to a safety question.
                _set_intent(message, FALLBACK_INTENT)
                continue
            findings = extract(text)
            if not findings:
                continue
            entities = list(message.get(ENTITIES) or [])
            entities += [_as_entity(finding) for finding in findings]
            message.set(ENTITIES, entities, add_to_output=True)
            _route_intent(message, findings)
        return messages


def _as_entity(finding: Finding) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "entity": finding.fact,
        "value": finding.value,
        "start": finding.start,
        "end": finding.end,
        "confidence_entity": 1.0,
        "extractor": EXTRACTOR_NAME,
    }
    if finding.status != "present":
        entity["role"] = finding.status
    return entity


def _route_intent(message: Message, findings: list[Finding]) -> None:
    intent = (message.get(INTENT) or {}).get("name")
    red_flags = [f for f in findings if f.fact == "red_flags"]
    if any(f.status == "present" for f in red_flags):
        _set_intent(message, RED_FLAG_INTENT)
    elif intent == RED_FLAG_INTENT and red_flags:
        # Every warning sign named is denied, past or hypothetical ("nothing down my legs").
        _set_intent(message, SYMPTOMS_INTENT)
    elif intent == FALLBACK_INTENT and any(f.status in ("present", "negated") for f in findings):
        _set_intent(message, SYMPTOMS_INTENT)


def _set_intent(message: Message, name: str) -> None:
    message.set(INTENT, {"name": name, "confidence": 1.0}, add_to_output=True)
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
    message.set(
        INTENT_RANKING_KEY, [{"name": name, "confidence": 1.0}, *ranking], add_to_output=True
    )
