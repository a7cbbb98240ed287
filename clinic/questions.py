"""The interview's questions and the quick replies offered with each.

A quick reply is either a plain answer ("affirm", "deny", "dont_know") or a
fact it states, e.g. ("duration_days", 21). Typed answers work as well.
A question's text may name the clinic's settings as {name} and {retention_days}.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clinic.settings import ClinicSettings

Answer = str | tuple[str, Any]


@dataclass(frozen=True)
class Question:
    text: str
    replies: tuple[tuple[str, Answer], ...]

    def text_for(self, settings: ClinicSettings) -> str:
        return self.text.format(name=settings.name, retention_days=settings.retention_days)


YES_NO_UNSURE = (("Yes", "affirm"), ("No", "deny"), ("Not sure", "dont_know"))
ANY_OF_THESE = (("Yes, one of these", "affirm"), ("No, none of these", "deny"))

QUESTIONS: dict[str, Question] = {
    # Asked before any symptom question (clinic/interview.py): health data is kept
    # only with explicit consent.
    "consent": Question(
        "Before I ask about your symptoms: may I keep what you tell me in this chat? "
        "The osteopaths at {name} would read it before your visit if you book. It is "
        "deleted after {retention_days} days, or sooner if you ask us.\n"
        "If you'd rather not, that's fine: I'll keep nothing and give you our phone number.",
        (("Yes, keep it", "affirm"), ("No, don't keep it", "deny")),
    ),
    "red_flag_screen": Question(
        "First, a safety check. Along with your back pain, do you have any of these?\n"
        "• numbness or tingling around your bottom or genitals\n"
        "• problems peeing, or not being able to pee\n"
        "• loss of bowel control\n"
        "• pain, tingling, numbness or weakness in both legs\n"
        "• leg weakness that is getting worse\n"
        "• chest pain\n"
        "• pain that started after a serious fall or accident",
        ANY_OF_THESE,
    ),
    "medical_screen": Question(
        "Thanks. And do you have any of these?\n"
        "• a high temperature\n"
        "• weight loss without trying\n"
        "• a lump or swelling on your back\n"
        "• pain that is worse at night or doesn't ease with rest\n"
        "• pain that is worse when you cough or sneeze\n"
        "• pain high up, between your shoulder blades",
        ANY_OF_THESE,
    ),
    "leg_symptoms": Question(
        "Does any pain, tingling, numbness or weakness go down into your legs?",
        (
            ("Yes, one leg", ("leg_symptoms", "one_leg")),
            ("Yes, both legs", ("leg_symptoms", "both_legs")),
            ("No", "deny"),
        ),
    ),
    "duration_days": Question(
        "How long have you had this back pain?",
        (
            ("A few days", ("duration_days", 3)),
            ("About a week", ("duration_days", 7)),
            ("About two weeks", ("duration_days", 14)),
            ("Three weeks or more", ("duration_days", 21)),
            ("Months or longer", ("duration_days", 90)),
        ),
    ),
    "chronic": Question(
        "Is this back pain that keeps coming back, on and off for months or years?",
        YES_NO_UNSURE,
    ),
    "spine_surgery": Question("Have you ever had surgery on your spine?", YES_NO_UNSURE),
    "advised_not_to_run": Question("Has a doctor or physio advised you not to run?", YES_NO_UNSURE),
    "self_care_tried": Question(
        "Have you tried anything for it yet, such as stretching, ice or heat?", YES_NO_UNSURE
    ),
    "self_care_helped": Question("Has that helped?", YES_NO_UNSURE),
    "eases_after_warmup": Question(
        "Is it mainly there when you're sitting or resting, and does it ease once you've "
        "warmed up and started running?",
        YES_NO_UNSURE,
    ),
    "pain_while_running": Question("Does the pain come on while you're running?", YES_NO_UNSURE),
    "acutely_inflamed": Question(
        "Is the painful area swollen, or hot to the touch?", YES_NO_UNSURE
    ),
}
