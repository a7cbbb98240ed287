"""Which questions the interview still needs to ask.

A question is asked only while its fact is unknown and its answer could change
the outcome (level or advice). Some facts matter only together with another
unknown one (self-care tried / helped; eases after a warm-up / hurts while
running), so each fact is tried against every value of each other unknown fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from clinic.facts import LEG_SYMPTOMS, Facts, Finding
from clinic.triage import triage
from clinic.typed_answers import typed_answer

# Safety first, then the article's branches in the order a clinician would ask.
QUESTION_ORDER = (
    "red_flag_screen",
    "medical_screen",
    "leg_symptoms",
    "duration_days",
    "chronic",
    "spine_surgery",
    "advised_not_to_run",
    "self_care_tried",
    "self_care_helped",
    "eases_after_warmup",
    "pain_while_running",
    "acutely_inflamed",
)


CONSENT = "consent"


def interview_questions(
    facts: Facts,
    consent: bool | None,
    threshold_days: int = 14,
    skipped: Iterable[str] = (),
) -> list[str]:
    """What to ask next. Consent comes before any symptom question; an emergency
    needs neither (999 advice is never held back), and without consent nothing
    is asked."""
    if triage(facts.consistent(), threshold_days).level == "emergency":
        return []
    if consent is None:
        return [CONSENT]
    return questions_needed(facts, threshold_days, skipped) if consent else []


def consent_answer(intent: str | None, text: str) -> bool | None:
    """Consent must be explicit. A button, or typed words that say yes in their first
    clause ("yes", "ok, go ahead", "I don't mind"), give it; "no", "not sure", "don't
    keep it" refuse it. A yes the classifier guesses from words that say no such
    thing ("gday mate") is neither: the question is asked again."""
    typed = text.strip().lower()
    if typed.startswith("/"):  # a quick reply's payload
        return intent == "affirm" if intent in ("affirm", "deny", "dont_know") else None
    if intent in ("deny", "dont_know") or _DO_NOT_KEEP.search(typed):
        return False
    first_clause = _CLAUSE_END.split(typed, maxsplit=1)[0]
    without_yes = _EXPLICIT_YES.sub(" ", first_clause)
    if _REFUSAL.search(without_yes):
        return False
    return True if without_yes != first_clause else None


# A yes phrase may hold a "no" or a "don't": they are taken out before looking for refusals.
_EXPLICIT_YES = re.compile(
    r"\b(?:yes|yeah|yea|yep|yup|ya|aye|ok|okay|sure|fine|alright|all right|go ahead|"
    r"keep it|please do|of course|agreed?|consent|happy to|no problem|not a problem|"
    r"no worries|(?:i )?(?:don'?t|do not) mind)\b"
)
_REFUSAL = re.compile(r"\b(?:no|nope|nah|not|never|rather not|refuse|unsure)\b|n'?t\b")
_DO_NOT_KEEP = re.compile(
    r"\b(?:don'?t|do not|never|not)\s+(?:keep|store|save|record|want)\b|\brather not\b"
)
_CLAUSE_END = re.compile(r"[,.;:!?]|\s(?:but|and|though|although)\s")


def questions_needed(
    facts: Facts, threshold_days: int = 14, skipped: Iterable[str] = ()
) -> list[str]:
    """The facts still worth asking about, in the order to ask them."""
    skipped = set(skipped)
    unknown = [f for f in QUESTION_ORDER if f not in skipped and getattr(facts, f) is None]
    return [f for f in unknown if _can_change_outcome(f, facts, unknown, threshold_days)]


def _can_change_outcome(fact: str, facts: Facts, unknown: list[str], threshold_days: int) -> bool:
    contexts = [facts] + [
        replace(facts, **{other: value})
        for other in unknown
        if other != fact
        for value in _candidate_answers(other, facts, threshold_days)
    ]
    for context in contexts:
        outcomes = {
            _outcome(replace(context, **{fact: answer}), threshold_days)
            for answer in _candidate_answers(fact, context, threshold_days)
        }
        if len(outcomes) > 1:
            return True
    return False


def _candidate_answers(fact: str, facts: Facts, threshold_days: int) -> tuple[Any, ...]:
    if fact == "leg_symptoms":
        # "None of these" to the safety question already ruled out both legs.
        return ("none", "one_leg") if facts.red_flag_screen is False else LEG_SYMPTOMS
    if fact == "duration_days":
        return (1, threshold_days + 1)
    return (True, False)


def _outcome(facts: Facts, threshold_days: int) -> tuple[str, tuple[str, ...]]:
    result = triage(facts.consistent(), threshold_days)
    return result.level, result.advice


def answer_findings(question: str | None, intent: str | None, text: str) -> list[Finding]:
    """What a short answer to the question just asked means ("yes", "no", "21").

    Answers that name facts themselves ("about three weeks") are read by the
    extractor; this covers the replies that only make sense after the question.
    """
    if not question:
        return []
    if question == "duration_days":
        number = text.strip().rstrip(".")
        if number.isdigit():
            return [Finding("duration_days", int(number))]
    typed = typed_answer(question, text)
    if isinstance(typed, tuple):
        return [Finding(*typed)]
    if typed is not None:
        intent = typed
    if intent not in ("affirm", "deny"):
        intent = _leading_yes_or_no(text)
    if question == "leg_symptoms":
        # "Yes" alone does not say one leg or both: the question is asked again.
        return [Finding("leg_symptoms", "none")] if intent == "deny" else []
    if question == "duration_days":
        return []
    if intent in ("affirm", "deny"):
        return [Finding(question, intent == "affirm")]
    return []


_LEADING_ANSWER = re.compile(
    r"^\s*(?:(?P<yes>yes|yeah|yep|yup|ya)|(?P<no>no|nope|nah|not really))"
    r"(?:\s*[,.!-]|\s*$|\s+(?:i|i'm|im|it|it's|its|that|thats|not|never|and|but|nothing|just|only)\b)",
    re.IGNORECASE,
)


def _leading_yes_or_no(text: str) -> str | None:
    """ "No, it's fine once I'm running" answers the question with a no."""
    match = _LEADING_ANSWER.match(text)
    if not match:
        return None
    return "affirm" if match.group("yes") else "deny"
