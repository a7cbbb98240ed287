"""The held-out NLU set (tests/nlu_heldout.yml) has the shape `make eval` relies on.

Fast: reads YAML only, no model.
"""

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from scripts.evaluate_nlu import HELDOUT, load_heldout, vocabulary_error

ROOT = Path(__file__).resolve().parents[2]
NLU_DATA = ROOT / "data" / "nlu"


@pytest.fixture(scope="module")
def items():
    return load_heldout(HELDOUT)


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


def _training_data() -> tuple[set[str], set[str]]:
    """Every example text and every intent (faq/* in full) of data/nlu."""
    texts, intents = set(), set()
    for path in sorted(NLU_DATA.rglob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" not in block:
                continue
            intents.add(block["intent"])
            for line in str(block.get("examples") or "").splitlines():
                match = re.match(r"\s*-\s+(.*\S)\s*$", line)
                if match:
                    texts.add(_normalised(match.group(1)))
    return texts, intents


def _domain_intents() -> set[str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return {i if isinstance(i, str) else next(iter(i)) for i in domain.get("intents") or []}


def test_at_least_250_utterances(items):
    assert len(items) >= 250


def test_at_least_60_negated_historical_or_hypothetical(items):
    assert sum(item.has_context for item in items) >= 60


def test_at_least_40_red_flags(items):
    assert sum(item.has_red_flag for item in items) >= 40


def test_every_intent_exists(items):
    _, training_intents = _training_data()
    known = _domain_intents() | training_intents
    unknown = sorted({item.intent for item in items} - known)
    assert unknown == [], f"intents in neither domain.yml nor data/nlu: {unknown}"
    # The retrieval intent is always scored by its sub-intent.
    assert "faq" not in {item.intent for item in items}


def test_every_intent_has_examples(items):
    _, training_intents = _training_data()
    expected = (training_intents | _domain_intents()) - {"faq"}
    missing = sorted(expected - {item.intent for item in items})
    assert missing == [], f"intents with no held-out example: {missing}"


def test_every_fact_is_in_the_vocabulary(items):
    problems = [
        (item.text, triple, vocabulary_error(*triple))
        for item in items
        for triple in item.facts
        if vocabulary_error(*triple)
    ]
    assert problems == []


def test_present_red_flags_route_as_emergency(items):
    """A present red flag is the emergency route, whatever else the message asks."""
    wrong = [item.text for item in items if item.has_red_flag != (item.intent == "report_red_flag")]
    assert wrong == []


def test_one_duration_per_message(items):
    many = [item.text for item in items if sum(f == "duration_days" for f, _, _ in item.facts) > 1]
    assert many == []


def test_no_held_out_text_is_in_the_training_data(items):
    training_texts, _ = _training_data()
    assert training_texts, "no training examples found under data/nlu"
    leaked = [item.text for item in items if _normalised(item.text) in training_texts]
    assert leaked == [], f"held-out texts found verbatim in data/nlu: {leaked}"


def test_no_duplicates(items):
    counts = Counter(_normalised(item.text) for item in items)
    assert [text for text, n in counts.items() if n > 1] == []


def test_vocabulary_check_rejects_bad_triples():
    assert vocabulary_error("red_flags", "bladder", "present") is None
    assert vocabulary_error("red_flags", "headache", "present")
    assert vocabulary_error("chronic", False, "present")
    assert vocabulary_error("leg_symptoms", "none", "present")
    assert vocabulary_error("leg_symptoms", "one_leg", "negated")
    assert vocabulary_error("duration_days", "3 weeks", "present")
    assert vocabulary_error("mood", True, "present")
    assert vocabulary_error("chronic", True, "maybe")
