"""nlu/pattern_featurizer.py gives DIET exactly the features of Rasa's RegexFeaturizer."""

from __future__ import annotations

import copy

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.pattern_featurizer import PatternFeaturizer
from tests.integration.servers import ROOT


@pytest.fixture(scope="module")
def training_data() -> TrainingData:
    """The project's NLU data (its lookup tables and regexes), tokenised."""
    importer = TrainingDataImporter.load_from_config(
        str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")]
    )
    data = importer.get_nlu_data()
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process_training_data(data)
    return data


def featurised(cls: type[RegexFeaturizer], data: TrainingData, tmp_path) -> TrainingData:
    data = copy.deepcopy(data)
    (tmp_path / cls.__name__).mkdir()
    featurizer = cls.create(
        cls.get_default_config(),
        LocalModelStorage(tmp_path / cls.__name__),
        Resource(cls.__name__),
        ExecutionContext(GraphSchema({}), "test"),
    )
    featurizer.train(data)
    return featurizer.process_training_data(data)


def test_the_same_features_as_rasas_regex_featurizer(training_data, tmp_path):
    ours = featurised(PatternFeaturizer, training_data, tmp_path)
    rasas = featurised(RegexFeaturizer, training_data, tmp_path)
    compared = 0
    for mine, theirs in zip(ours.training_examples, rasas.training_examples, strict=True):
        assert len(mine.features) == len(theirs.features)
        for a, b in zip(mine.features, theirs.features, strict=True):
            assert (a.type, a.attribute, a.origin) == (b.type, b.attribute, b.origin)
            assert (a.features != b.features).nnz == 0, mine.get(TEXT)
            compared += a.features.nnz
    assert compared > 1000, "the lookup tables match often in the training data"


def test_tokens_carry_no_record_of_every_pattern(training_data, tmp_path):
    ours = featurised(PatternFeaturizer, training_data, tmp_path)
    messages = ours.training_examples
    tokens = [token for message in messages for token in message.get("text_tokens", [])]
    assert tokens and not any(token.get("pattern") for token in tokens)
