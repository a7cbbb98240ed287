"""The clinical extractor alone (no Rasa) on the held-out set: the two safety figures.

- red-flag recall 1.00: every message with a present red flag yields a present
  red_flags finding;
- zero negation errors: no negated, historical or hypothetical mention comes out
  as present.

Same definitions as scripts/evaluate_nlu.py (`make eval`), which reports them for
the whole pipeline. Failures are listed as text, expected and got.
"""

import pytest

from nlu.extractor import extract
from scripts.evaluate_nlu import (
    HELDOUT,
    Prediction,
    load_heldout,
    negation_errors,
    routes_to_emergency,
    triples_from_findings,
)


def _show(triples) -> str:
    return (
        ", ".join(
            f"{fact}={'true' if value is True else value}"
            + ("" if status == "present" else f" ({status})")
            for fact, value, status in sorted(triples, key=str)
        )
        or "-"
    )


@pytest.fixture(scope="module")
def parsed():
    """Each held-out item with the extractor's reading; the intent plays no part."""
    return [
        (item, Prediction("", triples_from_findings(extract(item.text))))
        for item in load_heldout(HELDOUT)
    ]


def test_red_flag_recall_is_one(parsed):
    flagged = [(item, pred) for item, pred in parsed if item.has_red_flag]
    misses = [
        f"{item.text!r}\n    expected: {_show(t for t in item.facts if t[0] == 'red_flags')}"
        f"\n    got: {_show(pred.triples)}"
        for item, pred in flagged
        if not routes_to_emergency(pred)
    ]
    recall = (len(flagged) - len(misses)) / len(flagged)
    if misses:
        pytest.fail(
            f"red-flag recall {recall:.2f} ({len(misses)} of {len(flagged)} missed):\n"
            + "\n".join(misses),
            pytrace=False,
        )


def test_no_negation_errors(parsed):
    errors = [
        f"{item.text!r}\n    expected: {_show([triple])}\n    got: {_show(pred.triples)}"
        for item, pred in parsed
        for triple, _ in negation_errors(item, pred)
    ]
    if errors:
        pytest.fail(f"{len(errors)} negation errors:\n" + "\n".join(errors), pytrace=False)
