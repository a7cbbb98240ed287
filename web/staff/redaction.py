"""Redaction of what identifies a person, before a message is copied into training
data or a test story: phone numbers, email addresses and names.

Each is replaced by an obviously fictional stand-in of the same kind, so the
example still reads naturally to the model: a number from Ofcom's drama range,
an address at example.com, the name "Sam". Names are found by the phrases people
introduce themselves with ("my name is", "I'm", "this is", signing off), so a
name mentioned any other way is not caught: staff read every example they approve.
"""

from __future__ import annotations

import re

from clinic.personal_data import replace_contacts

FAKE_PHONE = "07700 900000"
FAKE_EMAIL = "someone@example.com"
FAKE_NAME = "Sam"

_INTRODUCTION = (
    r"(?:my name is|my name's|name is|i am|i'm|im|this is|it's|call me|regards,?|thanks,?"
    r"|cheers,?|from)"
)
# A capitalised word (or two) after an introduction: "I'm Priya", "this is Tom Hardy".
NAME = re.compile(rf"(?i:\b{_INTRODUCTION})\s+((?-i:[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?))\b")
# Capitalised words that follow "I'm" but are not names.
_NOT_NAMES = {
    "Sure",
    "Not",
    "Fine",
    "Okay",
    "Ok",
    "Worried",
    "Sorry",
    "Still",
    "Just",
    "Really",
    "Training",
    "Running",
    "Doing",
    "Getting",
    "Having",
    "Going",
    "Back",
    "In",
    "On",
    "The",
    "A",
    "An",
    "Very",
    "So",
    "Also",
    "Now",
    "Here",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
}


def _name(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.split()[0].split("-")[0] in _NOT_NAMES:
        return match.group(0)
    return match.group(0)[: match.start(1) - match.start(0)] + FAKE_NAME


def redact(text: str) -> str:
    return NAME.sub(_name, replace_contacts(text, FAKE_PHONE, FAKE_EMAIL))
