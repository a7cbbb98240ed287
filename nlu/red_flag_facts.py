"""The red flags read from spaCy concept spans: major trauma, worsening leg weakness
and the cauda equina signs (saddle numbness, bladder, bowel). Chest pain is one line
of nlu/concept_facts.py; both legs comes from the leg readings (nlu/leg_facts.py).

Red flags are conservative (a denial does not reach them across "and"; see
``ConceptFact.red_flag``), and each table says which words unmake a mention.
"""

from __future__ import annotations

from nlu.concept_fact import ConceptFact

# Major trauma is an event: "... was fine" after it does not undo it ("came off my
# bike and felt fine at first"). Phrases whose lemma stands for several forms
# need the form that tells the event ("landed hard", not a runner "landing hard").
_TRAUMA = {"backward_negation": False, "hypothetical_within": True}
# "fell asleep", "my pace falls apart", "falls behind": no fall.
_NOT_A_FALL = ("asleep", "apart", "away", "below", "under", "behind", "short", "into", "within")
# Things that come off or fall, not the runner: "the chain came off my bike", "my
# pace fell off a cliff".
_NOT_THE_RUNNER = (
    "chain", "pace", "speed", "mileage", "fitness", "form", "times", "performance", "motivation",
)  # fmt: skip
MAJOR_TRAUMA_FACTS: dict[str, ConceptFact] = {
    "red_flag.major_trauma": ConceptFact(
        "red_flags",
        "major_trauma",
        not_before=("diet", "course"),  # "a crash diet"
        not_after=_NOT_THE_RUNNER,
        **_TRAUMA,
    ),
    "major_trauma.fell_backwards": ConceptFact(
        "red_flags", "major_trauma", not_within=("asleep",), not_after=_NOT_THE_RUNNER, **_TRAUMA
    ),
    "major_trauma.fall_distance": ConceptFact(
        "red_flags", "major_trauma", needs_number=True, **_TRAUMA
    ),
    "major_trauma.landed_hard": ConceptFact(
        "red_flags",
        "major_trauma",
        needs_within=("landed", "fell", "fallen", "came", "went", "crashed", "hit"),
        not_after=("rain", "snow", "hail", "sleet"),  # "the rain came down hard"
        **_TRAUMA,
    ),
    "major_trauma.run_over": ConceptFact(
        "red_flags",
        "major_trauma",
        needs_within=("run", "ran", "ended", "rearended", "boned", "tboned", "shunted"),
        **_TRAUMA,
    ),
    "major_trauma.any_accident": ConceptFact(
        "red_flags",
        "major_trauma",
        only_negated=True,
        not_within=("crashed", "crashing"),  # "my watch hasn't crashed"
        not_before=_NOT_A_FALL,
        **_TRAUMA,
    ),
}

# Worsening leg weakness, as conservative as trauma: "... and felt fine after"
# does not undo a leg that gave way. "caught" is a one-off trip ("my toe caught
# on a root"), not a foot that keeps catching.
_WEAKNESS = {"backward_negation": False, "hypothetical_within": True, "generic_question": True}
# "weaker" shares its lemma with "weak", and "getting" with "got": a form that says
# it is getting worse ("my legs feel weak after a long run" does not).
_WORSE_FORMS = (
    "weaker", "getting", "weakening", "progressive", "progressively", "increasing",
    "increasingly", "worsening", "severe", "severely",
)  # fmt: skip
# A leg named in the sentence: "I'm getting weaker" may be anything.
_LEG_PLACES = (
    "location.leg", "location.thigh", "location.calf", "location.foot", "location.buttock",
)  # fmt: skip
WORSENING_WEAKNESS_FACTS: dict[str, ConceptFact] = {
    "red_flag.worsening_weakness": ConceptFact(
        "red_flags", "worsening_weakness", not_within=("caught",), **_WEAKNESS
    ),
    # "I've been dragging my feet about booking" puts it off.
    "worsening_weakness.drag": ConceptFact(
        "red_flags", "worsening_weakness", not_before=("about", "over"), **_WEAKNESS
    ),
    # "my feet are dragging at the end of long runs" is tiredness.
    "worsening_weakness.foot_slaps": ConceptFact(
        "red_flags", "worsening_weakness", not_within=("feet", "caught"), **_WEAKNESS
    ),
    "worsening_weakness.weaker": ConceptFact(
        "red_flags",
        "worsening_weakness",
        needs_within=_WORSE_FORMS,
        # One leg against the other is a comparison, not a change: "weaker than my right".
        not_before=("than my", "than the other", "than the left", "than the right"),
        needs_concept=_LEG_PLACES,
        **_WEAKNESS,
    ),
    # The wildcard may hold the denial: "the weakness isn't getting any worse".
    "worsening_weakness.worse": ConceptFact(
        "red_flags", "worsening_weakness", negation_within=True, **_WEAKNESS
    ),
}

# Cauda equina signs (999). "number" has the lemma "numb"; "bottom" before "of",
# "end", "half" or "line" is no place ("numb at the bottom of my foot"). "a wee
# bit" is "a little"; "go for a run" is no toilet; "pissed myself laughing".
_WEE_BIT = ("bit", "bitty", "while", "tad", "touch", "one", "ones", "thing")
_NOT_TOILET = (
    "for a", "to the", "to a", "to work", "to bed", "to sleep", "to hospital", "back", "home",
    "out", "running", "run", "jogging",
)  # fmt: skip
CAUDA_EQUINA_FACTS: dict[str, ConceptFact] = {
    "red_flag.saddle_numbness": ConceptFact(
        "red_flags",
        "saddle_numbness",
        not_within=("number",),
        not_before=("of", "end", "half", "line"),
    ),
    "red_flag.saddle_place": ConceptFact(
        "red_flags", "saddle_numbness", not_within=("number",), negation_within=True
    ),
    "red_flag.saddle_wiping": ConceptFact("red_flags", "saddle_numbness"),
    # "... numbness in my legs, now it's in my groin": the sensation was named earlier.
    "red_flag.saddle_spread": ConceptFact(
        "red_flags",
        "saddle_numbness",
        needs_concept=("sensation.numbness", "sensation.tingling"),
    ),
    "red_flag.bladder": ConceptFact("red_flags", "bladder"),
    "red_flag.bladder_leak": ConceptFact(
        "red_flags", "bladder", not_after=("faecal", "fecal", "bowel"), not_before=("laughing",)
    ),
    "red_flag.bladder_retention": ConceptFact(
        "red_flags", "bladder", not_before=_WEE_BIT, not_within=("bit", "bitty", "tad")
    ),
    # "nothing comes out": of the bladder only with peeing or the toilet named.
    "red_flag.bladder_trickle": ConceptFact("red_flags", "bladder", needs_concept=("toilet.",)),
    "red_flag.bladder_difficulty": ConceptFact(
        "red_flags", "bladder", negation_within=True, not_before=_WEE_BIT
    ),
    "red_flag.bladder_unnoticed": ConceptFact("red_flags", "bladder", not_before=_NOT_TOILET),
    # A denial ("bladder ok", "peeing fine"), unless asked: "is my bladder ok?"
    "red_flag.bladder_normal": ConceptFact("red_flags", "bladder", inverted=True, question=True),
    # "pain when I open my bowels" is no bowel problem (the bowel_normal phrases
    # read "open my bowels normally").
    "red_flag.bowel": ConceptFact(
        "red_flags",
        "bowel",
        not_after=("open my", "opening my", "opened my", "opens my"),
        not_before=("open", "are open", "been open"),
    ),
    "red_flag.bowel_leak": ConceptFact("red_flags", "bowel", not_before=("up", "laughing")),
    "red_flag.bowel_soiling": ConceptFact("red_flags", "bowel", needs_within=("soiling",)),
    "red_flag.bowel_difficulty": ConceptFact("red_flags", "bowel", negation_within=True),
    "red_flag.bowel_unnoticed": ConceptFact("red_flags", "bowel", not_before=_NOT_TOILET),
    "red_flag.bowel_normal": ConceptFact("red_flags", "bowel", inverted=True, question=True),
}
