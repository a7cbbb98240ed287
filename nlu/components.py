"""Rasa graph component around the clinical spaCy pipeline (nlu/pipeline.py).

It builds the spaCy pipeline once, when Rasa creates or loads the component
(never at import), and for each message:

- adds the facts (nlu/extractor.py) as entities: entity = fact, value, and a role
  for negated, historical and hypothetical mentions;
- adds the clinical concepts (location, laterality, sensation, radiation,
  pattern, runner vocabulary, ...; nlu/concepts.py) under ``clinical_concepts``
  in the parse result, apart from the entities, so the dialogue's featurisation
  is unchanged;
- applies three rules to the intent: a present red flag always routes as
  ``report_red_flag``; a message with clinical facts is never dropped as
  ``nlu_fallback``; and a statement (not a question) with clinical facts is the
  patient describing symptoms, not an FAQ ("no one has told me not to run",
  "pins and needles in my foot" once read as faq).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from spacy.language import Language

from clinic.facts import Finding
from nlu.concepts import Concept, concepts
from nlu.extractor import facts_from_doc
from nlu.pipeline import build_pipeline
from nlu.questions import is_question
from nlu.vocabulary import DEFAULT_PATH

EXTRACTOR_NAME = "ClinicalFactExtractor"
RED_FLAG_INTENT = "report_red_flag"
SYMPTOMS_INTENT = "describe_symptoms"
FALLBACK_INTENT = "nlu_fallback"
FAQ_INTENT = "faq"
CONCEPTS_KEY = "clinical_concepts"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ClinicalFactExtractor(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # The vocabulary file (Rasa NLU data with synonym: and lookup: entries).
        return {"vocabulary": str(DEFAULT_PATH)}

    @staticmethod
    def required_packages() -> list[str]:
        return ["spacy", "spacy_lookups_data"]

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ClinicalFactExtractor:
        return cls(build_pipeline(Path(config["vocabulary"])))

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not any(ch.isalnum() for ch in text):
                # Empty, emoji or punctuation only: the classifier has nothing to go
                # on and must not read it as a "yes" to a safety question.
                _set_intent(message, FALLBACK_INTENT)
                continue
            doc = self.nlp(text)
            found_concepts = concepts(doc)
            if found_concepts:
                message.set(CONCEPTS_KEY, [_as_dict(c) for c in found_concepts], add_to_output=True)
            findings = facts_from_doc(doc)
            if not findings:
                continue
            entities = list(message.get(ENTITIES) or [])
            entities += [_as_entity(finding) for finding in findings]
            message.set(ENTITIES, entities, add_to_output=True)
            _route_intent(message, findings, text)
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


def _as_dict(concept: Concept) -> dict[str, Any]:
    return {
        "concept": concept.concept,
        "value": concept.value,
        "status": concept.status,
        "start": concept.start,
        "end": concept.end,
        "text": concept.text,
    }


def _route_intent(message: Message, findings: list[Finding], text: str) -> None:
    intent = (message.get(INTENT) or {}).get("name")
    red_flags = [f for f in findings if f.fact == "red_flags"]
    stated = any(f.status in ("present", "negated") for f in findings)
    if any(f.status == "present" for f in red_flags):
        _set_intent(message, RED_FLAG_INTENT)
    elif intent == RED_FLAG_INTENT and red_flags:
        # Every warning sign named is denied, past or hypothetical ("nothing down my legs").
        _set_intent(message, SYMPTOMS_INTENT)
    elif intent == FALLBACK_INTENT and stated:
        _set_intent(message, SYMPTOMS_INTENT)
    elif intent == FAQ_INTENT and stated and not is_question(text):
        # FAQs are questions; an answer about oneself must reach the interview.
        _set_intent(message, SYMPTOMS_INTENT)


def _set_intent(message: Message, name: str) -> None:
    message.set(INTENT, {"name": name, "confidence": 1.0}, add_to_output=True)
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
    message.set(
        INTENT_RANKING_KEY, [{"name": name, "confidence": 1.0}, *ranking], add_to_output=True
    )
