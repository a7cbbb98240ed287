"""ConText (Harkema, Chapman et al. 2009) on spaCy tokens.

Cues come from data/ (``context.*`` lookups) and are found with a PhraseMatcher
on the normalised tokens. A cue governs the tokens in its scope:

- forward cues ("no", "never", "used to", "what if") reach right, backward cues
  ("... is fine", "... years ago") reach left;
- a scope ends at the sentence's end, a terminator ("but", "except", "now", ...;
  also data/), a semicolon or a dash, and a new clause after a comma or a
  coordinator ("..., and I can't pee");
- a forward scope crosses commas only in a list closed by "or"/"and"/"nor"
  ("no tingling, numbness or weakness"); a backward one never does;
- at most a few words: 8 forward (12 for hypothetical), 5 backward (2 for
  hypothetical);
- pseudo-cues ("not sure", "no idea", "doesn't go away") cancel the cues they
  overlap.

A span's status is the strongest kind reaching it: hypothetical, then negated,
then historical, else present.
"""

# No `from __future__ import annotations`: spaCy reads the factory's type hints.
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlu.vocabulary import load_vocabulary

CONTEXT = "clinic_context"
NEGATED, HISTORICAL, HYPOTHETICAL, PRESENT = "negated", "historical", "hypothetical", "present"
FORWARD, BACKWARD = "forward", "backward"
PRIORITY = (HYPOTHETICAL, NEGATED, HISTORICAL)
WINDOW = {
    (NEGATED, FORWARD): 8,
    (NEGATED, BACKWARD): 5,
    (HISTORICAL, FORWARD): 8,
    (HISTORICAL, BACKWARD): 8,
    (HYPOTHETICAL, FORWARD): 12,
    (HYPOTHETICAL, BACKWARD): 2,
}
REACH = 40  # tokens, words and punctuation: more than any window
PSEUDO, TERMINATOR = "pseudo", "terminator"
# Words that open a new clause after a comma or "and": "..., and I can't pee".
CLAUSE_SUBJECTS = frozenset(
    "i i'm im i've ive i'd it it's its he she they we you there this that my".split()
)
COORDINATORS = frozenset({"and", "or", "nor", "&"})
HARD_STOPS = frozenset({";", "-", "\u2013", "\u2014", ":"})


@dataclass(frozen=True)
class Cue:
    kind: str
    direction: str
    start: int  # token indices
    end: int


def _register_extensions() -> None:
    if not Doc.has_extension("context_cues"):
        Doc.set_extension("context_cues", default=None)
    if not Doc.has_extension("scope_ends"):
        Doc.set_extension("scope_ends", default=None)
    if not Span.has_extension("status"):
        Span.set_extension("status", default=None)


class ConTextComponent:
    def __init__(self, nlp: Language, vocabulary_path: str, span_keys: list[str]) -> None:
        _register_extensions()
        self.nlp = nlp
        self.span_keys = list(span_keys)
        self.vocabulary = load_vocabulary(Path(vocabulary_path))
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")

    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None, **_: Any) -> None:
        """Cue patterns go through the pipeline so far, like the text will."""
        for name, phrases in self.vocabulary.context.items():
            self.matcher.add(name, list(self.nlp.pipe(phrases)))

    def __call__(self, doc: Doc) -> Doc:
        found: dict[str, list[Span]] = {}
        for key, start, end in self.matcher(doc):
            found.setdefault(self.nlp.vocab.strings[key], []).append(doc[start:end])
        pseudo = found.pop(PSEUDO, [])
        terminators = found.pop(TERMINATOR, [])
        cues = []
        for name, spans in found.items():
            kind, direction = name.split(".")
            for span in filter_spans(spans):
                if not any(span.start < p.end and p.start < span.end for p in pseudo):
                    cues.append(Cue(kind, direction, span.start, span.end))
        doc._.context_cues = sorted(cues, key=lambda c: c.start)
        doc._.scope_ends = _scope_ends(doc, terminators)
        for key in self.span_keys:
            for span in doc.spans.get(key, ()):
                span._.status = status_of(doc, span.start, span.end)
        return doc


def _scope_ends(doc: Doc, terminators: list[Span]) -> list[bool]:
    """Per token: whether a scope stops at it (it is not part of any scope)."""
    ends = [False] * len(doc)
    for span in terminators:
        for i in range(span.start, span.end):
            ends[i] = True
    for token in doc:
        if token.is_sent_start and token.i:
            ends[token.i - 1] = ends[token.i - 1] or doc[token.i - 1].is_punct
        if token.text in HARD_STOPS or token.text in (".", "!", "?", "\n"):
            ends[token.i] = True
        if token.text == "," or token.lower_ in COORDINATORS:
            following = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if following is not None and following.lower_ in CLAUSE_SUBJECTS:
                ends[token.i] = True
    return ends


def _words(doc: Doc, start: int, end: int) -> int:
    return sum(1 for t in doc[start:end] if not t.is_punct)


def _forward_reaches(doc: Doc, cue: Cue, target: int) -> bool:
    ends: list[bool] = doc._.scope_ends
    if any(ends[cue.end : target]) or target < cue.end:
        return False
    if _words(doc, cue.end, target) > WINDOW[(cue.kind, FORWARD)]:
        return False
    if any(t.text == "," for t in doc[cue.end : target]):
        # A comma list must be closed by a coordinator before the scope ends.
        i = target
        while i < len(doc) and not ends[i]:
            if doc[i].lower_ in COORDINATORS:
                return True
            i += 1
        return any(t.lower_ in COORDINATORS for t in doc[cue.end : target])
    return True


def _backward_reaches(doc: Doc, cue: Cue, target_end: int) -> bool:
    ends: list[bool] = doc._.scope_ends
    if target_end > cue.start or any(ends[target_end : cue.start]):
        return False
    if any(t.text == "," for t in doc[target_end : cue.start]):
        return False
    return _words(doc, target_end, cue.start) <= WINDOW[(cue.kind, BACKWARD)]


def kinds_reaching(doc: Doc, start: int, end: int) -> set[str]:
    """The ConText kinds whose scope reaches the tokens ``[start, end)``."""
    kinds = set()
    cues: list[Cue] = doc._.context_cues or []
    starts = [c.start for c in cues]
    # No scope reaches further than REACH tokens: long messages stay linear.
    nearby = cues[bisect_left(starts, start - REACH) : bisect_right(starts, end + REACH)]
    for cue in nearby:
        if cue.start < end and start < cue.end:
            continue  # the cue is part of the mention ("no feeling")
        if cue.direction == FORWARD and cue.end <= start and _forward_reaches(doc, cue, start):
            kinds.add(cue.kind)
        if cue.direction == BACKWARD and cue.start >= end and _backward_reaches(doc, cue, end):
            kinds.add(cue.kind)
    return kinds


def status_of(doc: Doc, start: int, end: int) -> str:
    kinds = kinds_reaching(doc, start, end)
    return next((kind for kind in PRIORITY if kind in kinds), PRESENT)


@Language.factory(CONTEXT, default_config={"vocabulary_path": "", "span_keys": []})
def make_context(
    nlp: Language, name: str, vocabulary_path: str, span_keys: list[str]
) -> ConTextComponent:
    """ConText; every span in ``doc.spans[key]`` for ``span_keys`` gets ``span._.status``."""
    return ConTextComponent(nlp, vocabulary_path, span_keys)
