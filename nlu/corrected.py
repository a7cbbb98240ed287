"""The message with spaCy's spelling corrections applied, and the way back.

The duration reader (nlu/durations.py, through nlu/duration_facts.py) reads the
text after the normaliser's corrections ("fortnite" -> "fortnight"); the offsets
of what it finds are mapped back to the message as the person typed it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc


@dataclass(frozen=True)
class CorrectedText:
    text: str
    # (start in text, start in the original, length in text, length in the original)
    _segments: tuple[tuple[int, int, int, int], ...]

    def original_offset(self, pos: int, end: bool = False) -> int:
        """Where ``pos`` of the corrected text lies in the original message."""
        if not self._segments:
            return pos
        i = max(0, bisect_right(self._segments, (pos, float("inf"))) - 1)
        new_start, old_start, new_len, old_len = self._segments[i]
        if new_len == old_len:
            return old_start + (pos - new_start)
        # Inside a replaced word: its start, or its end for an end offset.
        return old_start + (old_len if end and pos > new_start else 0)


def corrected_text(doc: Doc) -> CorrectedText:
    """``doc.text`` with each corrected token's text replaced by its correction."""
    text = doc.text  # built from the tokens on every access
    corrected = [t for t in doc if t._.correction and t._.correction != t.lower_]
    if not corrected:
        return CorrectedText(text, ())
    parts: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    old = new = 0
    for token in corrected:
        if token.idx > old:
            parts.append(text[old : token.idx])
            segments.append((new, old, token.idx - old, token.idx - old))
            new += token.idx - old
        parts.append(token._.correction)
        segments.append((new, token.idx, len(token._.correction), len(token.text)))
        new += len(token._.correction)
        old = token.idx + len(token.text)
    parts.append(text[old:])
    segments.append((new, old, len(text) - old, len(text) - old))
    return CorrectedText("".join(parts), tuple(segments))
