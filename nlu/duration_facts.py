"""How long the pain has lasted, as ``duration_days`` findings with a ConText status.

nlu/durations.py reads the amounts of time ("a fortnight", "since Monday") and
normalises them to days; the status comes from the spaCy ConText cues
(nlu/context.py), like every other fact's:

- hypothetical when a hypothetical cue reaches it ("what if it lasts 6 weeks");
- historical for an old episode dated a year or more back with no onset word in
  its clause ("had sciatica 5 years ago", but not "it started 2 years ago");
- negated when the person takes it back ("4 days, not 4 weeks").

Several present durations collapse into the longest: shorter ones usually date
a recent change ("had it 3 weeks, worse since yesterday").
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from clinic.facts import Finding
from nlu.context import HISTORICAL, HYPOTHETICAL, NEGATED, PRESENT, Scopes, cues_reaching
from nlu.corrected import CorrectedText
from nlu.durations import find_durations

# Words that date the start of this episode: "it started 2 years ago".
_ONSET_WORDS = frozenset(
    {"started", "starts", "began", "begun", "since", "came", "first", "been", "for"}
)
_AGO = ("ago", "back")
# "not", optionally softened, straight before the amount: "4 days, not (even) 4 weeks".
_TAKEN_BACK = "not"
_SOFTENERS = frozenset({"even", "about", "quite"})


def _clause(doc: Doc, span: Span) -> Span:
    """The tokens around ``span`` up to a scope end, a comma or a coordinator."""
    scopes: Scopes = doc._.scopes

    def breaks(i: int) -> bool:
        return bool(
            scopes.count(scopes.ends, i, i + 1)
            or scopes.count(scopes.commas, i, i + 1)
            or scopes.count(scopes.coordinators, i, i + 1)
        )

    left = span.start
    while left > 0 and not breaks(left - 1):
        left -= 1
    right = span.end
    while right < len(doc) and not breaks(right):
        right += 1
    return doc[left:right]


def _is_past_episode(doc: Doc, span: Span, days: int) -> bool:
    if days < 365 or span[-1].lower_ not in _AGO:
        return False
    return not any(t.lower_ in _ONSET_WORDS for t in _clause(doc, span))


def _taken_back(doc: Doc, span: Span) -> bool:
    i = span.start - 1
    if i >= 0 and doc[i].lower_ in _SOFTENERS:
        i -= 1
    return i >= 0 and doc[i].lower_ == _TAKEN_BACK


def _status(doc: Doc, span: Span, days: int) -> str:
    if _taken_back(doc, span):
        return NEGATED
    if any(kind == HYPOTHETICAL for kind, _ in cues_reaching(doc, span.start, span.end)):
        return HYPOTHETICAL
    return HISTORICAL if _is_past_episode(doc, span, days) else PRESENT


def duration_facts(doc: Doc, corrected: CorrectedText) -> list[Finding]:
    """The durations of a processed message; ``corrected``: its spelling-corrected text."""
    findings = []
    for days, start, end in find_durations(corrected.text):
        start = corrected.original_offset(start)
        end = corrected.original_offset(end, end=True)
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        status = _status(doc, span, days)
        findings.append(Finding("duration_days", days, status, start, end, doc.text[start:end]))
    present = [f for f in findings if f.status == PRESENT]
    if len(present) > 1:
        longest = max(present, key=lambda f: f.value)
        findings = [f for f in findings if f.status != PRESENT or f is longest]
    return findings
