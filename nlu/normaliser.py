"""spaCy component: every token's normalised form (``token.norm_``).

Runs after spaCy's lookup lemmatiser. In order:

1. synonyms from data/ (PhraseMatcher on lower-case text): a phrase ("pins &
   needles", "bottom of my back") is merged into one token whose norm is the
   canonical phrase; canonical phrases are merged too, so "lower back" and
   "lumbar" end up the same single token;
2. otherwise the lemma from spacy-lookups-data's lookup table ("legs" -> leg,
   "told" -> tell); text and patterns get the same, so they meet;
3. a misspelling that is not an English word gets the vocabulary word it is one
   edit or two away from (nlu/fuzzy.py): "siatica" -> sciatica.

Tokens whose text was an unknown word and got a correction (2 and 3) carry it in
``token._.correction``; the duration reader reads those corrections (see
nlu/corrected.py).
"""

# No `from __future__ import annotations`: spaCy reads the factory's type hints.
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.lookups import Table, load_lookups
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from nlu.fuzzy import FuzzyIndex
from nlu.vocabulary import load_vocabulary

NORMALISER = "clinic_normaliser"


def _register_extensions() -> None:
    if not Token.has_extension("correction"):
        Token.set_extension("correction", default=None)


class ClinicalNormaliser:
    def __init__(self, nlp: Language, vocabulary_path: str) -> None:
        _register_extensions()
        self.nlp = nlp
        self.vocabulary = load_vocabulary(Path(vocabulary_path))
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.lemmas = Table()
        self.fuzzy = FuzzyIndex((), lambda word: True)

    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None, **_: Any) -> None:
        """Reads spacy-lookups-data's English tables (installed files, no download)."""
        tables = load_lookups("en", ["lemma_lookup", "lemma_index"])
        self.lemmas = lemmas = tables.get_table("lemma_lookup")
        index = tables.get_table("lemma_index")
        base_forms = {w for words in index.values() for w in words}
        base_forms |= {str(lemma) for lemma in lemmas.values()} | set(STOP_WORDS)
        # Function words ("nothing", "anything") are never targets: a correction
        # must not change what a sentence denies.
        targets = self.vocabulary.words() - set(STOP_WORDS)
        self.fuzzy = FuzzyIndex(
            targets,
            lambda word: word in base_forms or word in lemmas,
            lambda word: lemmas.get(word, word),
        )
        synonyms = dict(self.vocabulary.synonyms)
        for canonical in set(synonyms.values()):
            synonyms.setdefault(canonical, canonical)
        for phrase, canonical in synonyms.items():
            self.phrases.add(canonical, [self.nlp.make_doc(phrase)])

    def _lemma(self, token: Token) -> str:
        if token.lower_ == "m" and token.i > 0 and token.nbor(-1).like_num:
            # "fell 3m" is metres; the lookup table's "m" is the "'m" of "I'm" (be).
            return "metre"
        lemma = token.lemma_.lower() if token.lemma_ else token.lower_
        if lemma == token.lower_:
            lemma = self.lemmas.get(token.lower_, lemma)
        return lemma

    def __call__(self, doc: Doc) -> Doc:
        found = [Span(doc, s, e, label=key) for key, s, e in self.phrases(doc)]
        synonym_at: dict[int, str] = {}
        with doc.retokenize() as retokenizer:
            for span in filter_spans(found):
                if len(span) > 1:
                    retokenizer.merge(span, attrs={"NORM": span.label_, "LEMMA": span.label_})
                synonym_at[span.start_char] = span.label_
        for token in doc:
            canonical = synonym_at.get(token.idx)
            if canonical is not None:
                token.norm_ = canonical
                if token.is_alpha and self.fuzzy.is_unknown(token.lower_):
                    token._.correction = canonical  # a misspelling listed in data/
            elif token.is_alpha:
                correction = self.fuzzy.correct(token.lower_)
                if correction:
                    # The phrases are matched on lemmas: "streching" -> "stretching"
                    # must meet "stretch" too.
                    token._.correction = correction
                    token.norm_ = self.lemmas.get(correction, correction)
                else:
                    token.norm_ = self._lemma(token)
        return doc


@Language.factory(NORMALISER, default_config={"vocabulary_path": ""})
def make_normaliser(nlp: Language, name: str, vocabulary_path: str) -> ClinicalNormaliser:
    return ClinicalNormaliser(nlp, vocabulary_path)
