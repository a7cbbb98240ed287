"""The clinical spaCy pipeline: built from ``spacy.blank("en")``, never downloaded.

    tokenizer -> sentencizer -> lemmatizer (lookup tables of spacy-lookups-data)
    -> clinic_normaliser (synonyms from data/, fuzzy spelling) -> clinic_concepts
    (PhraseMatcher on data/ lookups) -> clinic_context (ConText on tokens)

``build_pipeline()`` builds it (about a second); callers build it once and keep
it (the Rasa component does so when it is created or loaded).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

# Importing the modules registers their spaCy factories.
from nlu import concepts as _concepts
from nlu import context as _context
from nlu import normaliser as _normaliser
from nlu.vocabulary import DEFAULT_PATH


def build_pipeline(vocabulary_path: Path = DEFAULT_PATH) -> Language:
    # spaCy gives its logger a plain-text stderr handler of its own at import: its
    # lines go through the application's logging (JSON in the servers) instead.
    logging.getLogger("spacy").removeHandler(spacy.util.logger_stream_handler)
    nlp = spacy.blank("en")
    path = {"vocabulary_path": str(vocabulary_path)}
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe(_normaliser.NORMALISER, config=path)
    nlp.add_pipe(_concepts.CONCEPT_MATCHER, config=path)
    nlp.add_pipe(_context.CONTEXT, config={**path, "span_keys": [_concepts.SPAN_KEY]})
    nlp.initialize()
    return nlp


@lru_cache(maxsize=1)
def default_pipeline() -> Language:
    """One shared pipeline for plain-Python callers (built on first use, not at import)."""
    return build_pipeline()
