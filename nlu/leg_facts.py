"""Leg symptoms and sensations read from spaCy: concept spans and their ConText status.

The words are phrases of data/nlu/clinical_vocabulary.yml (nlu/concepts.py):
``sensation.*`` for sensations, ``leg.*`` for the leg rules' own phrases;
ConText on spaCy tokens (nlu/context.py) gives their status.

- Words that name a leg symptom by themselves (sciatica, "leg problems", "just
  my left leg") are a symptom in one leg ("legs problems": both); in a
  question about it in general ("what is sciatica?") it is hypothetical.
- A sensation on its own counts only when denied ("no tingling or numbness").
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from clinic.facts import Finding
from nlu.concepts import SPAN_KEY
from nlu.context import (
    DATED,
    HISTORICAL,
    HYPOTHETICAL,
    NEGATED,
    PRESENT,
    PRIORITY,
    cues_reaching,
)
from nlu.questions import in_question

# The sensation concepts that are members of LEG_SENSATIONS when said of the legs.
LONE_SENSATIONS = {
    "sensation.tingling": "tingling",
    "sensation.numbness": "numbness",
    "sensation.weakness": "weakness",
    "sensation.burning": "burning",
}
# Concepts that name a leg symptom whatever else the message says.
NAMED_SYMPTOMS = ("sensation.sciatica", "leg.symptoms", "leg.one_side")
PLURAL_LEGS = frozenset("legs thighs calves shins feet ankles knees hamstrings".split())
SIDES = frozenset({"left", "right"})
# What ends the clause a question is asked in (as nlu/questions.py reads it).
QUESTION_CLAUSE_WORDS = frozenset(
    ", ; . ! ? \n but and so because cos though although however whereas".split(" ")
)
# Owning a symptom ("my leg", "I've got"), not only asking ("should I ...").
FIRST_PERSON = frozenset({"my", "me", "mine"})
FIRST_PERSON_AFTER_I = frozenset({"'m", "m", "'ve", "ve"})

Spans = list[tuple[int, int]]


def _overlaps(start: int, end: int, spans: Spans) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


def _is_first_person(doc: Doc, i: int) -> bool:
    token = doc[i]
    if token.lower_ in FIRST_PERSON:
        return True
    following = doc[i + 1].lower_.replace("\u2019", "'") if i + 1 < len(doc) else ""
    return token.lower_ == "i" and following in FIRST_PERSON_AFTER_I


def _question_clause(doc: Doc, span: Span) -> range:
    """The tokens of the clause around ``span``, between commas, "and", "but"..."""
    start = span.start
    while start > 0 and doc[start - 1].lower_.strip(" ") not in QUESTION_CLAUSE_WORDS:
        start -= 1
    end = span.end
    while end < len(doc) and doc[end].lower_.strip(" ") not in QUESTION_CLAUSE_WORDS:
        end += 1
    return range(start, end)


def _is_generic_question(doc: Doc, span: Span) -> bool:
    """ "what is sciatica?" asks about sciatica; "why does my left leg tingle?" reports it."""
    if any(t.lower_ in SIDES for t in span) or not in_question(doc.text, span.start_char):
        return False
    return not any(_is_first_person(doc, i) for i in _question_clause(doc, span))


def _status(doc: Doc, span: Span, red_flag: bool) -> str:
    """ConText's status; a red flag's denial does not reach it across "and".

    A symptom dated in a year ("sciatica in 2019") is over.
    """
    kinds = {kind for kind, _ in cues_reaching(doc, span.start, span.end, stop_at_and=red_flag)}
    if DATED in kinds:
        kinds.add(HISTORICAL)
    status = next((kind for kind in PRIORITY if kind in kinds), PRESENT)
    if status == PRESENT and _is_generic_question(doc, span):
        return HYPOTHETICAL
    return status


def _leg_findings(side: str, status: str, span: Span) -> list[Finding]:
    where = (span.start_char, span.end_char, span.text)
    findings = [Finding("leg_symptoms", "none" if status == NEGATED else side, status, *where)]
    if side == "both_legs":
        findings.append(Finding("red_flags", "both_legs", status, *where))
    return findings


def named_symptoms(doc: Doc, taken: list[Finding]) -> list[Finding]:
    """Sciatica, "leg problems", "just my left leg": a leg symptom by name.

    ``taken``: leg findings of longer phrases; a name inside one with the same
    status is part of it ("sciatica in both legs").
    """
    findings = []
    for span in doc.spans.get(SPAN_KEY, ()):
        if span.label_ not in NAMED_SYMPTOMS:
            continue
        plural = any(t.lower_ in PLURAL_LEGS for t in span)
        side = "both_legs" if plural else "one_leg"
        status = _status(doc, span, red_flag=plural)
        same = [(f.start, f.end) for f in taken if f.status == status]
        if not _overlaps(span.start_char, span.end_char, same):
            findings += _leg_findings(side, status, span)
    return findings


def lone_sensation_denials(doc: Doc, covered: Spans) -> list[Finding]:
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
