"""spaCy component: the clinical concepts of a message, from data/ lookups.

A PhraseMatcher on the normalised tokens (nlu/normaliser.py), and spaCy's token
Matcher for phrases with "*" or "a|b" marks (nlu/patterns.py), tag every phrase
of a ``concept.value`` lookup in data/nlu/clinical_vocabulary.yml: locations,
laterality, sensations, radiation, patterns, self-care and its effect, chronic,
spine surgery, told not to run, inflammation, red and medical flags, runner
vocabulary. Matches go to ``doc.spans["concepts"]``, labelled ``concept.value``;
overlapping matches stay when their labels differ ("down my left leg" is
radiation, laterality and location; "worse at night and when I cough" is night
pain and cough pain), and within one label the longest wins.
ConText (nlu/context.py) then gives each span its status. The leg rules' own
phrases (``leg.*``, nlu/leg_facts.py) are not reported: where and how it hurts
are the location and sensation concepts.
"""

# No `from __future__ import annotations`: spaCy reads the factory's type hints.
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlu.patterns import PhraseSet
from nlu.vocabulary import load_vocabulary

CONCEPT_MATCHER = "clinic_concepts"
SPAN_KEY = "concepts"
UNREPORTED = frozenset({"leg"})


@dataclass(frozen=True)
class Concept:
    """One concept mention: ``concept`` (location, sensation, ...), its normalised value."""

    concept: str
    value: str
    status: str
    start: int  # characters
    end: int
    text: str


class ConceptMatcher:
    def __init__(self, nlp: Language, vocabulary_path: str) -> None:
        self.vocabulary = load_vocabulary(Path(vocabulary_path))
        self.matchers = PhraseSet(nlp, self.vocabulary.word_classes)

    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None, **_: Any) -> None:
        """Patterns go through the pipeline so far (tokens, lemmas, synonyms), like text."""
        for label, phrases in self.vocabulary.concepts.items():
            self.matchers.add(label, phrases)

    def __call__(self, doc: Doc) -> Doc:
        by_concept: dict[str, list[Span]] = {}
        for span in self.matchers(doc):
            by_concept.setdefault(span.label_, []).append(span)
        spans = [s for group in by_concept.values() for s in filter_spans(group)]
        doc.spans[SPAN_KEY] = sorted(spans, key=lambda s: (s.start, s.end))
        return doc


def concepts(doc: Doc) -> list[Concept]:
    """The concept spans of a processed doc, with their ConText status."""
    found = []
    for span in doc.spans.get(SPAN_KEY, ()):
        concept, value = span.label_.split(".", 1)
        if concept in UNREPORTED:
            continue
        status = span._.status if span.has_extension("status") else None
        found.append(
            Concept(concept, value, status or "present", span.start_char, span.end_char, span.text)
        )
    return found


@Language.factory(CONCEPT_MATCHER, default_config={"vocabulary_path": ""})
def make_concept_matcher(nlp: Language, name: str, vocabulary_path: str) -> ConceptMatcher:
    return ConceptMatcher(nlp, vocabulary_path)
