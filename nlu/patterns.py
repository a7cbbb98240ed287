"""Phrases from data/ as spaCy matcher patterns.

A phrase is lower-case words. Plain phrases go to a PhraseMatcher on the
normalised tokens (``NORM``). Two marks make a token pattern for spaCy's Matcher:

- ``*``: up to three words, not punctuation and not a clause-level conjunction
  ("chest feel * tight"; "sore but fine at night" is not "sore * at night");
- ``a|b``: one word out of several ("tell * not|stop * run|jog");
- ``{name}``: any word of the ``words.name`` lookup, alone or among alternatives
  ("{pain} * while|when {run}"), so that long word lists are written once;
- ``####``: a year, any number of four digits ("back in ####").

Every word is normalised by the pipeline so far (lemmas, synonyms), as the text
will be, so "told" in a pattern and "tells" in a message meet as "tell"; plain
words next to each other go through it together, so a synonym of several words
("pins and needles {into}") is one token, as in the text.
"""

from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

WILDCARD = "*"
ALTERNATIVE = "|"
YEAR = "####"
WordClasses = dict[str, tuple[str, ...]]
# Words a wildcard does not cross: they start another clause.
CLAUSE_WORDS = (
    "but however although though tho except whereas yet because cos since when whenever "
    "while whilst until till now then also plus so which who"
).split()
ANY_WORDS: list[dict[str, Any]] = [
    {"OP": "?", "IS_PUNCT": False, "LOWER": {"NOT_IN": CLAUSE_WORDS}}
] * 3


def _is_class(word: str) -> bool:
    return word.startswith("{") and word.endswith("}")


def needs_tokens(phrase: str) -> bool:
    words = phrase.split()
    return (
        WILDCARD in words or YEAR in words or any(ALTERNATIVE in w or _is_class(w) for w in words)
    )


def _alternatives(word: str, word_classes: WordClasses) -> list[str]:
    found: list[str] = []
    for alternative in word.split(ALTERNATIVE):
        if not _is_class(alternative):
            found.append(alternative)
            continue
        name = alternative[1:-1]
        if name not in word_classes:
            raise ValueError(f"{alternative}: no lookup named words.{name}")
        found += word_classes[name]
    return found


def _norm(nlp: Language, word: str) -> str:
    doc = nlp(word)
    if len(doc) != 1:
        raise ValueError(f"{word!r} is not one token; alternatives are single words")
    return doc[0].norm_


def token_pattern(
    nlp: Language, phrase: str, word_classes: WordClasses | None = None
) -> list[dict[str, Any]]:
    """The Matcher pattern of a phrase with ``*``, ``a|b`` or ``{name}`` marks."""
    pattern: list[dict[str, Any]] = []
    for number, part in enumerate(" ".join(phrase.split()).split(f" {WILDCARD} ")):
        if number:
            pattern += ANY_WORDS
        if not needs_tokens(part):
            pattern += [{"NORM": token.norm_} for token in nlp(part)]
            continue
        plain: list[str] = []  # plain words go through the pipeline together
        for word in [*part.split(), ""]:
            if word and not needs_tokens(word):
                plain.append(word)
                continue
            if plain:
                pattern += [{"NORM": token.norm_} for token in nlp(" ".join(plain))]
                plain = []
            if word == YEAR:
                pattern.append({"SHAPE": "dddd"})
            elif word:
                alternatives = _alternatives(word, word_classes or {})
                norms = sorted({_norm(nlp, w) for w in alternatives})
                pattern.append({"NORM": {"IN": norms}})
    return pattern


class PhraseSet:
    """A PhraseMatcher and a Matcher, loaded from labelled phrases."""

    def __init__(self, nlp: Language, word_classes: WordClasses | None = None) -> None:
        self.nlp = nlp
        self.word_classes = word_classes or {}
        self.phrases = PhraseMatcher(nlp.vocab, attr="NORM")
        self.tokens = Matcher(nlp.vocab)

    def add(self, label: str, phrases: tuple[str, ...]) -> None:
        plain = [p for p in phrases if not needs_tokens(p)]
        if plain:
            self.phrases.add(label, list(self.nlp.pipe(plain)))
        patterns = [
            token_pattern(self.nlp, p, self.word_classes) for p in phrases if needs_tokens(p)
        ]
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
