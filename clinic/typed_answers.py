"""Quick replies typed rather than tapped: "both", "right leg", "a little".

A person on a phone often types what a button says, or less of it. These are the
short answers whose meaning depends on the question just asked, so the extractor,
which reads a message alone, cannot know them: "right leg" names no symptom, but
answers "Does any pain ... go down into your legs?" with one leg.
"""

from __future__ import annotations

import re

from clinic.questions import QUESTIONS, Answer

_OPENING = r"^\s*(?:(?:yes|yeah|yep|yup|ya)\W*)?(?:just|only)?\s*(?:the|my)?\s*"
_CLOSING = r"\s*(?:leg|legs|side|sides|one|ones|of them)?\s*[.!]*\s*$"
_LEG_ANSWERS: tuple[tuple[re.Pattern[str], Answer], ...] = (
    (re.compile(_OPENING + r"(?:left|right|one)" + _CLOSING, re.I), ("leg_symptoms", "one_leg")),
    (re.compile(_OPENING + r"both" + _CLOSING, re.I), ("leg_symptoms", "both_legs")),
    (re.compile(_OPENING + r"(?:lower\s+)?back(?:\s+only)?\s*[.!]*\s*$", re.I), "deny"),
)
# Said as a no, whatever DIET reads: "I don't think so" (it reads a yes).
_NO = re.compile(r"^\s*(?:no\W*)?(?:i\s+)?(?:don'?t|do\s+not)\s+(?:think|believe)\s+so\b", re.I)
# One item of a screen's list: "the night one", "yes the last one".
_ONE_OF_THESE = re.compile(r"^\s*(?:(?:yes|yeah|yep)\W*)?(?:the|that)\s+(?:\w+\s+){0,2}one\b", re.I)
_SCREENS = ("red_flag_screen", "medical_screen")
# A degree or some of the time is a yes: "Has that helped?" "A little."
_DEGREE = re.compile(
    r"^\s*(?:a\s+(?:little|bit|tad)(?:\s+bit)?|slightly|somewhat|sort\s+of|kind\s+of|"
    r"sometimes|occasionally|at\s+times|now\s+and\s+then)\s*[.!]*\s*$",
    re.I,
)
# Running hurts on some runs: "only on long runs", "mostly towards the end".
_SOME_RUNS = re.compile(
    r"^\s*(?:(?:yes|yeah|yep)\W*)?(?:only|just|mainly|mostly|usually)\s+"
    r"(?:on|during|towards|near|uphill|downhill)\b",
    re.I,
)


def typed_answer(question: str, text: str) -> Answer | None:
    """The quick reply a typed message stands for, if it is one."""
    typed = _plain(text)
    for title, answer in QUESTIONS[question].replies if question in QUESTIONS else ():
        if typed == _plain(title):
            return answer
    if _NO.match(text):
        return "deny"
    if question in _SCREENS and _ONE_OF_THESE.match(text):
        return "affirm"
    if question == "leg_symptoms":
        return next((answer for pattern, answer in _LEG_ANSWERS if pattern.match(text)), None)
    if question == "pain_while_running" and _SOME_RUNS.match(text):
        return "affirm"
    return "affirm" if _DEGREE.match(text) else None


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
