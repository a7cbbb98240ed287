"""Clinical fact extractor: what a runner's message states, as ``Finding`` objects.

``extract(text)`` (or ``facts_from_doc(doc)`` for a message the clinical spaCy
pipeline of nlu/pipeline.py has processed) returns the facts it states (see the
vocabulary in ``clinic.facts``). Each finding carries a status:

- ``present``: stated as true now;
- ``negated``: denied ("no tingling", "bladder is fine");
- ``historical``: true in the past only ("used to get sciatica years ago");
- ``hypothetical``: asked about or imagined ("what if it goes down my leg?").

Two sources, merged:

- spaCy alone (nlu/concept_facts.py): spine surgery, told not to run, acute
  inflammation, every red flag but both legs (chest pain, major trauma,
  worsening leg weakness, saddle numbness, bladder, bowel), fever, weight loss,
  lumps, upper-back pain, night pain, cough/sneeze pain, chronic, pain while
  running, easing after a warm-up and self-care (tried, helped) are concept
  spans of the PhraseMatcher/Matcher (phrases in data/) with the status ConText
  gives them on spaCy tokens; a present duration of 12 weeks or more also makes
  chronic, and self-care that helped or not was tried (nlu/implied_facts.py);
  leg phrases too (nlu/leg_facts.py): a leg symptom named by itself (sciatica,
  "leg problems", "just my left leg"), a nerve symptom on both sides ("numb on
  both sides"), "it" in a leg place ("it's both legs now"), anything "down my
  leg" or "into my calf", a leg joining in ("the right one's going too"),
  sides named left and right, and a leg place or a
  sensation denied on its own ("nothing in my legs", "no tingling"); durations
  are read by nlu/durations.py and get their status from the same ConText
  (nlu/duration_facts.py);
- the phrase rules of this module, for the leg phrases (one leg or both, which
  sensations) whose wording is still too varied for phrase lists: regular
  expressions with their own ConText scopes, run on spaCy's spelling-corrected
  text ("siatica" -> "sciatica"), their offsets mapped back to the message
  (nlu/corrected.py).

The rest of this docstring describes the phrase rules.

How it works, in the spirit of NegEx / ConText (Chapman et al.):

1. Concept rules (module-level tables of regular expressions) find mentions.
   A rule names its keyword parts with groups ``k1``, ``k2``... (or ``leg``);
   trigger words inside a keyword are part of the concept, not a negation
   ("can't feel my foot", "not noticing the need to poo").
2. Trigger rules find negation, history and hypothetical cues. Pseudo-triggers
   ("not sure", "no idea") cancel triggers they overlap.
3. A trigger governs a mention when the mention lies inside its scope:
   forward triggers reach right, backward triggers ("... is fine", "... years
   ago") reach left. A scope ends at a clause boundary (sentence punctuation,
   "but", "however", "although", "except", ...), at a new clause after a comma
   or "and" ("and I can't pee"), and after a few words. A scope crosses commas
   only inside a list closed by "or"/"and": "no tingling, numbness or weakness".
   Hypothetical beats negated, which beats historical.
4. Questions: a generic mention of sciatica or leg pain in a question with
   no "my"/"I've" ("what is sciatica?") is hypothetical (self-care in a
   question, "does ice help?", likewise: nlu/concept_facts.py). Symptoms of one's own stay present
   ("why does my left leg go numb?").

Conventions:

- Bool facts are always emitted with ``value=True``; a denial is
  ``status="negated"``. "haven't tried anything" is
  ``Finding("self_care_tried", True, "negated")``, "nothing helps" is
  ``self_care_tried`` present plus ``self_care_helped`` negated, "first time"
  is ``chronic`` negated. ``clinic.facts`` reads a negated bool as ``not value``.
- A denied leg mention is ``Finding("leg_symptoms", "none", "negated")``.
- Symptoms in both legs give ``leg_symptoms="both_legs"`` and the red flag
  ``both_legs``. A plural "legs" counts as both legs with tingling, numbness,
  weakness, sciatica or radiation ("down my legs"), not with aches ("my legs
  ache after the marathon"). So do "my other leg" ("it's gone into my other
  leg as well") and nerve symptoms named on the left and on the right ("my
  left leg went numb and now the right one's going too").
- Red flags are conservative, because missing one is the worst error: if a
  red flag is present anywhere in the message, denials of the same flag are
  dropped; a denial does not reach a red flag across "and" ("no fever and
  tingling in both legs" keeps the flag; spaCy's red flags likewise); a plain
  mention with no denial counts ("worried about my bladder").
- Duration, spine surgery, chronicity, self-care and advice are facts about
  the history by nature, so history cues leave them present ("had a
  discectomy in 2018" -> ``spine_surgery`` present).

Cost: linear in the message (cues are looked up near each mention, scopes
never reach further than ``_REACH`` characters); about 0.3 ms for a typical
message, well under a second for 10,000 characters.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc as SpacyDoc

from clinic.facts import LEG_SENSATIONS, Finding
from nlu.concept_facts import concept_facts, concept_mentions
from nlu.context import PRIORITY as _PRIORITY  # the ConText component's scope sizes
from nlu.context import WINDOW as _WINDOW  # and precedence, shared by the phrase rules
from nlu.corrected import corrected_text
from nlu.duration_facts import duration_facts
from nlu.implied_facts import chronic_from_duration, tried_from_helped
from nlu.leg_facts import leg_findings, lone_sensation_denials
from nlu.pipeline import default_pipeline
from nlu.questions import QUESTION_CLAUSE_MARK, in_question

NEGATED, HISTORICAL, HYPOTHETICAL, PRESENT = (
    "negated",
    "historical",
    "hypothetical",
    "present",
)
FORWARD, BACKWARD, BOTH = "forward", "backward", "both"

# ---------------------------------------------------------------------------
# Shared vocabulary (regular-expression fragments).
# ---------------------------------------------------------------------------

# Word gaps that stay inside one clause: no sentence punctuation, no "but".
_STOP_WORDS = (
    r"but|however|although|though|tho|except|whereas|yet|because|cos|since|"
    r"when|whenever|while|whilst|until|till|now|then|also|plus|so|which|who"
)
# Subjects that open a new clause after a comma or "and": "sciatica, now I've got ...".
_SUBJECTS = r"i|i'm|im|i've|ive|i'd|it|it's|its|he|she|they|we|you|there|this|that|my"
_WORD = (
    rf"(?!(?:{_STOP_WORDS})\b)(?!(?<=,)\s*(?:{_SUBJECTS})\b)(?!(?<=,\s)(?:{_SUBJECTS})\b)"
    rf"(?!(?<=\band\s)(?:{_SUBJECTS})\b)(?!(?<=&\s)(?:{_SUBJECTS})\b)[\w']+"
)
_SEP = r"(?:(?!\s[-\u2013\u2014]+\s)[^\w'.!?;\n])+"  # spaces, commas, hyphens...
_SEP_NO_COMMA = r"(?:(?!\s[-\u2013\u2014]+\s)[^\w',.!?;\n])+"


def _gap(max_words: int, commas: bool = True, avoid: str = "") -> str:
    """Up to ``max_words`` words (lazily) between two keywords of a concept.

    The gap may start after a clitic ("bum's gone numb"); ``avoid`` lists words
    the gap must not cross.
    """
    sep = _SEP if commas else _SEP_NO_COMMA
    word = rf"(?!(?:{avoid})\b){_WORD}" if avoid else _WORD
    return rf"(?:'\w+)?(?:{sep}{word}){{0,{max_words}}}?{sep}"


_CANT = r"(?:can'?t|cannot|can\s+not|couldn'?t|could\s+not|unable\s+to|not\s+able\s+to)"

_TINGLE = r"tingl\w*|pins\s*(?:and|&|n|'n'?|an'?)\s*needles|prickl\w*"
_NUMB = (
    r"numb(?:ness|ish|ed|y)?\b|no\s+feeling|no\s+sensation|"
    rf"{_CANT}\s+feel|lost\s+(?:the\s+|all\s+)?(?:feeling|sensation)|"
    r"dead\s+feeling|deadness|(?:gone|goes|going|went)\s+dead|"
    r"reduced\s+(?:feeling|sensation)|altered\s+sensation"
)
_WEAK = (
    r"weak(?:ness|er|ening|ened|ens)?\b|giv(?:es|ing|e)\s+way|gave\s+way|"
    r"buckl\w*|foot\s+drop|drop\s+foot|(?:like\s+|to\s+)?jelly\b"
)
_BURN = r"burn(?:ing|s|t)?\b"
_PAIN = (
    r"pain(?:s|ful)?\b|ach(?:e|es|ing|y)\b|sore(?:ness)?\b|hurt(?:s|ing)?\b|"
    r"shoot(?:ing|s)?\b|stabb(?:ing|y)\b|throbb(?:ing|y)?\b|electric\w*|"
    r"zing(?:s|ing|y)?\b|twinges?\b|niggl\w*"
)
_SCIATICA = (
    r"s[cs]?[iy]at+(?:ic|ica|icca|ca)\b|sciatic\s+nerve|trapped\s+nerve|nerve\s+pain|"
    r"pinched\s+nerve"
)
_NEURO = rf"{_TINGLE}|{_NUMB}|{_WEAK}|{_BURN}|{_SCIATICA}"
_SENSATION = rf"{_NEURO}|{_PAIN}"

# Which member of LEG_SENSATIONS a sensation word means (None: no member).
_SENSATION_VALUES = (
    ("tingling", _TINGLE),
    ("numbness", _NUMB),
    ("weakness", _WEAK),
    ("burning", _BURN),
    (None, _SCIATICA),
    ("pain", _PAIN),
)
# Sensations that make a plural "legs" mean both legs (not "legs ache").
_PLURAL_QUALIFIERS = rf"{_TINGLE}|{_NUMB}|{_WEAK}|{_SCIATICA}|shoot\w*|electric\w*"

_LEG_ONE = (
    r"leg|thigh|calf|shin|foot|ankle|toes?|knee|hamstring|buttocks?|glutes?|"
    r"bum\s+cheeks?|heel"
)
# Plural leg words ("between my legs" is the saddle, not the legs).
_LEG_MANY = (
    r"(?<!between\smy\s)(?<!between\sthe\s)"
    r"(?:legs|thighs|calves|shins|feet|ankles|knees|hamstrings)"
)
# "my other leg": the symptom has reached the second leg.
_BOTH_MARK = (
    r"both|either|each|two|bilateral|other|opposite|"
    r"left\s+(?:and|&|or)\s+right|right\s+(?:and|&|or)\s+left"
)
# "the right one", "the other one": a leg named by its side after another leg.
_SIDE_ONE = r"(?:(?<=left\s)|(?<=right\s)|(?<=other\s)|(?<=opposite\s))one"
_LOC = (
    rf"(?:(?P<both>{_BOTH_MARK})\s+(?:(?:of\s+)?(?:my|the|your)\s+)?)?"
    rf"(?:(?:left|right|lower|upper)\s+)?(?P<leg>{_LEG_MANY}|{_LEG_ONE}|{_SIDE_ONE})\b"
)
_LOC_PREFIX = (
    r"(?:(?:the\s+)?(?:back|side|front|outside|inside|top|bottom)\s+of\s+)?"
    r"(?:(?:my|the|his|her|your|one\s+of\s+my)\s+)?"
)
# After a preposition, another place may come first: "into my bum and legs".
_PLACES_PREFIX = (
    rf"{_LOC_PREFIX}(?:(?:bum|buttocks?|glutes?|hips?|groin|back|bottom)\s+(?:and|or|nor|&)\s+"
    r"(?:my\s+|the\s+)?)?"
)
_LEG_PREP = (
    r"in|on|down|into|through|along|to|round|around|behind|at|across|from|under|over|"
    r"of|and|&"
)
# Words allowed between a leg and its sensation: "my left leg has gone numb".
_LEG_FILLER = (
    r"is|are|was|were|feels?|felt|feeling|has|have|had|gone|goes|going|go|went|keeps?|"
    r"kept|getting|gets|got|get|seems?|becomes?|became|been|bit|a|quite|very|really|"
    r"slightly|totally|completely|all|often|sometimes|always|constantly|also|starts?|"
    r"started|starting|to|giving|turns?|turned|kind\s+of|sort\s+of|a\s+little|little|with|"
    r"much|far|even|noticeably|definitely|like|"
    r"don'?t|doesn'?t|isn'?t|aren'?t|not|never|no\s+longer"
)
_RADIATE = (
    r"go(?:es|ing|ne)?|went|radiat\w*|shoot\w*|travel\w*|spread\w*|run(?:s|ning)?|"
    r"ran|mov(?:es|ing|ed)|refer\w*|com(?:es|ing)|extend\w*|feel\s+it|get\s+it"
)
# Leg words for which plain pain ("pain in my leg") is a leg symptom; a sore
# calf or foot on its own is a running injury, not a radiating symptom.
_PAIN_LEG_WORDS = re.compile(r"leg|thigh|buttock|glute|hamstring|bum")
_SIDED = re.compile(r"\b(?:left|right)\b")
_SIDE_BEFORE = re.compile(r"\b(left|right)\s+(?:(?:lower|upper)\s+)?$")
# "... in my left leg and right foot": the other side named straight after.
_AND_OTHER_SIDE = re.compile(
    r"\s*,?\s*(?:and|&|plus)\s+(?:(?:in|down|into|on)\s+)?(?:(?:my|the)\s+)?(left|right)\s+"
    rf"(?:(?:lower|upper)\s+)?(?:{_LEG_ONE}|one|side)\b"
)
# Owning a symptom ("my leg", "I've got"), not just asking ("should I ...").
_FIRST_PERSON = re.compile(r"\b(?:my|i'm|im|i've|ive|me|mine)\b")
_PLURAL_LEG = re.compile(r"legs|thighs|calves|shins|feet|ankles|knees|hamstrings")
_RADIATION = re.compile(rf"\b(?:down|into|through|along|{_RADIATE})\b")

_SADDLE_PLACE = (
    r"genital\w*|groin|crotch|privates|private\s+(?:parts|area|bits)|bum\b|"
    r"bottom(?!\s+(?:of|end|half|line))|buttocks?|bum\s+cheeks?|backside|anus|anal\b|"
    r"back\s+passage|saddle(?:\s+area|\s+region)?|between\s+(?:my|the)\s+legs|"
    r"inner\s+thighs?|perine\w*|vagina\w*|vulva|penis|testicles|scrotum|"
    r"nether\s+regions|down\s+below|down\s+there|rectum|arse\b|butt\b|(?<=my\s)bits\b"
)
_COPULA_FINE = (
    r"(?:\s+(?:is|are|'s|has\s+been|have\s+been|seems?|feels?|all|both|totally|"
    r"completely|perfectly|been))*\s+(?:fine|normal|ok|okay|alright|all\s+right|"
    r"unaffected|unchanged|good)\b"
)


# Leg symptoms. Each match is classified in code (`_leg_findings`): one leg or
# both, which sensations, whether it qualifies when stated positively.
LEG_PATTERNS: tuple[tuple[str, str], ...] = (
    # "tingling in my left calf", "pain shooting down my leg"
    (
        "sense_loc",
        rf"(?P<k1>{_SENSATION})(?:{_gap(4, avoid=_SADDLE_PLACE)}(?:{_LEG_PREP})\s+{_PLACES_PREFIX}|"
        rf"\s+{_LOC_PREFIX}){_LOC}",
    ),
    # "my legs are numb", "leg pain", "left leg feels weak"
    ("loc_sense", rf"{_LOC}(?:'s|'re)?(?:\s+(?:{_LEG_FILLER}))*\s*(?P<k1>{_SENSATION})"),
)

# ---------------------------------------------------------------------------
# ConText triggers.
# ---------------------------------------------------------------------------

TRIGGERS: tuple[tuple[str, str, str], ...] = (
    # Negation, forward: "no", "not", "never", "without", "doesn't", ...
    (
        NEGATED,
        FORWARD,
        r"no\s+(?:problems?|issues?|trouble|difficult(?:y|ies)|complaints?)\s+(?:with|in|of)|"
        r"no\s+(?:signs?|evidence|history|sign)\s+of|no\s+(?:longer|more)|"
        r"(?:don'?t|doesn'?t|haven'?t|hasn'?t|didn'?t|not)\s+(?:have|had|got|get|noticed?|"
        r"experienced?)\s+any\s+(?:problems?|issues?|trouble|difficult(?:y|ies))\s+(?:with|in)|"
        r"\bno\b(?!\s*[,.!?;:])|\bnot\b|\bnever\b|\bwithout\b|\bnothing\b|\bnone\b|\bnor\b|"
        r"\bneither\b|\bden(?:y|ies|ied)\b|\bnobody\b|\bno[\s-]?one\b|"
        r"free\s+(?:of|from)|absence\s+of|negative\s+for|"
        r"\b(?:don|doesn|didn|isn|aren|wasn|weren|hasn|haven|hadn|won|wouldn|shouldn|ain)'?t\b",
    ),
    # Negation, backward: "bladder is fine", "legs are ok", "ruled out".
    (
        NEGATED,
        BACKWARD,
        r"(?:(?:is|are|'s|'re|was|were|has\s+been|have\s+been|seems?|seem\s+to\s+be|"
        r"feels?|all|both|totally|completely|perfectly|absolutely|still|working|been)\s+)+"
        r"(?:fine|normal|ok|okay|alright|all\s+right|unaffected|unchanged|good|"
        r"as\s+normal|no\s+problem|not\s+a\s+problem|not\s+affected)\b|"
        r"\b(?:fine|normal|unaffected)\b|(?:is|are)\s+absent",
    ),
    (NEGATED, BOTH, r"(?:has\s+been\s+|been\s+)?ruled\s+out"),
    # History.
    (
        HISTORICAL,
        FORWARD,
        r"used\s+to|history\s+of|as\s+a\s+(?:teenager|kid|child)|"
        r"when\s+i\s+was\s+(?:younger|a\s+\w+|at\s+\w+|in\s+my\s+\w+)",
    ),
    (
        HISTORICAL,
        BACKWARD,
        r"\bbefore\b(?=\s*(?:[.,;!?]|$|but\b|and\b))|"
        r"in\s+my\s+(?:teens|twenties|thirties|forties|\d0s)",
    ),
    (
        HISTORICAL,
        BOTH,
        r"(?:back\s+)?in\s+(?:19|20)\d\d|in\s+the\s+past|previously|"
        r"(?:(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|few|many|several|"
        r"some|couple\s+of)\s+)?years?\s+(?:ago|back)|ages\s+ago|(?:a\s+)?long\s+time\s+ago|"
        r"(?<!since\s)last\s+year|"
        r"at\s+(?:school|uni|university|college)",
    ),
    # Hypothetical.
    (
        HYPOTHETICAL,
        FORWARD,
        r"what\s+(?:if|happens\s+if|about\s+if)|"
        r"(?:should|do|would|must)\s+i\s+(?:be\s+)?(?:worr\w*|concern\w*|panic\w*|"
        r"go\s+to\s+a\s*&\s*e|call\s+999|seek\s+help)\s+(?:if|when)|"
        r"in\s+case|unless|hypothetically|in\s+(?:the\s+)?future|"
        r"explain|tell\s+me\s+(?:more\s+)?about|info(?:rmation)?\s+(?:on|about)|"
        r"(?:definition|meaning)\s+of|(?:learn|read)\s+about|"
        r"(?:could|can|might|will|would|may)\s+(?:it|this|that|the\s+pain|sciatica)\s+"
        r"(?:\w+\s+)?(?:become|turn|lead|spread|develop|progress|cause|get|go|end\s+up|mean)|"
        r"is\s+it\s+possible|any\s+chance|is\s+there\s+a\s+(?:risk|chance)|"
        r"(?:what\s+are\s+(?:the\s+)?|warning\s+|red[\s-]+flag\s+)(?:signs?|symptoms?)\s+of|"
        r"(?:risk|chance)\s+of|look(?:ing)?\s+out\s+for|watch(?:ing)?\s+(?:out\s+)?for|"
        r"keep\s+an\s+eye\s+out\s+for|"
        r"(?:worried|afraid|scared|concerned)\s+(?:that\s+)?(?:it|this)\s+(?:will|might|"
        r"could|may|is\s+going\s+to)|whether\s+(?:it|this)\s+(?:will|might|could|would)|"
        r"\bif\b(?=\s+(?:(?:it|this|that|the\s+pain|the\s+\w+|my\s+\w+(?:\s+\w+)?|i|you|there|"
        r"they|things|both\s+legs|either\s+leg)\s+)?(?:ever\s+|still\s+|then\s+|also\s+|"
        r"suddenly\s+|starts?\s+to\s+|begins?\s+to\s+)?(?:gets?|got|goes|go|went|becomes?|"
        r"became|starts?|started|spreads?|turns?|moves?|travels?|develops?|happens?|comes?|"
        r"lasts?|persists?|continues?|carries|doesn'?t|does\s+not|isn'?t|is\s+not|hasn'?t|"
        r"won'?t|were|was|had|have|has|is|are|notice|noticed|feel|felt|lose|lost|"
        r"experience|begin|began|'s|'re|develop|spread|ever)\b)",
    ),
    (HYPOTHETICAL, BACKWARD, r"\b(?:definition|meaning|explained|info)\b"),
)

# Look-alikes that are not triggers; a trigger overlapping one is dropped.
PSEUDO_TRIGGERS = (
    r"not\s+(?:sure|certain|only|just|too|that|so|as|always|long|until|to\s+mention|"
    r"quite|very|much|really\s+sure|even\s+sure)|"
    r"no\s+(?:idea|doubt|matter|way|wonder|clue|reason|change\s+there)|"
    r"(?:don'?t|do\s+not|didn'?t)\s+(?:know|mind|want|understand|remember|get\s+why|care)|"
    r"(?:can'?t|cannot|couldn'?t)\s+(?:\w+\s+){0,3}without|"
    r"(?:won'?t|doesn'?t|isn'?t|hasn'?t|not)\s+(?:go(?:ing|ne)?\s+away|gone)|"
    r"whether\s+or\s+not|if\s+not|not\s+to\s+run|fine\s+(?:once|after|when)|"
    r"(?:wasn'?t|weren'?t|not|never)\s+(?:\w+\s+){0,2}?(?:there|here|like\s+(?:this|that))\s+before|"
    r"(?:than|as)\s+before|"
    r"(?:before|after)\s+(?:i|my|a|the|running|runs?)"
)

# Where a scope ends: sentence punctuation and clause-level conjunctions.
_TERMINATOR = re.compile(
    r"[.!?;\n]|\s[-\u2013\u2014]+\s|\b(?:but|however|although|though|tho|except|apart\s+from|aside\s+from|"
    r"other\s+than|yet|whereas|which|who|because|cos|so|plus|also|now|then|still|just|"
    r"only|instead|otherwise|unlike|anyway|until|till|since|after|when|whenever|while|"
    r"whilst|as\s+well)\b"
)
# A new clause after a comma or a coordinator: "..., and I can't pee".
_CLAUSE_START = re.compile(
    r"(?:,|\band\b|\bor\b|\bnor\b|&)\s+(?:(?:also|then|now|just|still|actually|really|"
    r"recently|suddenly|sometimes|occasionally|yesterday|today)\s+)?"
    r"(?:i|i'm|im|i've|ive|i'd|id|i'll|it|it's|its|it'll|he|she|they|we|you|there|"
    r"there's|theres|this|that|these|those|what|"
    r"(?:my|the|both|one|his|her|their|your)\s+(?:[\w']+\s+){0,4}?(?:is|are|was|were|has|"
    r"have|had|feels?|felt|seems?|seemed|goes|go|went|keeps?|kept|gets?|got|gave|giving|"
    r"starts?|started|hurts?|hurt|aches?|ached|tingles?|burns?|becomes?|became)|"
    r"(?:my|the)\s+[\w]+(?:'s|'re))\b"
)
_COORDINATOR = re.compile(r"\b(?:or|nor|and)\b|&")
_AND = re.compile(r"\band\b|&")
_WORDS = re.compile(r"[\w']+")
_CLAUSE_MARK = re.compile(rf"[,;.!?\n]|\b(?:{_STOP_WORDS}|and)\b")


# Facts a backward denial ("... is fine") may negate: the symptoms these rules
# read. Every other fact is read by spaCy (nlu/concept_facts.py).
_BACKWARD_NEGATABLE = {
    "red_flags",
    "leg_symptoms",
    "leg_sensations",
}


# ---------------------------------------------------------------------------
# Compilation (lazy, once).
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Compiled:
    legs: tuple[tuple[str, re.Pattern[str]], ...]
    triggers: tuple[tuple[str, str, re.Pattern[str]], ...]
    pseudo: re.Pattern[str]
    sensation_values: tuple[tuple[str | None, re.Pattern[str]], ...]
    sensation: re.Pattern[str]
    plural_qualifier: re.Pattern[str]


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _compile_concept(pattern: str) -> re.Pattern[str]:
    """Concepts start at a word boundary: "pain" is not in "Spain"."""
    return _compile(rf"\b(?:{pattern})")


def _check_sensations() -> None:
    """Sensation words may only name members of ``clinic.facts.LEG_SENSATIONS``."""
    if set(v for v, _ in _SENSATION_VALUES) - {None} - set(LEG_SENSATIONS):
        raise ValueError("sensation outside LEG_SENSATIONS")


@lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    _check_sensations()
    return _Compiled(
        legs=tuple((name, _compile_concept(p)) for name, p in LEG_PATTERNS),
        triggers=tuple((kind, d, _compile(p)) for kind, d, p in TRIGGERS),
        pseudo=_compile(PSEUDO_TRIGGERS),
        sensation_values=tuple((v, _compile(rf"\b(?:{p})")) for v, p in _SENSATION_VALUES),
        sensation=_compile(rf"\b(?:{_SENSATION})"),
        plural_qualifier=_compile(rf"\b(?:{_PLURAL_QUALIFIERS})"),
    )


# ---------------------------------------------------------------------------
# One message: text, cues and boundaries, found once.
# ---------------------------------------------------------------------------

Span = tuple[int, int]

# No scope reaches further than this many characters (a dozen long words);
# it keeps long messages linear instead of comparing every cue with every mention.
_REACH = 240


@dataclass(frozen=True)
class _Trigger:
    kind: str
    direction: str
    start: int
    end: int


@dataclass
class _Mention:
    fact: str
    value: Any
    start: int
    end: int
    keywords: tuple[Span, ...]


class _SpanSet:
    """Disjoint spans kept in order, for cheap overlap tests."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self._starts, end) - 1  # the last span starting before `end`
        return i >= 0 and self._ends[i] > start

    def add(self, start: int, end: int) -> None:
        i = bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)


def _last_end_before(ends: list[int], pos: int) -> int:
    """The last boundary at or before ``pos`` (0 if none)."""
    i = bisect_right(ends, pos) - 1
    return ends[i] if i >= 0 else 0


def _first_start_after(starts: list[int], pos: int, default: int) -> int:
    i = bisect_left(starts, pos)
    return starts[i] if i < len(starts) else default


def _spans(pattern: re.Pattern[str], text: str) -> tuple[list[int], list[int]]:
    starts, ends = [], []
    for m in pattern.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


# Curly quotes become straight; line breaks end a sentence. One character for one.
_APOSTROPHES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\n": ".", "\r": "."}
)


def _normalise(text: str) -> str:
    """Lower-case, straight apostrophes, line breaks as full stops.

    The result has the same length as ``text`` so offsets still hold.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # e.g. "İ" lower-cases to two characters
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered.translate(_APOSTROPHES)


class _Doc:
    """One message: its normalised text, its cues and its boundaries."""

    def __init__(self, original: str, compiled: _Compiled) -> None:
        self.original = original
        self.text = text = _normalise(original)
        self.triggers = _find_triggers(text, compiled)
        self._trigger_starts = [t.start for t in self.triggers]
        self._clause = _spans(_CLAUSE_MARK, text)
        self._question = _spans(QUESTION_CLAUSE_MARK, text)
        self._terminators = _spans(_TERMINATOR, text)
        self._clause_starts = _spans(_CLAUSE_START, text)

    def triggers_near(self, start: int, end: int) -> list[_Trigger]:
        lo = bisect_left(self._trigger_starts, start - _REACH)
        hi = bisect_right(self._trigger_starts, end + _REACH)
        return self.triggers[lo:hi]

    def clause(self, start: int, end: int, question: bool = False) -> Span:
        """The clause around a span: between commas, "and", "but", "when"..."""
        starts, ends = self._question if question else self._clause
        left = _last_end_before(ends, start)
        return left, _first_start_after(starts, end, len(self.text))

    def has_terminator(self, start: int, end: int) -> bool:
        """Whether a scope-ending word or mark lies wholly within ``[start, end)``."""
        starts, ends = self._terminators
        i = bisect_left(starts, start)
        return i < len(starts) and ends[i] <= end

    def clause_start_between(self, start: int, end: int) -> bool:
        """Whether a new clause ("..., and I", "and my legs are") starts in ``[start, end)``."""
        starts, _ = self._clause_starts
        i = bisect_left(starts, start)
        return i < len(starts) and starts[i] < end

    def clause_end(self, pos: int) -> int:
        return min(
            _first_start_after(self._terminators[0], pos, len(self.text)),
            _first_start_after(self._clause_starts[0], pos, len(self.text)),
        )


def _keywords(match: re.Match[str]) -> tuple[Span, ...]:
    spans = [
        match.span(name)
        for name in match.re.groupindex
        if (name.startswith("k") or name in ("leg", "both")) and match.start(name) >= 0
    ]
    return tuple(sorted(spans)) or (match.span(),)


def _find_triggers(text: str, compiled: _Compiled) -> list[_Trigger]:
    pseudo = _SpanSet()
    for m in compiled.pseudo.finditer(text):
        pseudo.add(*m.span())
    found = [
        _Trigger(kind, direction, *match.span())
        for kind, direction, pattern in compiled.triggers
        for match in pattern.finditer(text)
        if not pseudo.overlaps(*match.span())
    ]
    # A trigger inside a longer one of the same kind is part of it ("no problems
    # with"): sweep in order of start, longest first.
    found.sort(key=lambda t: (t.kind, t.start, -t.end))
    kept: list[_Trigger] = []
    reach: dict[str, int] = {}
    for trig in found:
        if trig.end > reach.get(trig.kind, -1):
            kept.append(trig)
            reach[trig.kind] = trig.end
    return sorted(kept, key=lambda t: t.start)


def _matches(pattern: re.Pattern[str], text: str, overlapping: bool) -> Iterable[re.Match[str]]:
    """All matches; with ``overlapping``, also those starting inside an earlier one.

    Red flags and legs use it so that a denied lead item cannot swallow a flag
    stated after it ("no tingling & I've got numbness around my bum").
    """
    if not overlapping:
        yield from pattern.finditer(text)
        return
    match = pattern.search(text)
    while match:
        yield match
        match = pattern.search(text, match.start() + 1)


# ---------------------------------------------------------------------------
# Scope.
# ---------------------------------------------------------------------------


def _forward_reaches(doc: _Doc, trig: _Trigger, anchor: Span, red_flag: bool = False) -> bool:
    """Whether a forward trigger's scope reaches the keyword at ``anchor``.

    ``red_flag``: a denial or history cue does not reach it across "and": "no X and
    Y" is ambiguous in quick messages ("no fever and [I have] tingling in both legs").
    """
    if anchor[0] - trig.end > _REACH or doc.has_terminator(trig.end, anchor[0]):
        return False
    gap = doc.text[trig.end : anchor[0]]
    if red_flag and _AND.search(gap):
        return False
    if len(_WORDS.findall(gap)) > _WINDOW[(trig.kind, FORWARD)]:
        return False
    if doc.clause_start_between(trig.end, anchor[0]):
        return False
    if "," in gap:
        # Commas only inside a list closed by "or"/"and": "no fever, pain or lumps"
        # (an "and" inside the keyword, as in "pins and needles", does not count).
        # A list closed before a comma has ended: "no accidents or falls, peeing
        # has become difficult"; the "and" of "in my left leg and right foot"
        # joins places, not list items.
        closers = list(_COORDINATOR.finditer(gap))
        if closers and "," not in gap[closers[-1].end() :]:
            return True
        end = min(doc.clause_end(trig.end), trig.end + _REACH)
        return any(
            not _AND_OTHER_SIDE.match(doc.text, m.start())
            for m in _COORDINATOR.finditer(doc.text, anchor[1], max(end, anchor[1]))
        )
    return True


def _backward_reaches(doc: _Doc, anchor: Span, trig: _Trigger) -> bool:
    """Whether a backward trigger's scope reaches back to the keyword at ``anchor``."""
    if trig.start - anchor[1] > _REACH or doc.has_terminator(anchor[1], trig.start):
        return False
    gap = doc.text[anchor[1] : trig.start]
    if "," in gap or len(_WORDS.findall(gap)) > _WINDOW[(trig.kind, BACKWARD)]:
        return False
    return not doc.clause_start_between(anchor[1], trig.start)


def _context_kinds(mention: _Mention, doc: _Doc) -> set[str]:
    kinds: set[str] = set()
    keys = mention.keywords
    for trig in doc.triggers_near(mention.start, mention.end):
        if any(trig.start < k_end and k_start < trig.end for k_start, k_end in keys):
            continue  # the cue is part of the concept: "can't feel", "no feeling"
        if trig.direction in (FORWARD, BOTH) and trig.end <= keys[-1][0]:
            anchor = next(k for k in keys if k[0] >= trig.end)
            # Red flags: neither a denial nor a history cue reaches across a
            # plain "and" ("no history of back problems and my legs are numb").
            red_flag = mention.fact == "red_flags" and trig.kind in (NEGATED, HISTORICAL)
            if _forward_reaches(doc, trig, anchor, red_flag):
                kinds.add(trig.kind)
        if trig.direction in (BACKWARD, BOTH) and trig.start >= keys[0][1]:
            if trig.kind == NEGATED and mention.fact not in _BACKWARD_NEGATABLE:
                continue
            anchor = [k for k in keys if k[1] <= trig.start][-1]
            if _backward_reaches(doc, anchor, trig):
                kinds.add(trig.kind)
    return kinds


def _status(mention: _Mention, doc: _Doc) -> str:
    kinds = _context_kinds(mention, doc)
    return next((kind for kind in _PRIORITY if kind in kinds), PRESENT)


# ---------------------------------------------------------------------------
# Legs.
# ---------------------------------------------------------------------------


def _sensations(span_text: str, compiled: _Compiled) -> list[str]:
    """Members of LEG_SENSATIONS named in a span, in order of appearance."""
    found: list[str] = []
    for match in compiled.sensation.finditer(span_text):
        word = match.group()
        for value, pattern in compiled.sensation_values:
            if pattern.match(word):
                if value and value not in found:
                    found.append(value)
                break
    return found


def _group(match: re.Match[str], name: str) -> str:
    """A named group's text, or "" when the pattern lacks it or it did not match."""
    return (match.group(name) or "") if name in match.re.groupindex else ""


def _is_generic_question(doc: _Doc, match: re.Match[str]) -> bool:
    """ "what is sciatica?" asks about sciatica; "why does my left leg tingle?" reports it."""
    if _SIDED.search(match.group()) or not in_question(doc.text, match.start()):
        return False
    left, right = doc.clause(match.start(), match.end(), question=True)
    return _FIRST_PERSON.search(doc.text, left, right) is None


def _leg_side(match: re.Match[str]) -> str:
    leg = _group(match, "leg")
    plural = bool(leg) and _PLURAL_LEG.fullmatch(leg) is not None
    return "both_legs" if _group(match, "both") or plural else "one_leg"


def _leg_qualifies(name: str, match: re.Match[str], side: str, compiled: _Compiled) -> bool:
    """Whether a positively stated leg match is a leg symptom (see module doc)."""
    span_text = match.group()
    marked = bool(_group(match, "both"))
    radiating = bool(_RADIATION.search(span_text))
    if side == "both_legs" and not marked:
        # A plural "legs" needs a neurological word or radiation, not "legs ache".
        return radiating or bool(compiled.plural_qualifier.search(span_text))
    if marked or radiating or set(_sensations(span_text, compiled)) - {"pain"}:
        return True
    # Plain pain: only in the leg itself or on a named side, not "sore calf".
    return bool(_SIDED.search(span_text) or _PAIN_LEG_WORDS.search(_group(match, "leg")))


@dataclass
class _LegMatch:
    name: str
    match: re.Match[str]
    status: str
    side: str


def _leg_candidates(doc: _Doc, compiled: _Compiled) -> list[_LegMatch]:
    """Every reading of a leg phrase, overlapping ones included."""
    candidates: list[_LegMatch] = []
    for name, pattern in compiled.legs:
        for match in _matches(pattern, doc.text, overlapping=True):
            side = _leg_side(match)
            # Both legs is a red flag: its denial gets the red-flag scope rules.
            fact = "red_flags" if side == "both_legs" else "leg_symptoms"
            status = _status(_Mention(fact, None, *match.span(), _keywords(match)), doc)
            if status == PRESENT and _is_generic_question(doc, match):
                status = HYPOTHETICAL
            if status == PRESENT and not _leg_qualifies(name, match, side, compiled):
                continue
            candidates.append(_LegMatch(name, match, status, side))
    return candidates


def _leg_matches(candidates: list[_LegMatch]) -> list[_LegMatch]:
    # Overlapping readings with the same status: the longest wins ("sciatica in
    # both legs"). Different statuses both stay ("no tingling and my legs are numb").
    kept: list[_LegMatch] = []
    taken: dict[str, _SpanSet] = {}
    longest_first = sorted(
        candidates, key=lambda c: (c.match.start() - c.match.end(), c.match.start())
    )
    for cand in longest_first:
        spans = taken.setdefault(cand.status, _SpanSet())
        if not spans.overlaps(*cand.match.span()):
            spans.add(*cand.match.span())
            kept.append(cand)
    return kept


def _leg_findings(doc: _Doc, legs: list[_LegMatch], compiled: _Compiled) -> list[Finding]:
    findings = []
    for leg in legs:
        start, end = leg.match.span()
        span = doc.original[start:end]
        value = "none" if leg.status == NEGATED else leg.side
        findings.append(Finding("leg_symptoms", value, leg.status, start, end, span))
        if leg.side == "both_legs":
            findings.append(Finding("red_flags", "both_legs", leg.status, start, end, span))
        for sensation in _sensations(doc.text[start:end], compiled):
            findings.append(Finding("leg_sensations", sensation, leg.status, start, end, span))
    return findings


def _named_side(doc: _Doc, match: re.Match[str]) -> str | None:
    """ "left" or "right" when the leg phrase names its side ("my left calf", "the right one")."""
    leg = _group(match, "leg")
    if leg in ("left", "right"):
        return leg
    if not leg:
        return None
    start = match.start("leg")
    side = _SIDE_BEFORE.search(doc.text, max(0, start - 20), start)
    return side.group(1) if side else None


def _named_sides(doc: _Doc, legs: list[_LegMatch], compiled: _Compiled) -> dict[str, Span]:
    """Nerve symptoms stated in the left leg and in the right one are both legs.

    "my left leg went numb and now the right one's going too", "tingling in my
    left leg and right foot". As with a plural "legs", plain aches do not count
    ("sore left calf, tight right hamstring"). ``legs`` are all the readings,
    overlapping ones included: in "my left leg tingles and my right leg is numb"
    the longest reading covers one side only.
    """
    sides: dict[str, Span] = {}
    for leg in legs:
        if leg.status == NEGATED and leg.side == "one_leg":
            # The pair is a red flag: a denial must reach it as it would a red flag.
            mention = _Mention("red_flags", None, *leg.match.span(), _keywords(leg.match))
            if _status(mention, doc) != PRESENT:
                continue
        elif leg.status != PRESENT or leg.side != "one_leg":
            continue
        span_text = leg.match.group()
        nerve = (
            _RADIATION.search(span_text) is not None
            or compiled.plural_qualifier.search(span_text) is not None
        )
        if not nerve:
            continue
        side = _named_side(doc, leg.match)
        if side:
            sides.setdefault(side, leg.match.span())
        more = _AND_OTHER_SIDE.match(doc.text, leg.match.end())
        if more:
            sides.setdefault(more.group(1), (leg.match.start(), more.end()))
    return sides


# ---------------------------------------------------------------------------
# Assembly.
# ---------------------------------------------------------------------------


def _conservative_red_flags(findings: list[Finding]) -> list[Finding]:
    """A red flag stated anywhere outweighs a denial of it elsewhere."""
    present = {f.value for f in findings if f.fact == "red_flags" and f.status == PRESENT}
    return [
        f
        for f in findings
        if not (f.fact == "red_flags" and f.status == NEGATED and f.value in present)
    ]


def _extract_text(text: str) -> tuple[list[Finding], dict[str, Span]]:
    """The fact rules on one (spelling-corrected) text, and the sides its legs name."""
    compiled = _compiled()
    doc = _Doc(text, compiled)
    candidates = _leg_candidates(doc, compiled)
    legs = _leg_matches(candidates)
    findings = _leg_findings(doc, legs, compiled)
    return findings, _named_sides(doc, candidates, compiled)


def facts_from_doc(doc: SpacyDoc) -> list[Finding]:
    """The clinical facts of a message the clinical spaCy pipeline has processed."""
    text = doc.text  # built from the tokens on every access
    if not text.strip():
        return []
    corrected = corrected_text(doc)
    mentions = concept_mentions(doc)
    findings, sides = _extract_text(corrected.text)
    if corrected.text != text:
        findings = [
            replace(
                f,
                start=(start := corrected.original_offset(f.start)),
                end=(end := corrected.original_offset(f.end, end=True)),
                text=text[start:end],
            )
            for f in findings
        ]
        sides = {
            side: (corrected.original_offset(start), corrected.original_offset(end, end=True))
            for side, (start, end) in sides.items()
        }
    findings += leg_findings(doc, [f for f in findings if f.fact == "leg_symptoms"], sides)
    # Sensation words already read as part of a leg or saddle phrase ("no numbness
    # in my groin" is no lone leg sensation).
    covered = [
        (f.start, f.end)
        for f in findings + mentions
        if f.fact == "leg_symptoms" or f.value == "saddle_numbness"
    ]
    findings += lone_sensation_denials(doc, covered)
    findings = _conservative_red_flags(
        findings + concept_facts(mentions) + duration_facts(doc, corrected)
    )
    findings += chronic_from_duration(findings) + tried_from_helped(findings)
    return sorted(findings, key=lambda f: (f.start, f.end, f.fact))


def extract(text: str, nlp: Language | None = None) -> list[Finding]:
    """The clinical facts stated in one message, in text order.

    ``nlp``: the clinical spaCy pipeline (nlu/pipeline.py); by default one shared
    pipeline, built on first use. Never raises on odd input (empty, emoji, very
    long); returns ``[]`` when nothing is found.
    """
    if not text or not text.strip():
        return []
    return facts_from_doc((nlp or default_pipeline())(text))
