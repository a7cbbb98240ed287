"""nlu/questions.py: whether a message, or a clause of it, asks something."""

import pytest

from nlu.questions import is_question


@pytest.mark.parametrize(
    "text",
    [
        "can I keep running?",
        "what are your opening hours",
        "Hi, is it ok to stretch",
        "GP says rest, can I still cycle",
        "it's sore, should I use ice",
        "am i ok to run tomorrow",
        "shud i use heat",
        "any slots on friday",
        "have you got anything on saturday",
        "has anyone had sciatica from running",
        "did you get my message",
    ],
)
def test_questions(text):
    assert is_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "my lower back aches",
        "no tingling, just stiff",
        "nobody has told me to stop running",
        "I'll ring you if it gets worse",
        "I'd like to book an appointment",
        "have had it for 3 weeks",
        "did a parkrun yesterday and now my back is sore",
        "can't pee",
        "",
    ],
)
def test_statements(text):
    assert not is_question(text)
