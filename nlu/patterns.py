"""Phrases from data/ as spaCy matcher patterns.

A phrase is lower-case words. Plain phrases go to a PhraseMatcher on the
normalised tokens (``NORM``). Two marks make a token pattern for spaCy's Matcher:

- ``*``: up to three words, not punctuation and not a clause-level conjunction
  ("chest feel * tight"; "sore but fine at night" is not "sore * at night");
- ``a|b``: one word out of several ("tell * not|stop * run|jog").

Every word is normalised by the pipeline so far (lemmas, synonyms), as the text
will be, so "told" in a pattern and "tells" in a message meet as "tell".
"""

from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

WILDCARD = "*"
ALTERNATIVE = "|"
# Words a wildcard does not cross: they start another clause.
CLAUSE_WORDS = (
    "but however although though tho except whereas yet because cos since when whenever "
    "while whilst until till now then also plus so which who"
).split()
ANY_WORDS: list[dict[str, Any]] = [
    {"OP": "?", "IS_PUNCT": False, "LOWER": {"NOT_IN": CLAUSE_WORDS}}
] * 3


def needs_tokens(phrase: str) -> bool:
    words = phrase.split()
    return WILDCARD in words or any(ALTERNATIVE in w for w in words)


def _norm(nlp: Language, word: str) -> str:
    doc = nlp(word)
    if len(doc) != 1:
        raise ValueError(f"{word!r} is not one token; alternatives are single words")
    return doc[0].norm_


def token_pattern(nlp: Language, phrase: str) -> list[dict[str, Any]]:
    """The Matcher pattern of a phrase with ``*`` or ``a|b`` marks."""
    pattern: list[dict[str, Any]] = []
    for number, part in enumerate(" ".join(phrase.split()).split(f" {WILDCARD} ")):
        if number:
            pattern += ANY_WORDS
        if ALTERNATIVE not in part:
            pattern += [{"NORM": token.norm_} for token in nlp(part)]
            continue
        for word in part.split():
            norms = sorted({_norm(nlp, w) for w in word.split(ALTERNATIVE)})
            pattern.append({"NORM": {"IN": norms}})
    return pattern


class PhraseSet:
    """A PhraseMatcher and a Matcher, loaded from labelled phrases."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.phrases = PhraseMatcher(nlp.vocab, attr="NORM")
        self.tokens = Matcher(nlp.vocab)

    def add(self, label: str, phrases: tuple[str, ...]) -> None:
        plain = [p for p in phrases if not needs_tokens(p)]
        if plain:
            self.phrases.add(label, list(self.nlp.pipe(plain)))
        patterns = [token_pattern(self.nlp, p) for p in phrases if needs_tokens(p)]
        if patterns:
            self.tokens.add(label, patterns)

    def __call__(self, doc: Doc) -> list[Span]:
        """Every match, overlapping ones included, labelled; none while still empty."""
        return [
            Span(doc, start, end, label=key)
            for matcher in (self.phrases, self.tokens)
            if len(matcher)
            for key, start, end in matcher(doc)
        ]
