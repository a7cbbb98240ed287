"""Clinical fact extractor: what a runner's message states, as ``Finding`` objects.

``extract(text)`` (or ``facts_from_doc(doc)`` for a message the clinical spaCy
pipeline of nlu/pipeline.py has processed) returns the facts it states (see the
vocabulary in ``clinic.facts``), each with a status: ``present``, ``negated``
("no tingling"), ``historical`` ("used to get sciatica") or ``hypothetical``
("what if it goes down my leg?").

Everything is read on spaCy tokens: concept spans of the PhraseMatcher/Matcher
(phrases in data/) with the status ConText gives them (nlu/context.py). This
module puts together the facts of nlu/concept_facts.py, the leg symptoms of
nlu/leg_facts.py and nlu/leg_phrases.py, the durations of nlu/duration_facts.py
and the facts they imply (nlu/implied_facts.py).

A red flag stated anywhere in the message outweighs a denial of it elsewhere:
missing one is the worst error.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc as SpacyDoc

from clinic.facts import Finding
from nlu.concept_facts import concept_facts, concept_mentions
from nlu.context import NEGATED, PRESENT
from nlu.corrected import corrected_text
from nlu.duration_facts import duration_facts
from nlu.implied_facts import chronic_from_duration, tried_from_helped
from nlu.leg_facts import leg_findings, lone_sensation_denials
from nlu.leg_phrases import phrase_readings
from nlu.pipeline import default_pipeline
from nlu.treatment_list import tried_from_treatment_list


def _conservative_red_flags(findings: list[Finding]) -> list[Finding]:
    """A red flag stated anywhere outweighs a denial of it elsewhere."""
    present = {f.value for f in findings if f.fact == "red_flags" and f.status == PRESENT}
    return [
        f
        for f in findings
        if not (f.fact == "red_flags" and f.status == NEGATED and f.value in present)
    ]


def facts_from_doc(doc: SpacyDoc) -> list[Finding]:
    """The clinical facts of a message the clinical spaCy pipeline has processed."""
    text = doc.text  # built from the tokens on every access
    if not text.strip():
        return []
    mentions = concept_mentions(doc)
    findings = leg_findings(doc, phrase_readings(doc))
    # Sensation words already read as part of a leg or saddle phrase ("no numbness
    # in my groin" is no lone leg sensation).
    covered = [
        (f.start, f.end)
        for f in findings + mentions
        if f.fact == "leg_symptoms" or f.value == "saddle_numbness"
    ]
    findings += lone_sensation_denials(doc, covered)
    findings = _conservative_red_flags(
        findings + concept_facts(mentions) + duration_facts(doc, corrected_text(doc))
    )
    findings += tried_from_treatment_list(doc)
    findings += chronic_from_duration(findings) + tried_from_helped(findings)
    return sorted(findings, key=lambda f: (f.start, f.end, f.fact))


def extract(text: str, nlp: Language | None = None) -> list[Finding]:
    """The clinical facts stated in one message, in text order.

    ``nlp``: the clinical spaCy pipeline (nlu/pipeline.py); by default one shared
    pipeline, built on first use. Never raises on odd input (empty, emoji, very
    long); returns ``[]`` when nothing is found.
    """
    if not text or not text.strip():
        return []
    return facts_from_doc((nlp or default_pipeline())(text))
