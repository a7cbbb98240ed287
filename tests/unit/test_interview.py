"""The interview asks only for unknown facts whose answer could change the outcome."""

from dataclasses import replace

import pytest

from clinic.facts import Facts, Finding
from clinic.interview import (
    CONSENT,
    QUESTION_ORDER,
    answer_findings,
    consent_answer,
    interview_questions,
    questions_needed,
)
from clinic.questions import QUESTIONS

SCREENED = Facts(red_flag_screen=False, medical_screen=False, leg_symptoms="none")


def test_an_empty_interview_starts_with_the_safety_questions():
    assert questions_needed(Facts())[:3] == ["red_flag_screen", "medical_screen", "leg_symptoms"]


def test_every_question_has_wording():
    assert set(QUESTION_ORDER) | {CONSENT} == set(QUESTIONS)


def test_consent_is_asked_before_any_symptom_question():
    assert interview_questions(Facts(), consent=None) == [CONSENT]
    assert interview_questions(SCREENED, consent=None) == [CONSENT]
    assert interview_questions(Facts(), consent=True)[0] == "red_flag_screen"


def test_without_consent_no_symptom_question_is_asked():
    assert interview_questions(Facts(), consent=False) == []
    assert interview_questions(Facts(leg_symptoms="one_leg"), consent=False) == []


@pytest.mark.parametrize("consent", [None, False, True])
def test_an_emergency_never_waits_for_consent(consent):
    assert interview_questions(Facts(red_flags=frozenset({"bladder"})), consent) == []
    assert interview_questions(Facts(leg_symptoms="both_legs"), consent) == []


@pytest.mark.parametrize(
    "intent, text, consent",
    [
        ("affirm", "/affirm", True),
        ("deny", "/deny", False),
        ("affirm", "yes that's fine", True),
        ("affirm", "sure", True),
        ("affirm", "ok go ahead", True),
        ("affirm", "yep keep it", True),
        ("deny", "no thanks", False),
        ("affirm", "no", False),
        ("affirm", "I'd rather not", False),
        ("affirm", "yes but don't keep it", False),
        ("affirm", "I don't want that", False),
        ("dont_know", "not sure", False),
        ("describe_symptoms", "yes, and it's been 3 weeks", True),
        ("describe_symptoms", "no, it hurts when I run", False),
        ("describe_symptoms", "it hurts when I run", None),
        ("affirm", "yes, it doesn't go down my leg", True),
        ("affirm", "I don't mind", True),
        ("affirm", "no problem", True),
        ("affirm", "that's fine", True),
        ("nlu_fallback", "what does that mean", None),
        # The classifier's guess alone is not consent.
        ("affirm", "gday mate", None),
        ("affirm", "oi oi", None),
    ],
)
def test_only_an_explicit_yes_is_consent(intent, text, consent):
    assert consent_answer(intent, text) is consent


def test_nothing_is_asked_once_it_is_an_emergency():
    assert questions_needed(Facts(red_flags=frozenset({"bladder"}))) == []
    assert questions_needed(Facts(red_flag_screen=True)) == []


def test_sciatica_in_one_leg_only_needs_the_emergency_check():
    facts = Facts(leg_symptoms="one_leg")
    assert questions_needed(facts) == ["red_flag_screen", "medical_screen"]


def test_never_asks_what_was_already_said():
    facts = replace(SCREENED, duration_days=21, chronic=True)
    needed = questions_needed(facts)
    assert "duration_days" not in needed and "chronic" not in needed


def test_long_pain_does_not_ask_about_self_care_or_warm_ups():
    needed = questions_needed(replace(SCREENED, duration_days=30))
    assert needed == ["chronic", "spine_surgery", "advised_not_to_run"]


def test_a_follow_up_is_asked_only_after_its_lead_question():
    facts = replace(
        SCREENED,
        duration_days=5,
        chronic=False,
        spine_surgery=False,
        advised_not_to_run=False,
        self_care_tried=False,
    )
    assert "self_care_helped" not in questions_needed(facts)
    assert "self_care_helped" in questions_needed(replace(facts, self_care_tried=True))


def test_skipped_questions_are_not_asked_again():
    assert "red_flag_screen" not in questions_needed(Facts(), skipped=["red_flag_screen"])


def test_short_answers_fill_the_question_just_asked():
    assert answer_findings("chronic", "affirm", "yes") == [Finding("chronic", True)]
    assert answer_findings("spine_surgery", "deny", "no") == [Finding("spine_surgery", False)]
    assert answer_findings("leg_symptoms", "deny", "no") == [Finding("leg_symptoms", "none")]
    assert answer_findings("leg_symptoms", "affirm", "yes") == []
    # DIET reads "nope just my back" as a description: the leading "nope" answers.
    assert answer_findings("leg_symptoms", "describe_symptoms", "nope just my back") == [
        Finding("leg_symptoms", "none")
    ]
    assert answer_findings("leg_symptoms", "describe_symptoms", "yes just the left") == [
        Finding("leg_symptoms", "one_leg")
    ]
    assert answer_findings("duration_days", "describe_symptoms", "21") == [
        Finding("duration_days", 21)
    ]
    assert answer_findings(None, "affirm", "yes") == []


@pytest.mark.parametrize(
    "text, value",
    [
        ("no, it's fine once I'm running", False),
        ("nope it doesn't", False),
        ("yes, a bit", True),
        ("Yeah it is", True),
        ("nope just my back", False),
        ("yes only on long runs", True),
        ("no tingling", None),
        ("not sure", None),
    ],
)
def test_a_leading_yes_or_no_answers_the_question(text, value):
    findings = answer_findings("pain_while_running", "describe_symptoms", text)
    assert findings == ([] if value is None else [Finding("pain_while_running", value)])


@pytest.mark.parametrize(
    "question, text, finding",
    [
        # The buttons' words, typed.
        ("leg_symptoms", "Yes, both legs", Finding("leg_symptoms", "both_legs")),
        ("duration_days", "months or longer", Finding("duration_days", 90)),
        ("spine_surgery", "No.", Finding("spine_surgery", False)),
        # Less of them: the leg question's "one", "both", "right leg", "just my back".
        ("leg_symptoms", "right leg", Finding("leg_symptoms", "one_leg")),
        ("leg_symptoms", "just the left one", Finding("leg_symptoms", "one_leg")),
        ("leg_symptoms", "one", Finding("leg_symptoms", "one_leg")),
        ("leg_symptoms", "both", Finding("leg_symptoms", "both_legs")),
        ("leg_symptoms", "yeah both sides", Finding("leg_symptoms", "both_legs")),
        ("leg_symptoms", "only my back", Finding("leg_symptoms", "none")),
        ("leg_symptoms", "lower back only", Finding("leg_symptoms", "none")),
        # A degree is a yes.
        ("self_care_helped", "a little", Finding("self_care_helped", True)),
        ("self_care_helped", "slightly", Finding("self_care_helped", True)),
        ("acutely_inflamed", "a little bit", Finding("acutely_inflamed", True)),
        ("chronic", "sometimes", Finding("chronic", True)),
        ("red_flag_screen", "I don't think so", Finding("red_flag_screen", False)),
        ("medical_screen", "the night one", Finding("medical_screen", True)),
        ("red_flag_screen", "yes the last one", Finding("red_flag_screen", True)),
        ("medical_screen", "don't believe so, no", Finding("medical_screen", False)),
        ("leg_symptoms", "I dont think so", Finding("leg_symptoms", "none")),
        ("pain_while_running", "only on long runs", Finding("pain_while_running", True)),
        ("pain_while_running", "mostly towards the end", Finding("pain_while_running", True)),
    ],
)
def test_typed_quick_replies_answer_the_question(question, text, finding):
    # Whatever DIET made of it: these are often read as a description or a fallback.
    assert answer_findings(question, "describe_symptoms", text) == [finding]


def test_a_typed_no_outweighs_a_yes_from_diet():
    # DIET reads "I don't think so" as affirm: at the safety screen that was a 999.
    assert answer_findings("red_flag_screen", "affirm", "I don't think so") == [
        Finding("red_flag_screen", False)
    ]


@pytest.mark.parametrize(
    "question, text",
    [
        ("leg_symptoms", "the back of my leg"),
        ("leg_symptoms", "both my knees hurt"),
        ("self_care_helped", "a little stretching"),
        ("chronic", "right leg"),
        ("self_care_helped", "only on long runs"),
        ("pain_while_running", "only when I sit down after"),
    ],
)
def test_longer_messages_are_no_typed_quick_reply(question, text):
    assert answer_findings(question, "describe_symptoms", text) == []
