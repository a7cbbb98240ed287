"""ConText (Harkema, Chapman et al. 2009) on spaCy tokens.

Cues come from data/ (``context.*`` lookups) and are found on the normalised
tokens by spaCy's PhraseMatcher and Matcher (nlu/patterns.py). A cue governs
the tokens in its scope:

- forward cues ("no", "never", "used to", "what if") reach right, backward cues
  ("... is fine", "... years ago") reach left;
- a scope ends at the sentence's end, a terminator ("but", "except", "now", ...;
  also data/), a semicolon or a dash, and a new clause after a comma or a
  coordinator ("..., and I can't pee");
- a forward scope crosses commas only in a list closed by "or"/"and"/"nor"
  ("no tingling, numbness or weakness"; in "..., tingling in my left leg and
  right foot" the "and" joins two sides, it closes no list); a backward one never does;
- at most a few words: 8 forward (12 for hypothetical), 5 backward (2 for
  hypothetical);
- pseudo-cues ("not sure", "no idea", "doesn't go away") cancel the cues they
  overlap;
- a cue that starts inside a mention is part of it ("no feeling"); a mention
  that starts inside a forward cue, among the words its "*" spans, is in its
  scope ("if my chest feels tight", "if I get sciatica going").

A span's status is the strongest kind reaching it: hypothetical, then negated,
then historical, else present. A date ("in 2019") gives no status: whoever reads
``cues_reaching`` decides what it means (a symptom dated so is over).
"""

# No `from __future__ import annotations`: spaCy reads the factory's type hints.
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlu.patterns import PhraseSet
from nlu.vocabulary import load_vocabulary

CONTEXT = "clinic_context"
NEGATED, HISTORICAL, HYPOTHETICAL, PRESENT = "negated", "historical", "hypothetical", "present"
DATED = "dated"  # "in 2019": reported by cues_reaching, no status of its own
FORWARD, BACKWARD = "forward", "backward"
PRIORITY = (HYPOTHETICAL, NEGATED, HISTORICAL)
WINDOW = {
    (NEGATED, FORWARD): 8,
    (NEGATED, BACKWARD): 5,
    (HISTORICAL, FORWARD): 8,
    (HISTORICAL, BACKWARD): 8,
    (HYPOTHETICAL, FORWARD): 12,
    (HYPOTHETICAL, BACKWARD): 2,
    (DATED, FORWARD): 8,
    (DATED, BACKWARD): 8,
}
REACH = 40  # tokens, words and punctuation: more than any window
PSEUDO, TERMINATOR = "pseudo", "terminator"
# Words that open a new clause after a comma or "and": "..., and I can't pee".
CLAUSE_SUBJECTS = frozenset(
    "i i'm im i've ive i'd it it's its he she they we you there this that my".split()
)
COORDINATORS = frozenset({"and", "or", "nor", "&"})
HARD_STOPS = frozenset({";", ":"})
DASHES = frozenset({"-", "--", "\u2013", "\u2014"})  # a stop when spaced: "no pain - but"
SIDE_JOIN_FILLERS = frozenset({"in", "down", "into", "on", "my", "the"})


@dataclass(frozen=True)
class Cue:
    kind: str
    direction: str
    start: int  # token indices
    end: int


def _register_extensions() -> None:
    if not Doc.has_extension("context_cues"):
        Doc.set_extension("context_cues", default=None)
    if not Doc.has_extension("cue_starts"):
        Doc.set_extension("cue_starts", default=None)
    if not Doc.has_extension("scopes"):
        Doc.set_extension("scopes", default=None)
    if not Span.has_extension("status"):
        Span.set_extension("status", default=None)


class ConTextComponent:
    def __init__(self, nlp: Language, vocabulary_path: str, span_keys: list[str]) -> None:
        _register_extensions()
        self.nlp = nlp
        self.span_keys = list(span_keys)
        self.vocabulary = load_vocabulary(Path(vocabulary_path))
        self.matchers = PhraseSet(nlp, self.vocabulary.word_classes)

    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None, **_: Any) -> None:
        """Cue patterns go through the pipeline so far, like the text will."""
        for name, phrases in self.vocabulary.context.items():
            self.matchers.add(name, phrases)

    def __call__(self, doc: Doc) -> Doc:
        found: dict[str, list[Span]] = {}
        for span in self.matchers(doc):
            found.setdefault(span.label_, []).append(span)
        pseudo = found.pop(PSEUDO, [])
        terminators = found.pop(TERMINATOR, [])
        cues = []
        for name, spans in found.items():
            kind, direction = name.split(".")
            for span in filter_spans(spans):
                if not any(span.start < p.end and p.start < span.end for p in pseudo):
                    cues.append(Cue(kind, direction, span.start, span.end))
        doc._.context_cues = cues = sorted(cues, key=lambda c: c.start)
        doc._.cue_starts = [c.start for c in cues]
        doc._.scopes = _scopes(doc, terminators)
        for key in self.span_keys:
            for span in doc.spans.get(key, ()):
                span._.status = status_of(doc, span.start, span.end)
        return doc


@dataclass(frozen=True)
class Scopes:
    """Per-token facts a scope needs, as prefix counts so each check is O(1)."""

    ends: list[int]  # scope-ending tokens before index i
    words: list[int]  # words (not punctuation) before index i
    commas: list[int]  # commas before index i
    coordinators: list[int]  # "and", "or", "nor", "&" before index i
    ands: list[int]  # "and", "&" before index i
    list_closers: list[int]  # coordinators but those joining two sides, before index i

    def count(self, prefix: list[int], start: int, end: int) -> int:
        return prefix[end] - prefix[start] if end > start else 0


def _prefix(flags: Iterable[bool]) -> list[int]:
    counts = [0]
    for flag in flags:
        counts.append(counts[-1] + int(flag))
    return counts


def _scopes(doc: Doc, terminators: list[Span]) -> Scopes:
    """Where scopes stop: terminators, sentence ends, hard stops, new clauses."""
    ends = [False] * len(doc)
    for span in terminators:
        for i in range(span.start, span.end):
            ends[i] = True
    lowers = [t.lower_ for t in doc]
    for token in doc:
        i = token.i
        if token.is_sent_start and i and doc[i - 1].is_punct:
            ends[i - 1] = True
        if token.text in HARD_STOPS or token.text in (".", "!", "?", "\n"):
            ends[i] = True
        if token.text in DASHES and token.whitespace_ and i and doc[i - 1].whitespace_:
            ends[i] = True
        if (token.text == "," or lowers[i] in COORDINATORS) and i + 1 < len(doc):
            if lowers[i + 1] in CLAUSE_SUBJECTS:
                ends[i] = True
    return Scopes(
        _prefix(ends),
        _prefix(not t.is_punct for t in doc),
        _prefix(t.text == "," for t in doc),
        _prefix(lower in COORDINATORS for lower in lowers),
        _prefix(lower in ("and", "&") for lower in lowers),
        _prefix(
            lower in COORDINATORS and not _joins_sides(lowers, i) for i, lower in enumerate(lowers)
        ),
    )


def _joins_sides(lowers: list[str], i: int) -> bool:
    """ "in my left leg and right foot": the coordinator joins two places, not list items."""
    following = [w for w in lowers[i + 1 : i + 4] if w not in SIDE_JOIN_FILLERS]
    return bool(following) and following[0] in ("left", "right")


def _forward_reaches(
    scopes: Scopes, cue: Cue, target: int, length: int, stop_at_and: bool = False
) -> bool:
    if target < cue.end or scopes.count(scopes.ends, cue.end, target):
        return False
    if stop_at_and and cue.kind != HYPOTHETICAL and scopes.count(scopes.ands, cue.end, target):
        return False
    if scopes.count(scopes.words, cue.end, target) > WINDOW[(cue.kind, FORWARD)]:
        return False
    if scopes.count(scopes.commas, cue.end, target):
        # Commas only inside a list closed by "or"/"and": "no fever, pain or lumps"
        # reaches lumps; "no accidents or falls, chest pain" has closed its list.
        last = next(
            (
                i
                for i in range(target - 1, cue.end - 1, -1)
                if scopes.count(scopes.coordinators, i, i + 1)
            ),
            None,
        )
        if last is not None:
            return not scopes.count(scopes.commas, last, target)
        i = target
        while i < min(length, target + REACH) and not scopes.count(scopes.ends, i, i + 1):
            if scopes.count(scopes.list_closers, i, i + 1):
                return True
            i += 1
        return False
    return True


def _backward_reaches(scopes: Scopes, cue: Cue, target_end: int) -> bool:
    if target_end > cue.start or scopes.count(scopes.ends, target_end, cue.start):
        return False
    if scopes.count(scopes.commas, target_end, cue.start):
        return False
    return scopes.count(scopes.words, target_end, cue.start) <= WINDOW[(cue.kind, BACKWARD)]


def reaching(doc: Doc, start: int, end: int, stop_at_and: bool = False) -> list[Cue]:
    """The ConText cues whose scope reaches tokens ``[start, end)``.

    ``stop_at_and``: negation and history do not reach across "and" (red flags).
    """
    found = []
    cues: list[Cue] = doc._.context_cues or []
    starts: list[int] = doc._.cue_starts or []
    scopes: Scopes = doc._.scopes
    # No scope reaches further than REACH tokens: long messages stay linear.
    nearby = cues[bisect_left(starts, start - REACH) : bisect_right(starts, end + REACH)]
    for cue in nearby:
        if start <= cue.start < end:
            continue  # the cue is part of the mention ("no feeling")
        if cue.direction == FORWARD and cue.start < start < cue.end:
            found.append(cue)  # the mention starts inside it ("if my chest feels")
            continue
        if cue.direction == FORWARD and _forward_reaches(scopes, cue, start, len(doc), stop_at_and):
            found.append(cue)
        if cue.direction == BACKWARD and _backward_reaches(scopes, cue, end):
            found.append(cue)
    return found


def cues_reaching(
    doc: Doc, start: int, end: int, stop_at_and: bool = False
) -> set[tuple[str, str]]:
    """The (kind, direction) of the ConText cues whose scope reaches tokens ``[start, end)``."""
    return {(cue.kind, cue.direction) for cue in reaching(doc, start, end, stop_at_and)}


def status_of(doc: Doc, start: int, end: int) -> str:
    kinds = {kind for kind, _ in cues_reaching(doc, start, end)}
    return next((kind for kind in PRIORITY if kind in kinds), PRESENT)


@Language.factory(CONTEXT, default_config={"vocabulary_path": "", "span_keys": []})
def make_context(
    nlp: Language, name: str, vocabulary_path: str, span_keys: list[str]
) -> ConTextComponent:
    """ConText; every span in ``doc.spans[key]`` for ``span_keys`` gets ``span._.status``."""
    return ConTextComponent(nlp, vocabulary_path, span_keys)
