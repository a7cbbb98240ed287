"""Fuzzy matching of misspelt words against the clinical vocabulary.

A word is corrected only when it is not an English word (spaCy's lemma tables
know it) and exactly one vocabulary word lies within a small edit distance:
"siatica" -> "sciatica", "tinglng" -> "tingling", "bladdr" -> "bladder", but
"ladder" stays "ladder". Distances are Damerau-Levenshtein (optimal string
alignment), so a swapped pair of letters costs one edit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

MIN_LENGTH = 5


def edit_distance(a: str, b: str, limit: int) -> int:
    """The optimal-string-alignment distance, or ``limit + 1`` when it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def max_edits(word: str) -> int:
    """Edits allowed for a word of this length: 1 up to 6 letters, then 2."""
    return 1 if len(word) <= 6 else 2


class FuzzyIndex:
    """Vocabulary words by length, for quick near-miss look-ups."""

    def __init__(
        self,
        vocabulary: Iterable[str],
        is_word: Callable[[str], bool],
        lemma: Callable[[str], str] = str,
    ) -> None:
        """``is_word``: whether a lower-case word is English (not to be corrected);
        ``lemma``: a word's lemma, to settle ties between forms of one word
        ("feverr": fever or fevers)."""
        self._by_length: dict[int, list[str]] = defaultdict(list)
        words = {w.lower() for w in vocabulary if w.isalpha() and len(w) >= MIN_LENGTH - 1}
        for word in sorted(words):
            self._by_length[len(word)].append(word)
        self._words = words
        self._is_word = is_word
        self._lemma = lemma

    def is_unknown(self, word: str) -> bool:
        """Whether ``word`` is neither an English word nor a vocabulary word."""
        word = word.lower()
        return word not in self._words and not self._is_word(word)

    def correct(self, word: str) -> str | None:
        """The one vocabulary word ``word`` is a misspelling of, or None."""
        word = word.lower()
        if len(word) < MIN_LENGTH or not word.isalpha() or not self.is_unknown(word):
            return None
        limit = max_edits(word)
        best: list[str] = []
        best_distance = limit + 1
        for length in range(len(word) - limit, len(word) + limit + 1):
            for candidate in self._by_length.get(length, ()):
                distance = edit_distance(word, candidate, limit)
                if distance < best_distance:
                    best, best_distance = [candidate], distance
                elif distance == best_distance and distance <= limit:
                    best.append(candidate)
        if len({self._lemma(candidate) for candidate in best}) == 1:
            return min(best, key=len)
        return None
