"""Leg sensations read from spaCy concept spans and ConText (nlu/leg_facts.py, nlu/leg_phrases.py).

Table-driven on the whole extractor: each case lists every leg finding
(leg_symptoms, leg_sensations, the both_legs red flag) a message must give.
"""

import pytest

from nlu.extractor import extract

P, N, H, Y = "present", "negated", "historical", "hypothetical"


def leg_findings(text: str) -> set[tuple]:
    return {
        (f.fact, f.value, f.status)
        for f in extract(text)
        if f.fact in ("leg_symptoms", "leg_sensations") or f.value == "both_legs"
    }


def denied(*sensations: str) -> set[tuple]:
    return {("leg_sensations", s, N) for s in sensations}


def leg(side: str, status: str = P, *sensations: str) -> set[tuple]:
    out = {("leg_symptoms", "none" if status == N else side, status)}
    out |= {("leg_sensations", s, status) for s in sensations}
    return out | ({("red_flags", "both_legs", status)} if side == "both_legs" else set())


NAMED_SYMPTOM_CASES = [
    ("I've got sciatica", leg("one_leg")),
    ("my sciatic nerve is playing up", leg("one_leg")),
    ("I've got leg problems", leg("one_leg")),
    ("no leg problems", leg("one_leg", N)),
    ("never had sciatica", leg("one_leg", N)),
    ("sciatica in both legs", leg("both_legs")),  # the longer phrase, not the name alone
    # Asked about in general, or feared: hypothetical.
    ("what is sciatica?", leg("one_leg", Y)),
    ("any leg problems?", leg("one_leg", Y)),
    ("I'm scared it could turn into sciatica", leg("one_leg", Y)),
    ("what if I get sciatica going down my leg", leg("one_leg", Y)),
    # Of one's own, in a question: reported.
    ("can my sciatica come back?", leg("one_leg")),
    # A year dates it.
    ("back in 1998 I had sciatica", leg("one_leg", H)),
    # One leg by its side; asked about, still one's own.
    ("just my left leg", leg("one_leg")),
    ("it's only in the right one", leg("one_leg")),
    ("is it only my left side?", leg("one_leg")),
]


@pytest.mark.parametrize(
    ("text", "expected"), NAMED_SYMPTOM_CASES, ids=[t for t, _ in NAMED_SYMPTOM_CASES]
)
def test_named_symptoms(text, expected):
    assert leg_findings(text) == expected


def felt(status: str, *sensations: str) -> set[tuple]:
    return {("leg_sensations", s, status) for s in sensations}


BOTH_SIDES_CASES = [
    ("numbness on both sides", leg("both_legs") | felt(P, "numbness")),
    ("pins and needles in both sides", leg("both_legs") | felt(P, "tingling")),
    ("weakness, tingling on both sides", leg("both_legs") | felt(P, "weakness", "tingling")),
    ("it goes down either side", leg("both_legs")),
    ("sciatica on the opposite side", leg("both_legs")),
    ("tinglng on both sides", leg("both_legs") | felt(P, "tingling")),
    # Pain alone, or a new clause, is not a nerve symptom on both sides.
    ("pain on both sides", set()),
    ("tingling and it is on both sides", set()),
    # A cue between the parts reaches the reading.
    ("tingling, not on both sides", leg("both_legs", N) | felt(N, "tingling")),
    ("never had numbness on both sides", leg("both_legs", N) | felt(N, "numbness")),
    ("does it go down both sides?", leg("both_legs", Y)),
    ("what if I get tingling on both sides", leg("both_legs", Y) | felt(Y, "tingling")),
    # A denial does not reach a red flag across "and": the flag stays (the denied
    # reading "tingling and numb on both sides" stays too, without its red flag).
    (
        "no tingling and numb on both sides",
        leg("both_legs")
        | felt(P, "numbness")
        | {("leg_symptoms", "none", N)}
        | felt(N, "tingling", "numbness"),
    ),
    (
        "no bladder problems and numbness on both sides",
        leg("both_legs") | felt(P, "numbness"),
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), BOTH_SIDES_CASES, ids=[t for t, _ in BOTH_SIDES_CASES]
)
def test_both_sides(text, expected):
    assert leg_findings(text) == expected


LONE_SENSATION_CASES = [
    ("no tingling or numbness", denied("tingling", "numbness")),
    ("no tinglng or numbnes", denied("tingling", "numbness")),  # corrected spellings
    ("no tingled feeling", denied("tingling")),
    ("never had any deadness", denied("numbness")),
    ("no reduced sensation", denied("numbness")),
    ("I haven't lost all feeling", denied("numbness")),
    ("no weakening", denied("weakness")),
    ("not numb, just tingly", denied("numbness")),
    # Stated, a sensation on its own says nothing about the legs.
    ("it burns when I pee", set()),
    ("I can't feel my fingers properly", set()),
    # Hypothetical beats negated.
    ("what if I get no tingling", set()),
    # Read with the saddle phrase it belongs to, not as a leg sensation.
    ("no numbness around my bum", set()),
]


@pytest.mark.parametrize(
    ("text", "expected"), LONE_SENSATION_CASES, ids=[t for t, _ in LONE_SENSATION_CASES]
)
def test_lone_sensation_denials(text, expected):
    assert leg_findings(text) == expected


DENIED_PLACE_CASES = [
    ("nothing in my legs", leg("both_legs", N)),
    ("nothing going into my bum and legs", leg("both_legs", N)),
    ("it's not in either leg", leg("both_legs", N)),
    ("my left leg is fine", leg("one_leg", N)),
    ("my other leg is fine", leg("both_legs", N)),
    ("both my legs are ok", leg("both_legs", N)),
    ("it doesn't radiate anywhere", leg("one_leg", N)),
    ("it never travels anywhere", leg("one_leg", N)),
    # "not going anywhere": it stays.
    ("the pain hasn't gone anywhere", set()),
    # Stated, a place alone is no symptom; nor is a place that is no denial's.
    ("my knees", set()),
    ("I can't touch my toes", set()),
    # "and right foot" joins two places, not a list a denial reaches through.
    (
        "no fever, tingling in my left leg and right foot",
        leg("one_leg") | felt(P, "tingling") | leg("both_legs"),
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), DENIED_PLACE_CASES, ids=[t for t, _ in DENIED_PLACE_CASES]
)
def test_denied_places(text, expected):
    assert leg_findings(text) == expected


PRONOUN_CASES = [
    ("it's both legs now", leg("both_legs")),
    ("its in both legs", leg("both_legs")),
    ("the tingling has spread to my foot", leg("one_leg") | felt(P, "tingling")),
    ("it's my left leg", leg("one_leg")),
    ("no fever and it's in both legs", leg("both_legs")),  # no denial across "and"
    ("it's not in my legs", leg("both_legs", N)),
    ("is it in both legs?", leg("both_legs", Y)),
    # A side named with its sensation and one by "it": both legs.
    (
        "my left leg went numb and now it's in my right leg",
        leg("one_leg") | felt(P, "numbness") | leg("both_legs"),
    ),
    ("the pain is in my left leg and my right leg", leg("one_leg", P, "pain") | leg("both_legs")),
    ("it's in my right leg, not my left", leg("one_leg")),
]


@pytest.mark.parametrize(("text", "expected"), PRONOUN_CASES, ids=[t for t, _ in PRONOUN_CASES])
def test_pronouns(text, expected):
    assert leg_findings(text) == expected


DOWN_CASES = [
    ("it goes down my leg", leg("one_leg")),
    ("down the back of both legs", leg("both_legs")),
    ("my back hurts and it's going down both my legs", leg("both_legs")),
    ("pain going down the back of both legs", leg("both_legs", P, "pain")),
    (
        "it goes down my left leg and right leg",
        leg("one_leg") | leg("both_legs"),
    ),
    # "pins and needles" is one word: its "and" joins nothing, so the denial or
    # the history before it reaches the legs.
    ("no pins and needles down my legs", leg("both_legs", N, "tingling")),
    ("I used to get pins and needles down my legs", leg("both_legs", H, "tingling")),
    ("no fever and pins and needles down my legs", leg("both_legs", P, "tingling")),
]


@pytest.mark.parametrize(("text", "expected"), DOWN_CASES, ids=[t for t, _ in DOWN_CASES])
def test_down_a_leg(text, expected):
    assert leg_findings(text) == expected


INTO_CASES = [
    ("it goes into my calf", leg("one_leg")),
    ("it sometimes travels into both feet", leg("both_legs")),
    ("burning into both feet", leg("both_legs", P, "burning")),
    ("the ache spreads into my hamstrings", leg("both_legs", P, "pain")),
    ("no pain going into my legs", leg("both_legs", N, "pain")),
    ("what if it spreads into my legs", leg("both_legs", Y)),
    (
        "it radiates to my left foot and now it's in my right foot",
        leg("one_leg") | leg("both_legs"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), INTO_CASES, ids=[t for t, _ in INTO_CASES])
def test_into_a_leg(text, expected):
    assert leg_findings(text) == expected


SPREADING_CASES = [
    ("my other leg's started as well", leg("both_legs")),
    ("the other one is playing up too", leg("both_legs")),
    ("my right leg is involved now", leg("one_leg")),
    # The first side named with its sensation, the second by joining in.
    (
        "my left leg went numb and now the right one's going too",
        leg("one_leg", P, "numbness") | leg("both_legs"),
    ),
    (
        "my left calf tingles and my right one's joined in as well",
        leg("one_leg", P, "tingling") | leg("both_legs"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), SPREADING_CASES, ids=[t for t, _ in SPREADING_CASES])
def test_a_leg_joining_in(text, expected):
    assert leg_findings(text) == expected


PHRASE_CASES = [
    ("tingling in my left calf", leg("one_leg", P, "tingling")),
    ("pain shooting down my leg", leg("one_leg", P, "pain")),
    ("numb left foot", leg("one_leg", P, "numbness")),
    ("left leg feels weak", leg("one_leg", P, "weakness")),
    ("my legs feel kind of weak", leg("both_legs", P, "weakness")),
    ("my legs aren't numb", leg("both_legs", N, "numbness")),
    ("I used to get tingling in my feet", leg("both_legs", H, "tingling")),
    # A filler word may start the sensation: "giving way".
    ("my knee's been giving way", leg("one_leg", P, "weakness")),
    # Plain pain: in the leg itself or on a named side, not a sore calf.
    ("pain in my thigh", leg("one_leg", P, "pain")),
    ("sore right calf", leg("one_leg", P, "pain")),
    ("sore calf", set()),
    ("stabbing pain in my calf", set()),
    ("shooting pain in my calf", leg("one_leg", P, "pain")),
    # Plural legs need a nerve word or radiation.
    ("my legs ache after the marathon", set()),
    # A verb between a place and its sensation is no radiation ("gone", "going").
    ("my legs have gone sore", set()),
    ("my calf has gone sore", set()),
    ("my legs go numb", leg("both_legs", P, "numbness")),
    ("numbness between my legs", set()),  # the saddle, not the legs
    # "sciatic pain" is one token, sciatica, and names the pain.
    ("sciatic pain down my leg", leg("one_leg", P, "pain")),
    ("pain goes from my lower back into my right buttock", leg("one_leg", P, "pain")),
    # A denial does not reach both legs across "and".
    ("no fever and tingling in both legs", leg("both_legs", P, "tingling")),
    ("what causes leg pain?", leg("one_leg", Y, "pain")),
    ("why does my left leg go numb?", leg("one_leg", P, "numbness")),
]


@pytest.mark.parametrize(("text", "expected"), PHRASE_CASES, ids=[t for t, _ in PHRASE_CASES])
def test_a_sensation_said_of_a_leg_place(text, expected):
    assert leg_findings(text) == expected
