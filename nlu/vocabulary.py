"""The clinical vocabulary, read from Rasa training data (data/nlu/clinical_vocabulary.yml).

Plain YAML reading, no Rasa import: the file is ordinary Rasa NLU data with
``synonym:`` and ``lookup:`` entries, so that Rasa validates it and the clinic can
edit the vocabulary without touching code.

- synonyms: variant phrase -> canonical phrase (lower case);
- concepts: ``concept.value`` lookups -> the phrases of that concept value;
- context: ``context.<kind>.<direction>`` lookups (and ``context.pseudo``,
  ``context.terminator``) -> the ConText cue phrases;
- word classes: ``words.<name>`` lookups -> single words that phrases name as
  ``{name}`` (nlu/patterns.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "nlu" / "clinical_vocabulary.yml"
CONTEXT_PREFIX = "context."
WORDS_PREFIX = "words."


@dataclass(frozen=True)
class Vocabulary:
    synonyms: dict[str, str] = field(default_factory=dict)
    concepts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    context: dict[str, tuple[str, ...]] = field(default_factory=dict)
    word_classes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def words(self) -> set[str]:
        """Every single word of the concept phrases, canonical synonyms and word classes."""
        phrases: Iterable[str] = [p for ps in self.concepts.values() for p in ps]
        phrases = [*phrases, *self.synonyms.values()]
        phrases += [w for ws in self.word_classes.values() for w in ws]
        return {word for phrase in phrases for word in phrase.split() if word.isalpha()}


class VocabularyError(ValueError):
    """The vocabulary file is not what the extractor expects."""


def _examples(entry: dict, name: str) -> tuple[str, ...]:
    text = entry.get("examples")
    if not isinstance(text, str):
        raise VocabularyError(f"{name}: examples must be a block of '- ' lines")
    phrases = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if not line.startswith("- "):
            raise VocabularyError(f"{name}: {line!r} is not a '- ' line")
        phrases.append(" ".join(line[2:].lower().split()))
    return tuple(phrases)


def parse_vocabulary(data: object) -> Vocabulary:
    """The vocabulary from the parsed YAML of a Rasa NLU file."""
    if not isinstance(data, dict) or not isinstance(data.get("nlu"), list):
        raise VocabularyError("expected a Rasa NLU file with an 'nlu' list")
    synonyms: dict[str, str] = {}
    concepts: dict[str, tuple[str, ...]] = {}
    context: dict[str, tuple[str, ...]] = {}
    word_classes: dict[str, tuple[str, ...]] = {}
    for entry in data["nlu"]:
        if not isinstance(entry, dict):
            raise VocabularyError(f"unexpected entry {entry!r}")
        if "synonym" in entry:
            canonical = " ".join(str(entry["synonym"]).lower().split())
            for variant in _examples(entry, f"synonym {canonical}"):
                synonyms[variant] = canonical
        elif "lookup" in entry:
            name = str(entry["lookup"])
            phrases = _examples(entry, f"lookup {name}")
            if name.startswith(CONTEXT_PREFIX):
                context[name[len(CONTEXT_PREFIX) :]] = phrases
            elif name.startswith(WORDS_PREFIX):
                if any(len(p.split()) != 1 for p in phrases):
                    raise VocabularyError(f"lookup {name}: one word per line")
                word_classes[name[len(WORDS_PREFIX) :]] = phrases
            elif name.count(".") == 1:
                concepts[name] = phrases
            else:
                raise VocabularyError(f"lookup {name!r} is not named concept.value")
    return Vocabulary(synonyms, concepts, context, word_classes)


def load_vocabulary(path: Path = DEFAULT_PATH) -> Vocabulary:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise VocabularyError(f"cannot read {path}: {error}") from error
    return parse_vocabulary(data)
