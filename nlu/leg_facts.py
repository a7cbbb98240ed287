"""Leg sensations read from spaCy: concept spans and their ConText status.

The sensation words are ``sensation.*`` phrases of data/nlu/clinical_vocabulary.yml
(nlu/concepts.py); ConText on spaCy tokens (nlu/context.py) gives their status.
"""

from __future__ import annotations

from spacy.tokens import Doc

from clinic.facts import Finding
from nlu.concepts import SPAN_KEY
from nlu.context import NEGATED

# The sensation concepts that are members of LEG_SENSATIONS when said of the legs.
LONE_SENSATIONS = {
    "sensation.tingling": "tingling",
    "sensation.numbness": "numbness",
    "sensation.weakness": "weakness",
    "sensation.burning": "burning",
}


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


def lone_sensation_denials(doc: Doc, covered: list[tuple[int, int]]) -> list[Finding]:
    """Denied sensation words outside the phrases in ``covered``: "no tingling or numbness".

    Stated on its own, a sensation says nothing about the legs ("it burns when I
    pee"); denied, it answers the question about them. ``covered``: character
    spans already read as a leg or saddle phrase, which say where it is.
    """
    findings = []
    for span in doc.spans.get(SPAN_KEY, ()):
        value = LONE_SENSATIONS.get(span.label_)
        if value is None or span._.status != NEGATED:
            continue
        if _overlaps(span.start_char, span.end_char, covered):
            continue
        findings.append(
            Finding("leg_sensations", value, NEGATED, span.start_char, span.end_char, span.text)
        )
    return findings
