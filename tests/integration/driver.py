"""Drives a conversation over REST to its triage payload, answering the bot's questions.

The bot's questions are recognised by their wording (clinic/questions.py); each
is answered in typed free text, never through a button payload, so the NLU is
exercised on every turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests

from clinic.questions import QUESTIONS
from clinic.settings import load_settings
from tests.integration.servers import Servers

QUESTION_BY_TEXT = {
    question.text_for(load_settings()): slot for slot, question in QUESTIONS.items()
}
TYPED_CONSENT = "yes, that's fine"

# Consent is given; every symptom question gets a typed "no" (or its like).
TYPED_NO = {
    "consent": TYPED_CONSENT,
    "red_flag_screen": "no, none of those",
    "medical_screen": "no",
    "leg_symptoms": "no, nothing going down my legs",
    "duration_days": "about 5 days",
    "chronic": "no, this is the first time",
    "spine_surgery": "no, never had any surgery",
    "advised_not_to_run": "no",
    "self_care_tried": "not yet",
    "self_care_helped": "no",
    "eases_after_warmup": "no",
    "pain_while_running": "no",
    "acutely_inflamed": "no",
}


@dataclass
class Conversation:
    replies: list[dict[str, Any]] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    triage: dict[str, Any] | None = None
    # The bot's messages in the turn that gave the outcome.
    final: list[dict[str, Any]] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [reply["text"] for reply in self.replies if reply.get("text")]


def triage_of(replies: list[dict[str, Any]]) -> dict[str, Any] | None:
    for reply in replies:
        custom = reply.get("custom") or {}
        if "triage" in custom:
            return custom["triage"]
    return None


def question_in(replies: list[dict[str, Any]]) -> str | None:
    for reply in reversed(replies):
        slot = QUESTION_BY_TEXT.get(reply.get("text") or "")
        if slot:
            return slot
    return None


def start_interview(servers: Servers, sender: str, message: str) -> list[dict[str, Any]]:
    """Send symptoms, give consent when asked, and return the replies that follow."""
    replies = servers.send(sender, message)
    if question_in(replies) == "consent":
        replies = servers.send(sender, TYPED_CONSENT)
    return replies


def converse(
    servers: Servers,
    sender: str,
    *messages: str,
    answers: dict[str, str] | None = None,
    max_turns: int = 16,
) -> Conversation:
    """Send ``messages``, then answer questions until an outcome arrives."""
    answers = {**TYPED_NO, **(answers or {})}
    conversation = Conversation()
    replies: list[dict[str, Any]] = []
    for message in messages:
        replies = servers.send(sender, message)
        conversation.replies += replies
    for _ in range(max_turns):
        conversation.triage = triage_of(replies)
        if conversation.triage:
            conversation.final = replies
            return conversation
        question = question_in(replies)
        if question is None:
            raise AssertionError(f"neither a question nor an outcome: {conversation.texts}")
        conversation.asked.append(question)
        replies = servers.send(sender, answers[question])
        conversation.replies += replies
    raise AssertionError(f"no outcome after {max_turns} answers: {conversation.asked}")


# Greetings the training data does not hold; which of them a model gets wrong changes
# from one training to the next.
UNTAUGHT_GREETINGS = (
    "gday mate",
    "wotcha",
    "ey up duck",
    "oi oi",
    "sup",
    "top of the morning",
    "alright chuck",
    "howdy partner",
)


def parse(servers: Servers, text: str) -> dict[str, Any]:
    """The live model's reading of ``text`` (Rasa's HTTP API, with the token)."""
    response = requests.post(
        f"{servers.url}/model/parse",
        params={"token": servers.token},
        json={"text": text},
        timeout=60,
    )
    response.raise_for_status()
    return response.json()


def misunderstood_greeting(servers: Servers) -> tuple[str, float]:
    """A greeting the live model reads wrongly (the least confident such reading) and
    the model's confidence in that reading."""
    wrong = []
    for text in UNTAUGHT_GREETINGS:
        intent = parse(servers, text)["intent"]
        if intent["name"] != "greet":
            wrong.append((intent.get("confidence") or 0.0, text))
    if not wrong:
        raise AssertionError(f"the live model reads each of {UNTAUGHT_GREETINGS} as a greeting")
    confidence, text = min(wrong)
    return text, confidence


def review_below(confidence: float) -> str:
    """A STAFF_REVIEW_BELOW under which the NLU inbox lists a message read with this
    confidence. DIET is sure of itself even when wrong: some trainings read every
    untaught greeting wrongly above the default 0.6."""
    return f"{min(1.0, max(0.6, confidence + 0.01)):.4f}"
