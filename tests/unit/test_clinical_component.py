"""The Rasa graph component (nlu/components.py) with real Rasa objects, no mocks."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from nlu.components import CONCEPTS_KEY, ClinicalFactExtractor


@pytest.fixture(scope="module")
def component(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    return ClinicalFactExtractor.create(
        ClinicalFactExtractor.get_default_config(),
        storage,
        Resource("clinical_fact_extractor"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def parse(component, text, intent="describe_symptoms"):
    message = Message.build(text=text)
    message.set("intent", {"name": intent, "confidence": 0.8})
    message.set("intent_ranking", [{"name": intent, "confidence": 0.8}])
    component.process([message])
    return message


def test_the_spacy_pipeline_is_built_once_per_component(component):
    assert component.nlp.lang == "en"
    assert "clinic_context" in component.nlp.pipe_names
    assert parse(component, "no tingling") and component.nlp is component.nlp


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("no tingling", ("leg_sensations", "tingling", "negated")),
        ("used to get sciatica years ago", ("leg_symptoms", "one_leg", "historical")),
        ("what if it goes down my leg?", ("leg_symptoms", "one_leg", "hypothetical")),
        ("siatica down my left leg", ("leg_symptoms", "one_leg", None)),
        ("a fortnite", ("duration_days", 14, None)),
        ("had a discectomy in 2018", ("spine_surgery", True, None)),
    ],
)
def test_facts_become_entities_with_roles(component, text, entity):
    found = {
        (e["entity"], e["value"], e.get("role"))
        for e in parse(component, text).get("entities")
        if e["extractor"] == "ClinicalFactExtractor"
    }
    assert entity in found


def test_concepts_go_to_the_parse_result_not_the_entities(component):
    message = parse(component, "pins & needles in my left calf after parkrun")
    concepts = {(c["concept"], c["value"], c["status"]) for c in message.get(CONCEPTS_KEY)}
    assert {
        ("sensation", "tingling", "present"),
        ("laterality", "left", "present"),
        ("location", "calf", "present"),
        ("running", "parkrun", "present"),
    } <= concepts
    assert CONCEPTS_KEY in message.as_dict(only_output_properties=True)
    assert all(e["entity"] != "location" for e in message.get("entities") or [])


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        ("I can't pee and my back is agony", "describe_symptoms", "report_red_flag"),
        ("no problems with my bladder or bowels", "report_red_flag", "describe_symptoms"),
        ("no tingling", "nlu_fallback", "describe_symptoms"),
        ("hello there", "greet", "greet"),
        ("???", "affirm", "nlu_fallback"),
        # A statement about oneself with clinical facts is not an FAQ.
        ("tingling in my right calf and my back aches", "faq", "describe_symptoms"),
        ("nobody has told me to stop running", "faq", "describe_symptoms"),
        ("I haven't tried ice or heat yet", "faq", "describe_symptoms"),
        # Questions stay FAQs, and so do statements without clinical facts.
        ("should I ice it if it's swollen?", "faq", "faq"),
        ("GP says no running for a month, can I still swim", "faq", "faq"),
        ("shud i put ice on it, its a bit swollen", "faq", "faq"),
        ("I'd like to book an appointment", "faq", "faq"),
    ],
)
def test_intent_safety_rules(component, text, intent, expected):
    assert parse(component, text, intent).get("intent")["name"] == expected


def test_the_vocabulary_file_is_a_setting(tmp_path):
    path = tmp_path / "vocabulary.yml"
    path.write_text(
        'version: "3.1"\nnlu:\n  - lookup: location.calf\n    examples: |\n      - calf\n',
        encoding="utf-8",
    )
    component = ClinicalFactExtractor.create(
        {"vocabulary": str(path)},
        LocalModelStorage(tmp_path / "model"),
        Resource("clinical_fact_extractor"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    message = parse(component, "sore left calf")
    assert [c["value"] for c in message.get(CONCEPTS_KEY)] == ["calf"]
