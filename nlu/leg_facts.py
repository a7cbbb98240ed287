"""Leg symptoms and sensations read from spaCy: concept spans and their ConText status.

The words are phrases of data/nlu/clinical_vocabulary.yml (nlu/concepts.py):
``sensation.*`` for sensations, ``leg.*`` for the leg rules' own phrases;
ConText on spaCy tokens (nlu/context.py) gives their status.

- Words that name a leg symptom by themselves (sciatica, "leg problems", "just
  my left leg") are a symptom in one leg ("legs problems": both); in a
  question about it in general ("what is sciatica?") it is hypothetical.
- A nerve symptom on, or going down, both sides is in both legs ("sciatica on
  both sides", "down either side", "on the other side now too").
- "it" or "the tingling" in or into a leg place is a symptom there ("it's in
  both legs now", "the tingling has spread to my foot", "it's my left leg"),
  and so is anything "down my leg" or going "into my calf" (radiation,
  whatever the words), or a leg joining in ("the right one's going too").
- A sensation said of a leg place ("tingling in my left calf", "my legs are
  numb") is read by nlu/leg_phrases.py, which says whether it counts.
- Nerve symptoms named on the left and on the right are in both legs ("the
  pain is in my left leg and my right leg", "my left leg went numb and now the
  right one's going too"); plain aches do not count ("sore left calf, tight
  right hamstring").
- A leg place on its own counts only when denied: "nothing in my legs", "my
  other leg is fine", "not in my legs", "it doesn't radiate anywhere".
- A sensation on its own counts only when denied ("no tingling or numbness").

A reading is made of parts (a sensation, a place...): a cue reaching any part
governs the reading ("tingling, not on both sides"), unless it starts inside
a part ("can't feel"). Symptoms in both legs are a red flag, so a denial does
not reach them across "and". Overlapping readings with the same status: the
longest wins ("sciatica on both sides", not "sciatica" too).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from clinic.facts import Finding
from nlu.concepts import SPAN_KEY
from nlu.context import (
    CLAUSE_SUBJECTS,
    DATED,
    HISTORICAL,
    HYPOTHETICAL,
    NEGATED,
    PRESENT,
    PRIORITY,
    reaching,
)
from nlu.patterns import CLAUSE_WORDS
from nlu.questions import in_question

# The sensation concepts that are members of LEG_SENSATIONS when said of the legs.
LONE_SENSATIONS = {
    "sensation.tingling": "tingling",
    "sensation.numbness": "numbness",
    "sensation.weakness": "weakness",
    "sensation.burning": "burning",
}
SENSATIONS = {
    **LONE_SENSATIONS,
    "sensation.pain": "pain",
    "sensation.ache": "pain",
    "sensation.shooting": "pain",
}
SCIATICA = "sensation.sciatica"
# Nerve symptoms, which put a leg symptom on a side ("numb on both sides").
NEURO = (*LONE_SENSATIONS, SCIATICA)
# Concepts that name a leg symptom whatever else the message says.
NAMED_SYMPTOMS = (SCIATICA, "leg.symptoms", "leg.one_side")
BOTH_SIDES = "leg.both_sides"
PLACE = "leg.place"
BOTH = "leg.both"
# Before a denied place: "nothing in my legs", "not my legs".
DENIED_PLACE_BEFORE = frozenset({"in", "down", "into", "not"})
# Words between those and the place: "down the back of my left leg", "into my bum
# and legs", "not in either leg".
PLACE_PREFIX = frozenset(
    "my the his her your one of back side front outside inside top bottom left right lower "
    "upper bum buttock buttocks glute glutes hip hips groin and or nor &".split()
)
PREFIX_WORDS = 8
# "it's gone into my legs", "the tingling has spread to my foot".
PRONOUNS = frozenset({"it", "its", "this", "that"})
PRONOUN_VERBS = frozenset("is 's ’s has now also gone spread moved going got even".split())
INTO_PLACE = frozenset({"in", "into", "to", "down", "affecting"})
DOWN = frozenset({"down", "through", "along"})
INTO = frozenset({"into", "to", "towards", "round"})
RADIATE = "leg.radiate"
SPREADING = "leg.spreading"
# Between a leg and its joining in: "my other leg's now started to go too".
SPREADING_FILLERS = frozenset(
    "'s ’s 're ’re is are has have now also started starting begun beginning to".split()
)
TOO = frozenset({"too", "also", "now"})
IS = frozenset({"is", "'s", "’s"})
# "... in my left leg and right foot": the other side named straight after.
AND_WORDS = frozenset({"and", "&", "plus"})
AND_SIDE_FILLERS = frozenset({"in", "down", "into", "on", "my", "the"})
SIDE_PLACES = frozenset({"one", "side"})
ANYWHERE = "leg.anywhere"
# "it isn't going anywhere" says it stays, not where it spreads ("go" is their lemma).
STAYING = frozenset({"going", "gone", "went"})
BACKWARD_DENIAL_GAP = 3  # "my legs are all fine": the cue starts within a few tokens
SIDE_PREPOSITIONS = frozenset({"on", "in", "down", "into", "to"})
RADIATING = frozenset({"down", "into"})  # "down both sides" needs no sensation
GAP_WORDS = 3  # words allowed between the parts of a reading
PLURAL_LEGS = frozenset("legs thighs calves shins feet ankles knees hamstrings".split())
SIDES = frozenset({"left", "right"})
SIDE_WORDS = SIDES | {"lower", "upper"}
# What ends the clause a question is asked in (as nlu/questions.py reads it).
QUESTION_CLAUSE_WORDS = frozenset(
    ", ; . ! ? \n but and so because cos though although however whereas".split(" ")
)
# Owning a symptom ("my leg", "I've got"), not only asking ("should I ...").
FIRST_PERSON = frozenset({"my", "me", "mine"})
FIRST_PERSON_AFTER_I = frozenset({"'m", "m", "'ve", "ve"})

Spans = list[tuple[int, int]]


@dataclass(frozen=True)
class Reading:
    """A leg phrase: its parts (token ranges) and which legs it puts the symptom in."""

    parts: tuple[tuple[int, int], ...]
    side: str
    place: int = -1  # which part names the place
    qualifies: bool = True  # whether it counts when stated as present (nlu/leg_phrases.py)
    nerve: bool = True  # whether it puts a nerve symptom on the side it names

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


def _overlaps(start: int, end: int, spans: Spans) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


def spans(doc: Doc, labels: tuple[str, ...] | dict[str, str]) -> list[Span]:
    """The concept spans labelled one of ``labels``."""
    return [span for span in doc.spans.get(SPAN_KEY, ()) if span.label_ in labels]


def _is_first_person(doc: Doc, i: int) -> bool:
    token = doc[i]
    if token.lower_ in FIRST_PERSON:
        return True
    following = doc[i + 1].lower_.replace("\u2019", "'") if i + 1 < len(doc) else ""
    return token.lower_ == "i" and following in FIRST_PERSON_AFTER_I


def _question_clause(doc: Doc, start: int, end: int) -> range:
    """The tokens of the clause around ``[start, end)``, between commas, "and", "but"..."""
    while start > 0 and doc[start - 1].lower_.strip(" ") not in QUESTION_CLAUSE_WORDS:
        start -= 1
    while end < len(doc) and doc[end].lower_.strip(" ") not in QUESTION_CLAUSE_WORDS:
        end += 1
    return range(start, end)


def _is_generic_question(doc: Doc, start: int, end: int) -> bool:
    """ "what is sciatica?" asks about sciatica; "why does my left leg tingle?" reports it."""
    if any(t.lower_ in SIDES for t in doc[start:end]) or not in_question(doc.text, doc[start].idx):
        return False
    return not any(_is_first_person(doc, i) for i in _question_clause(doc, start, end))


def _status(doc: Doc, reading: Reading) -> str:
    """The strongest ConText cue reaching a part and starting in none.

    A symptom dated in a year ("sciatica in 2019") is over.
    """
    red_flag = reading.side == "both_legs"
    kinds = {
        cue.kind
        for start, end in reading.parts
        for cue in reaching(doc, start, end, stop_at_and=red_flag)
        if not any(start <= cue.start < end for start, end in reading.parts)
    }
    if DATED in kinds:
        kinds.add(HISTORICAL)
    status = next((kind for kind in PRIORITY if kind in kinds), PRESENT)
    if status == PRESENT and _is_generic_question(doc, reading.start, reading.end):
        return HYPOTHETICAL
    return status


def _named_readings(doc: Doc) -> list[Reading]:
    readings = []
    for span in spans(doc, NAMED_SYMPTOMS):
        plural = any(t.lower_ in PLURAL_LEGS for t in span)
        readings.append(Reading(((span.start, span.end),), "both_legs" if plural else "one_leg"))
    return readings


def place_start(doc: Doc, place: Span, both: Spans) -> int:
    """Where the words naming a place start: "left leg", "both of my lower legs"."""
    start = place.start
    if start > 0 and doc[start - 1].lower_ in SIDE_WORDS:
        start -= 1
    i = start
    if i > 0 and doc[i - 1].lower_ in ("my", "the", "your"):
        i -= 1
        i = i - 1 if i > 0 and doc[i - 1].lower_ == "of" else i
    mark = next((mark_start for mark_start, end in both if end == i), None)
    return start if mark is None else mark


# "I can walk on my heels fine" reports a strength test passed, not a leg place.
_STANDING = ("walk", "stand", "balance", "hop")


def _stood_on(doc: Doc, start: int) -> bool:
    i = start
    if i > 0 and doc[i - 1].lower_ in ("my", "the", "your", "tip"):
        i -= 1
    return i > 1 and doc[i - 1].lower_ == "on" and doc[i - 2].lemma_ in _STANDING


def _denied_place_readings(doc: Doc) -> list[Reading]:
    """Leg places that are read only when denied (see ``leg_findings``)."""
    both = [(s.start, s.end) for s in spans(doc, (BOTH,))]
    backward = [
        c for c in doc._.context_cues or [] if c.kind == NEGATED and c.direction == "backward"
    ]
    readings = []
    for place in spans(doc, (PLACE,)):
        start = place_start(doc, place, both)
        if _stood_on(doc, start):
            continue
        plural = any(t.lower_ in PLURAL_LEGS for t in place)
        side = "both_legs" if plural or _overlaps(start, place.end, both) else "one_leg"
        fine_after = any(place.end <= c.start <= place.end + BACKWARD_DENIAL_GAP for c in backward)
        if fine_after:
            readings.append(Reading(((start, place.end),), side))
            continue
        first = start
        while first > max(0, start - PREFIX_WORDS) and doc[first - 1].lower_ in PLACE_PREFIX:
            first -= 1
        if first > 0 and doc[first - 1].lower_ in DENIED_PLACE_BEFORE:
            # "not" is the cue, outside the reading; a preposition is part of it.
            before = first if doc[first - 1].lower_ == "not" else first - 1
            readings.append(Reading(((before, place.end),), side))
    for span in spans(doc, (ANYWHERE,)):
        if span[0].lower_ not in STAYING:
            readings.append(Reading(((span.start, span.end),), "one_leg"))
    return readings


def _subject_before(doc: Doc, end: int, sensations: list[Span]) -> int | None:
    """Where "it", "its", "this", "that" or "the <sensation>" ending at token ``end`` starts."""
    if end > 0 and doc[end - 1].lower_ in PRONOUNS:
        return end - 1
    sensation = next((s for s in sensations if s.end == end), None)
    if sensation is not None and sensation.start > 0 and doc[sensation.start - 1].lower_ == "the":
        return sensation.start - 1
    return None


def _pronoun_subject(doc: Doc, start: int, sensations: list[Span]) -> int | None:
    """The start of the subject of a leg place starting at token ``start``, if any."""
    # "it's my left leg": "it is" straight before the place.
    i = start - 1 if start > 0 and doc[start - 1].lower_ in ("my", "the") else start
    i = i - 1 if i > 0 and doc[i - 1].lower_ in ("now", "also") else i
    if i > 1 and doc[i - 1].lower_ in IS and doc[i - 2].lower_ == "it":
        return i - 2
    if i > 0 and doc[i - 1].lower_ == "its":
        return i - 1
    # "it's gone into my legs": a preposition, then the subject.
    first = start
    while first > max(0, start - PREFIX_WORDS) and doc[first - 1].lower_ in PLACE_PREFIX:
        first -= 1
    if first == 0 or doc[first - 1].lower_ not in INTO_PLACE:
        return None
    end = first - 1
    while end > 0 and doc[end - 1].lower_ in PRONOUN_VERBS:
        end -= 1
    return _subject_before(doc, end, sensations)


def _pronoun_readings(doc: Doc) -> list[Reading]:
    """ "it's in both legs now", "the tingling has spread to my foot", "it's my left leg"."""
    both = [(s.start, s.end) for s in spans(doc, (BOTH,))]
    sensations = spans(doc, (*SENSATIONS, SCIATICA))
    readings = []
    for place in spans(doc, (PLACE,)):
        start = place_start(doc, place, both)
        subject = _pronoun_subject(doc, start, sensations)
        if subject is None:
            continue
        plural = any(t.lower_ in PLURAL_LEGS for t in place)
        side = "both_legs" if plural or _overlaps(start, place.end, both) else "one_leg"
        subject_end = subject + 1 if doc[subject].lower_ != "the" else subject + 2
        readings.append(Reading(((subject, subject_end), (start, place.end)), side))
    return readings


def place_side(doc: Doc, place: Span, start: int, both: Spans) -> str:
    plural = any(t.lower_ in PLURAL_LEGS for t in place)
    return "both_legs" if plural or _overlaps(start, place.end, both) else "one_leg"


def _prefix_start(doc: Doc, start: int) -> int:
    """Where the words before a place start: "the back of my", "my bum and"."""
    first = start
    while first > max(0, start - PREFIX_WORDS) and doc[first - 1].lower_ in PLACE_PREFIX:
        first -= 1
    return first


def _down_readings(doc: Doc) -> list[Reading]:
    """ "down my leg", "down the back of both legs", "along my shin"."""
    both = [(s.start, s.end) for s in spans(doc, (BOTH,))]
    readings = []
    for place in spans(doc, (PLACE,)):
        start = place_start(doc, place, both)
        first = _prefix_start(doc, start)
        if first > 0 and doc[first - 1].lower_ in DOWN:
            side = place_side(doc, place, start, both)
            readings.append(Reading(((first - 1, first), (start, place.end)), side))
    return readings


def _into_readings(doc: Doc) -> list[Reading]:
    """ "it goes into my calf", "shoots to my foot", "burning into both feet"."""
    both = [(s.start, s.end) for s in spans(doc, (BOTH,))]
    movers = spans(doc, (RADIATE, *SENSATIONS, SCIATICA))
    readings = []
    for place in spans(doc, (PLACE,)):
        start = place_start(doc, place, both)
        first = _prefix_start(doc, start)
        if first == 0 or doc[first - 1].lower_ not in INTO:
            continue
        into = first - 1
        side = place_side(doc, place, start, both)
        # One reading per word within reach: their statuses may differ.
        for mover in movers:
            if mover.end <= into and gap_is_clause(doc, mover.end, into, commas=False):
                readings.append(Reading(((mover.start, mover.end), (start, place.end)), side))
    return readings


def _ends_with_too(doc: Doc, end: int) -> int | None:
    """Where "(a word) too|also|now|as well" after token ``end`` ends, if it follows."""
    for i in (end, end + 1):
        if i < len(doc) and doc[i].lower_ in TOO:
            return i + 1
        if i + 1 < len(doc) and doc[i].lower_ == "as" and doc[i + 1].lower_ == "well":
            return i + 2
    return None


def _spreading_readings(doc: Doc) -> list[Reading]:
    """ "now the right one's going too", "my other leg's started as well"."""
    both = [(s.start, s.end) for s in spans(doc, (BOTH,))]
    places = spans(doc, (PLACE,))
    readings = []
    for verb in spans(doc, (SPREADING,)):
        end = _ends_with_too(doc, verb.end)
        i = verb.start
        while i > 0 and doc[i - 1].lower_ in SPREADING_FILLERS:
            i -= 1
        place = next((p for p in places if p.end == i), None)
        if end is None or place is None:
            continue
        start = place_start(doc, place, both)
        side = place_side(doc, place, start, both)
        readings.append(Reading(((start, place.end), (verb.start, end)), side, place=0))
    return readings


def _named_side(doc: Doc, reading: Reading) -> str | None:
    """ "left" or "right" when a reading names its place's side ("my left calf")."""
    start, end = reading.parts[reading.place]
    return next((t.lower_ for t in doc[start:end] if t.lower_ in SIDES), None)


def _other_side(doc: Doc, end: int, places: list[Span]) -> tuple[str, int] | None:
    """ "... and right foot" straight after token ``end``: the side and where it ends."""
    i = end + 1 if end < len(doc) and doc[end].text == "," else end
    if i >= len(doc) or doc[i].lower_ not in AND_WORDS:
        return None
    i += 1
    while i < len(doc) and doc[i].lower_ in AND_SIDE_FILLERS:
        i += 1
    if i >= len(doc) or doc[i].lower_ not in SIDES:
        return None
    side, i = doc[i].lower_, i + 1
    i = i + 1 if i < len(doc) and doc[i].lower_ in ("lower", "upper") else i
    if i < len(doc) and doc[i].lower_ in SIDE_PLACES:
        return side, i + 1
    place = next((p for p in places if p.start == i), None)
    return (side, place.end) if place is not None else None


def _sides(doc: Doc, readings: list[tuple[Reading, str]]) -> dict[str, tuple[int, int]]:
    """The sides nerve symptoms in one leg are named on, with their character spans.

    ``readings``: every reading with its status, overlapping ones included.
    """
    places = spans(doc, (PLACE,))
    sides: dict[str, tuple[int, int]] = {}
    for reading, status in readings:
        if reading.side != "one_leg":
            continue
        if status == NEGATED:
            # The pair is a red flag: a denial must reach it as it would a red flag.
            if _status(doc, Reading(reading.parts, "both_legs")) != PRESENT:
                continue
        elif status != PRESENT:
            continue
        start = doc[reading.start].idx
        side = _named_side(doc, reading)
        if side:
            sides.setdefault(side, (start, doc[reading.end - 1].idx + len(doc[reading.end - 1])))
        more = _other_side(doc, reading.end, places)
        if more:
            sides.setdefault(more[0], (start, doc[more[1] - 1].idx + len(doc[more[1] - 1])))
    return sides


def _second_side(doc: Doc, sides: dict[str, tuple[int, int]]) -> list[Finding]:
    if len(sides) < 2:
        return []
    start = min(span[0] for span in sides.values())
    end = max(span[1] for span in sides.values())
    where = (start, end, doc.text[start:end])
    return [
        Finding("leg_symptoms", "both_legs", PRESENT, *where),
        Finding("red_flags", "both_legs", PRESENT, *where),
    ]


def gap_is_clause(
    doc: Doc, start: int, end: int, commas: bool = True, max_words: int = GAP_WORDS
) -> bool:
    """Whether tokens ``[start, end)`` may join two parts: a few words of one clause."""
    words = 0
    for i in range(start, end):
        token = doc[i]
        if token.text == "," and commas:
            continue  # a list: "weakness, tingling on both sides"
        if token.is_punct or token.lower_ in CLAUSE_WORDS:
            return False
        if i and doc[i - 1].lower_ in (",", "and", "&") and token.lower_ in CLAUSE_SUBJECTS:
            return False  # "... and it's on both sides": a new clause
        words += 1
    return words <= max_words


def _both_sides_readings(doc: Doc) -> list[Reading]:
    """ "numb on both sides", "sciatica on the other side", "down either side"."""
    neuro = spans(doc, NEURO)
    readings = []
    for sides in spans(doc, (BOTH_SIDES,)):
        before = sides.start - 1
        if before < 0 or doc[before].lower_ not in SIDE_PREPOSITIONS:
            continue
        # One reading per nerve symptom within reach: their statuses may differ
        # ("no tingling and numb on both sides" states numbness on both sides).
        starts = [
            (s.start, s.end) for s in neuro if s.end <= before and gap_is_clause(doc, s.end, before)
        ]
        if doc[before].lower_ in RADIATING:
            starts.append((before, before + 1))
        readings += [Reading((part, (sides.start, sides.end)), "both_legs") for part in starts]
    return readings


def _findings(doc: Doc, reading: Reading, status: str, words: list[Span]) -> list[Finding]:
    """``words``: the sensation and sciatica spans, in order of start."""
    span = doc[reading.start : reading.end]
    where = (span.start_char, span.end_char, span.text)
    value = "none" if status == NEGATED else reading.side
    findings = [Finding("leg_symptoms", value, status, *where)]
    if reading.side == "both_legs":
        findings.append(Finding("red_flags", "both_legs", status, *where))
    lo = bisect_left([w.start for w in words], reading.start)
    inside = [w for w in words[lo:] if w.start < reading.end and w.end <= reading.end]
    # "nerve pain" is sciatica, no member of LEG_SENSATIONS.
    sciatica = [(s.start, s.end) for s in inside if s.label_ == SCIATICA]
    sensations: list[str] = []
    for word in inside:
        if word.label_ == SCIATICA:
            # "sciatic pain" is one token, sciatica, yet names the pain too.
            lowered = word.text.lower().split()
            if "pain" in lowered and lowered != ["nerve", "pain"] and "pain" not in sensations:
                sensations.append("pain")
        elif not _overlaps(word.start, word.end, sciatica):
            if SENSATIONS[word.label_] not in sensations:
                sensations.append(SENSATIONS[word.label_])
    findings += [Finding("leg_sensations", s, status, *where) for s in sensations]
    return findings


def leg_findings(doc: Doc, phrases: list[Reading]) -> list[Finding]:
    """The leg findings of the readings above and of ``phrases`` (nlu/leg_phrases.py)."""
    denied_only = _denied_place_readings(doc)
    spreading = (
        _pronoun_readings(doc)
        + _down_readings(doc)
        + _into_readings(doc)
        + _spreading_readings(doc)
    )
    readings = phrases + spreading + _both_sides_readings(doc) + _named_readings(doc) + denied_only
    readings.sort(key=lambda r: (r.start - r.end, r.start))  # longest first
    denied = set(denied_only)
    # Readings that name a side for the left-and-right rule.
    siding = {r for r in (*spreading, *phrases) if r.nerve}
    statuses = [(reading, _status(doc, reading)) for reading in readings]
    statuses = [
        (reading, status)
        for reading, status in statuses
        if not (reading in denied and status != NEGATED)
        and (reading.qualifies or status != PRESENT)
    ]
    words = sorted(spans(doc, (*SENSATIONS, SCIATICA)), key=lambda s: s.start)
    kept: dict[str, Spans] = {}
    findings = []
    for reading, status in statuses:
        span = doc[reading.start : reading.end]
        same = kept.setdefault(status, [])
        if not _overlaps(span.start, span.end, same):
            same.append((span.start, span.end))
            findings += _findings(doc, reading, status, words)
    named = _sides(doc, [(r, s) for r, s in statuses if r in siding])
    return findings + _second_side(doc, named)


def lone_sensation_denials(doc: Doc, covered: Spans) -> list[Finding]:
    """Denied sensation words outside the phrases in ``covered``: "no tingling or numbness".

    Stated on its own, a sensation says nothing about the legs ("it burns when I
    pee"); denied, it answers the question about them. ``covered``: character
    spans already read as a leg or saddle phrase, which say where it is.
    """
    findings = []
    for span in spans(doc, LONE_SENSATIONS):
        if span._.status != NEGATED or _overlaps(span.start_char, span.end_char, covered):
            continue
        value = LONE_SENSATIONS[span.label_]
        findings.append(
            Finding("leg_sensations", value, NEGATED, span.start_char, span.end_char, span.text)
        )
    return findings
