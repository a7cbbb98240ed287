"""Facts read straight from spaCy: concept spans and their ConText scopes.

Some facts are plain vocabulary: previous spine surgery, acute inflammation and
pain high in the back. For these the PhraseMatcher's concept spans
(nlu/concepts.py, phrases in data/) are the mentions and the ConText cues on
spaCy tokens (nlu/context.py) decide the status; the regular-expression rules
of nlu/extractor.py do not handle them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from clinic.facts import Finding
from nlu.concepts import SPAN_KEY
from nlu.context import BACKWARD, HISTORICAL, NEGATED, PRESENT, PRIORITY, cues_reaching


@dataclass(frozen=True)
class ConceptFact:
    """How a ``concept.value`` span becomes a finding.

    ``only_negated``: counts only when denied ("never had surgery", not "knee
    surgery"); ``history_immune``: a history cue leaves it present (a spine
    operation is in the past by nature); ``backward_negation``: whether "... is
    fine" after it denies it ("the fusion was fine" does not undo the fusion);
    ``not_before``: words that, straight after the span, cancel it ("feel hot
    and cold" is a fever, not inflammation); ``only_after``: words one of which
    must come straight before it ("a temperature", "no temp", not "temp job");
    ``not_in_sentence``: phrases that cancel it anywhere in its sentence ("lost
    weight on purpose").
    Red flags are conservative: a denial or history cue does not reach them
    across "and" ("no fever and chest pain").
    """

    fact: str
    value: Any
    only_negated: bool = False
    history_immune: bool = False
    backward_negation: bool = True
    not_before: tuple[str, ...] = ()
    only_after: tuple[str, ...] = ()
    not_in_sentence: tuple[str, ...] = ()
    status: str | None = None  # fixed by the phrase itself ("said I can keep running")
    inverted: bool = False  # the phrase states the opposite ("eases with rest")

    @property
    def red_flag(self) -> bool:
        return self.fact == "red_flags"


CONCEPT_FACTS: dict[str, ConceptFact] = {
    "spine_surgery.operation": ConceptFact(
        "spine_surgery", True, history_immune=True, backward_negation=False
    ),
    "spine_surgery.any_operation": ConceptFact(
        "spine_surgery", True, only_negated=True, history_immune=True, backward_negation=False
    ),
    "advised_not_to_run.told": ConceptFact("advised_not_to_run", True, history_immune=True),
    "advised_to_run.cleared": ConceptFact("advised_not_to_run", True, status=NEGATED),
    "inflammation.inflamed": ConceptFact("acutely_inflamed", True),
    "inflammation.feels_hot": ConceptFact(
        "acutely_inflamed", True, not_before=("and cold", "& cold", "or cold")
    ),
    "medical_flag.upper_back": ConceptFact("medical_flags", "upper_back"),
    "medical_flag.fever": ConceptFact("medical_flags", "fever"),
    "medical_flag.temperature": ConceptFact(
        "medical_flags", "fever", only_after=("a", "no", "any", "raised")
    ),
    "medical_flag.lump": ConceptFact("medical_flags", "lump"),
    "medical_flag.night_pain": ConceptFact("medical_flags", "night_pain"),
    "medical_flag.eases_with_rest": ConceptFact("medical_flags", "night_pain", inverted=True),
    "medical_flag.cough_sneeze_pain": ConceptFact("medical_flags", "cough_sneeze_pain"),
    "medical_flag.weight_loss": ConceptFact(
        "medical_flags",
        "weight_loss",
        not_in_sentence=(
            "trying to lose",
            "want to lose",
            "wanted to lose",
            "on purpose",
            "deliberate",
            "intentional",
            "diet",
            "slimming",
            "calorie",
            "racing weight",
            "cutting weight",
        ),
    ),
    "red_flag.chest_pain": ConceptFact("red_flags", "chest_pain"),
}
FACTS = {rule.fact for rule in CONCEPT_FACTS.values()}


def _status(doc: Doc, start: int, end: int, rule: ConceptFact) -> str:
    if rule.status:
        return rule.status
    kinds = {
        kind
        for kind, direction in cues_reaching(doc, start, end, stop_at_and=rule.red_flag)
        if rule.backward_negation or (kind, direction) != (NEGATED, BACKWARD)
    }
    if rule.history_immune:
        kinds.discard(HISTORICAL)
    status = next((kind for kind in PRIORITY if kind in kinds), PRESENT)
    if rule.inverted:
        status = {PRESENT: NEGATED, NEGATED: PRESENT}.get(status, status)
    return status


def concept_facts(doc: Doc) -> list[Finding]:
    """The findings of the facts in ``CONCEPT_FACTS``; one per fact, value and status."""
    findings: dict[tuple[str, Any, str], Finding] = {}
    for span in doc.spans.get(SPAN_KEY, ()):
        rule = CONCEPT_FACTS.get(span.label_)
        if rule is None:
            continue
        after = doc[span.end : span.end + 2].text.lower()
        if any(after.startswith(words) for words in rule.not_before):
            continue
        before = doc[span.start - 1].lower_ if span.start else ""
        if rule.only_after and before not in rule.only_after:
            continue
        if any(words in span.sent.text.lower() for words in rule.not_in_sentence):
            continue
        status = _status(doc, span.start, span.end, rule)
        if rule.only_negated and status != NEGATED:
            continue
        finding = Finding(rule.fact, rule.value, status, span.start_char, span.end_char, span.text)
        findings.setdefault((rule.fact, rule.value, status), finding)
    return list(findings.values())
