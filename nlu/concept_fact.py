"""How a concept span of the clinical vocabulary becomes a finding (nlu/concept_facts.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
    weight on purpose"); ``not_within``: words that cancel it inside the span
    ("been running for years" is not chronic pain); ``not_after``: words that,
    straight before it, cancel it ("family history of back problems");
    ``negation_within``: a denial inside the span counts ("running doesn't make
    it worse", "no history of back pain", where the cue is part of the match);
    ``needs_within``: words one of which must be in the span ("stretched", not
    "a stretch"); ``question``: in a clause phrased as a question it is
    hypothetical ("does ice help?" asks for advice, it reports nothing);
    ``generic_question``: only in a question that says nothing of oneself
    ("is foot drop serious?"; "why is my foot dragging?" reports it).
    ``not_after`` entries may be several words ("should i"). ``needs_concept``:
    label prefixes one of which another span of its sentence must have ("it
    hasn't helped" is about self-care only next to a treatment).
    ``needs_number``: a number must be in the span ("fell about 8 feet", not
    "fell on my feet"). ``hypothetical_within``: a hypothetical cue overlapping
    the span counts ("if I come off my bike": the cue "if * come" takes the
    verb the phrase starts with). ``at_clause_end``: the span must end its
    clause or come before a time ("the physio told me to stop.", "... to stop for a
    week", not "told me to stop taking ibuprofen").
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
    not_within: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()
    negation_within: bool = False
    needs_within: tuple[str, ...] = ()
    needs_concept: tuple[str, ...] = ()
    question: bool = False
    generic_question: bool = False
    needs_number: bool = False
    hypothetical_within: bool = False
    at_clause_end: bool = False
    status: str | None = None  # fixed by the phrase itself ("said I can keep running")
    # The phrase states the opposite ("eases with rest"); read as a denial, it also
    # takes in the fact's plain mentions inside it ("bladder ok").
    inverted: bool = False

    @property
    def red_flag(self) -> bool:
        return self.fact == "red_flags"
