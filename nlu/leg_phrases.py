"""A sensation said of a leg place, read on spaCy tokens: the readings nlu/leg_facts.py weighs.

- A sensation in, on, down... a place: "tingling in my left calf", "pain
  shooting down my leg", "numb left foot" (a few words may come between:
  "pain that goes down the back of my leg", but no saddle place: in "numb bum
  and tingling down both legs" the numbness is the saddle's).
- A place, then its sensation: "my legs are numb", "leg pain", "left leg feels
  weak", "my legs aren't numb".

Stated as present, a reading counts only when it is a leg symptom: plural legs
("my legs ache after the marathon") need a nerve word or radiation, plain pain
counts only in the leg, thigh, buttock or hamstring or on a named side ("sore
calf" is a running injury).
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc, Span

from nlu.leg_facts import (
    BOTH,
    LONE_SENSATIONS,
    PLACE,
    PLACE_PREFIX,
    RADIATE,
    SCIATICA,
    SENSATIONS,
    SIDES,
    Reading,
    gap_is_clause,
    place_side,
    place_start,
    spans,
)

# Before a place: "in my leg", "shooting down the back of my leg", "into my bum and legs".
PREPOSITIONS = frozenset(
    (
        "in on down into through along to round around behind at across from under over of and &"
    ).split()
)
# Straight before a place: "numb left foot", "tingling the back of my leg".
DIRECT_PREFIX = frozenset(
    "the back side front outside inside top bottom of my his her your one".split()
)
SENSE_GAP_WORDS = 4  # "pain that goes right down my leg"
PLACE_REACH = 20  # tokens: a gap, a preposition and a prefix, with commas
# A gap before a leg place names no saddle place: "numb around my bum and legs".
SADDLE_WORDS = frozenset(
    "genital genitals groin crotch privates bum buttock buttocks backside anus anal saddle "
    "perineum perineal vagina vulva penis testicles scrotum nether rectum arse butt".split()
)
# Between a place and its sensation: "my left leg has gone numb", "legs aren't weak".
FILLERS = frozenset(
    "'s ’s 're ’re is are was were feel feels felt feeling has have had gone goes going go "
    "went keep keeps kept getting gets got get seem seems become becomes became been bit a "
    "quite very really slightly totally completely all often sometimes always constantly also "
    "start starts started starting to giving turn turns turned kind sort little with much far "
    "even noticeably definitely like do does n't nt not never no longer".split()
)
# Radiation: "down", "into", a leg.radiate verb ("goes"), "shooting".
RADIATION_WORDS = frozenset({"down", "into", "through", "along"})
SHOOTING = "shoot"
# Words that, like the nerve sensations, make plural legs both legs.
NERVE_WORDS = (SHOOTING, "electric")
# Plain pain is a leg symptom in these places only ("pain in my thigh", not "sore calf").
PAIN_PLACES = ("leg", "thigh", "buttock", "glute", "hamstring", "bum")
# Sensations that make plural legs both legs ("my legs are numb", not "my legs ache").
PLURAL_NERVE = (*(label for label in LONE_SENSATIONS if label != "sensation.burning"), SCIATICA)
MY = ("my", "the")


def _labels(doc: Doc) -> list[set[str]]:
    """The labels of the sensation and radiation spans over each token."""
    labels: list[set[str]] = [set() for _ in doc]
    for span in spans(doc, (*SENSATIONS, SCIATICA, RADIATE)):
        for i in range(span.start, span.end):
            labels[i].add(span.label_)
    return labels


def _is_saddle_gap(doc: Doc, start: int, end: int) -> bool:
    for i in range(start, end):
        lower = doc[i].lower_
        if lower in SADDLE_WORDS or lower.startswith("genital"):
            return True
        if lower in ("below", "there") and i and doc[i - 1].lower_ == "down":
            return True  # "down there", "down below"
    return False


def _nearest_place(doc: Doc, sensation: Span, places: list[tuple[Span, int]]) -> int | None:
    """Which place a sensation is said to be in, if any: "tingling in my left calf".

    ``places``: each place and where its words start, in order of start.
    """
    first = bisect_left(places, sensation.end, key=lambda p: p[1])
    for n, (_, start) in enumerate(places[first:], first):
        if start - sensation.end > PLACE_REACH:
            break  # places are in order: long messages stay linear
        if all(t.lower_ in DIRECT_PREFIX for t in doc[sensation.end : start]):
            return n
        prefix = start
        while prefix > sensation.end and doc[prefix - 1].lower_ in PLACE_PREFIX:
            prefix -= 1
        # The first preposition the place's prefix may follow: "pain in my bum and leg".
        after = range(max(prefix - 1, sensation.end), start)
        j = next((j for j in after if doc[j].lower_ in PREPOSITIONS), None)
        if j is None or not gap_is_clause(doc, sensation.end, j, max_words=SENSE_GAP_WORDS):
            continue
        if not _is_saddle_gap(doc, sensation.end, j):
            return n
    return None


def _after_place(doc: Doc, end: int, sensations: dict[int, Span]) -> Span | None:
    """The sensation a place is said to have: "my left leg has gone numb", "leg pain"."""
    i = end
    while i < len(doc) and i - end <= PLACE_REACH:
        if i in sensations:
            return sensations[i]  # "my knee's been giving way": "giving" starts the sensation
        lower = doc[i].lower_
        if lower == "of" and i and doc[i - 1].lower_ in ("kind", "sort"):
            i += 1
            continue
        if lower not in FILLERS:
            return None
        i += 1
    return None


def _radiating(tokens: Span, labels: set[str]) -> bool:
    """``labels``: those of the sensation and radiation spans among ``tokens``."""
    return RADIATE in labels or any(
        t.lower_ in RADIATION_WORDS or t.lower_.startswith(SHOOTING) for t in tokens
    )


def _nerve(tokens: Span, labels: set[str]) -> bool:
    return bool(labels & set(PLURAL_NERVE)) or any(t.lower_.startswith(NERVE_WORDS) for t in tokens)


def _qualifies(
    place: Span, tokens: Span, side: str, marked: bool, labels: set[str], radiating: bool
) -> bool:
    """Whether a reading stated as present is a leg symptom (see the module doc)."""
    if side == "both_legs" and not marked:
        return radiating or _nerve(tokens, labels)
    if marked or radiating or labels & set(LONE_SENSATIONS):
        return True
    return any(t.lower_ in SIDES for t in tokens) or any(
        w in t.lower_ for t in place for w in PAIN_PLACES
    )


def phrase_readings(doc: Doc) -> list[Reading]:
    """ "tingling in my left calf", "my legs are numb": a sensation and its place."""
    both = [(s.start, s.end) for s in spans(doc, (BOTH,))]
    places = []
    for place in spans(doc, (PLACE,)):
        start = place_start(doc, place, both)
        # "between my legs" is the saddle.
        if start > 1 and doc[start - 2].lower_ == "between" and doc[start - 1].lower_ in MY:
            continue
        places.append((place, start))
    places.sort(key=lambda p: p[1])
    sensations = spans(doc, (*SENSATIONS, SCIATICA))
    starts = {s.start: s for s in sorted(sensations, key=len)}  # the longest at each start
    found: list[tuple[Span, int, Span, bool]] = []  # place, its start, sensation, sensation first
    for sensation in sensations:
        n = _nearest_place(doc, sensation, places)
        if n is not None:
            found.append((*places[n], sensation, True))
    for place, start in places:
        sensation = _after_place(doc, place.end, starts)
        if sensation is not None:
            found.append((place, start, sensation, False))
    token_labels = _labels(doc)
    readings = []
    for place, start, sensation, first in found:
        side = place_side(doc, place, start, both)
        marked = any(s < place.end and start < e for s, e in both)
        parts = ((sensation.start, sensation.end), (start, place.end))
        if not first:
            parts = parts[::-1]
        begin, end = parts[0][0], parts[-1][1]
        labels = set().union(*token_labels[begin:end])
        tokens = doc[begin:end]
        # "my legs have gone sore": a verb between a place and its sensation is no radiation.
        moving = tokens if first else doc[sensation.start : sensation.end]
        radiating = _radiating(moving, set().union(*token_labels[moving.start : moving.end]))
        readings.append(
            Reading(
                parts,
                side,
                place=1 if first else 0,
                qualifies=_qualifies(place, tokens, side, marked, labels, radiating),
                nerve=radiating or _nerve(tokens, labels),
            )
        )
    return readings
