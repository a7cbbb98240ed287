"""Rasa's RegexFeaturizer, the same features, without a note in every token.

Rasa's featurizer also writes into every token a dict of every pattern's name and
whether it matched, for the CRF entity extractor, which this pipeline does not use.
With the vocabulary's lookup tables (data/nlu/clinical_vocabulary.yml) that is
about 80 entries per token, and Rasa fingerprints the training data after every
component, hashing each entry again: 10 to 20 s per component, close to a minute
of every full training. The features given to DIET and the ResponseSelector are
the same as Rasa's.
"""

from __future__ import annotations

import re

import numpy as np
import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer
from rasa.shared.nlu.constants import ACTION_TEXT, RESPONSE, TEXT
from rasa.shared.nlu.training_data.message import Message

Features = tuple[scipy.sparse.coo_matrix | None, scipy.sparse.coo_matrix | None]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class PatternFeaturizer(RegexFeaturizer):
    def _features_for_patterns(self, message: Message, attribute: str) -> Features:
        text = message.get(attribute)
        tokens = message.get(TOKENS_NAMES[attribute], [])
        if not text or not tokens:
            return None, None
        flags = 0 if self.case_sensitive else re.IGNORECASE
        sequence = np.zeros([len(tokens), len(self.known_patterns)])
        sentence = np.zeros([1, len(self.known_patterns)])
        for column, pattern in enumerate(self.known_patterns):
            for match in re.finditer(pattern["pattern"], text, flags=flags):
                for row, token in enumerate(tokens):
                    if token.start < match.end() and token.end > match.start():
                        sequence[row, column] = 1.0
                        if attribute in (RESPONSE, TEXT, ACTION_TEXT):
                            sentence[0, column] = 1.0
        return scipy.sparse.coo_matrix(sequence), scipy.sparse.coo_matrix(sentence)
