"""Whether a message, or a clause of it, is phrased as a question ("does ice help?")."""

from __future__ import annotations

import re

# What ends the clause a question opening belongs to.
QUESTION_CLAUSE_MARK = re.compile(
    r"[,;.!?\n]|\b(?:but|and|so|because|cos|though|although|however|whereas)\b"
)
QUESTION_OPENING = re.compile(
    r"\s*(?:(?:hi|hello|ok|okay|so|also|and|but|please|sorry|quick\s+question)\W+)*"
    r"(?:what|what's|whats|which|how|why|when|where|does|do|is|are|can|could|should|would|"
    r"will|may|might|shall|any|at\s+what|at\s+which|by\s+what|in\s+what|am\s+i|"
    r"wud|shud|cud|"  # text-speak: "shud i put ice on it"
    r"have\s+you|has\s+anyone|"  # "have" alone opens too many statements
    r"did\s+(?:i|you|it|he|she|they|we|anyone|anybody|someone|somebody))\b"  # "did 5k, sore"
    r"(?![\'\u2019]t\b)"  # "can't pee" states something
)


def is_question(text: str) -> bool:
    """A question mark, or any clause opening as a question ("GP says rest, can I cycle")."""
    lowered = text.lower()
    if "?" in lowered:
        return True
    starts = [0, *(mark.end() for mark in QUESTION_CLAUSE_MARK.finditer(lowered))]
    return any(QUESTION_OPENING.match(lowered, start) for start in starts)


def in_question(text: str, pos: int) -> bool:
    """Whether character ``pos`` lies in a clause phrased as a question ("..., does ice help")."""
    lowered = text.lower()
    ends = (m.end() for m in QUESTION_CLAUSE_MARK.finditer(lowered))
    left = max((end for end in ends if end <= pos), default=0)
    return QUESTION_OPENING.match(lowered, left) is not None


# Owning a symptom ("my foot", "I can't"), not asking about one ("what is foot drop?").
FIRST_PERSON = re.compile(r"\b(?:i|my|i'm|im|i've|ive|me|mine|myself)\b")


def is_generic_question(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` lies in a question clause that says nothing of oneself.

    "is foot drop serious?" asks about a sign; "why is my foot dragging?" reports it.
    """
    if not in_question(text, start):
        return False
    lowered = text.lower()
    ends = (m.end() for m in QUESTION_CLAUSE_MARK.finditer(lowered))
    left = max((e for e in ends if e <= start), default=0)
    right = next((m.start() for m in QUESTION_CLAUSE_MARK.finditer(lowered, end)), len(text))
    return FIRST_PERSON.search(lowered, left, right) is None
