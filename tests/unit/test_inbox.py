"""Which messages reach the NLU inbox."""

from web.staff.conversations import Conversation, Turn
from web.staff.inbox import inbox_items


def test_a_no_to_a_question_is_an_answer_but_a_no_to_the_outcome_is_a_correction():
    def turn(at, text, intent, actions=()):
        return Turn(at, text, intent, 0.99, [], "rest", actions=list(actions))

    conversation = Conversation(
        "c",
        1.0,
        6.0,
        [
            turn(1.0, "my back hurts", "describe_symptoms", ["symptom_form"]),
            turn(2.0, "no", "deny", ["symptom_form"]),
            turn(3.0, "it is 3 weeks", "describe_symptoms", ["symptom_form", "action_triage"]),
            turn(4.0, "no that's wrong", "deny"),
        ],
        {},
    )
    items = inbox_items([conversation], threshold=0.6, decided=set())
    assert [(item.text, item.reason) for item in items] == [
        ("it is 3 weeks", "corrected by the person")
    ]
