"""One ask action per interview question; the wording lives in clinic/questions.py."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.glue import clinic_settings
from clinic.questions import QUESTIONS, Answer


def button_payload(answer: Answer) -> str:
    """A quick reply's payload: /affirm, or /describe_symptoms{"duration_days": 21}."""
    if isinstance(answer, str):
        return f"/{answer}"
    fact, value = answer
    return "/describe_symptoms" + json.dumps({fact: value})


class AskQuestion(Action, ABC):
    @property
    @abstractmethod
    def slot(self) -> str: ...

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        question = QUESTIONS[self.slot]
        buttons = [
            {"title": title, "payload": button_payload(answer)}
            for title, answer in question.replies
        ]
        dispatcher.utter_message(text=question.text_for(clinic_settings()), buttons=buttons)
        return []


class AskConsent(AskQuestion):
    slot = "consent"


class AskRedFlagScreen(AskQuestion):
    slot = "red_flag_screen"


class AskMedicalScreen(AskQuestion):
    slot = "medical_screen"


class AskLegSymptoms(AskQuestion):
    slot = "leg_symptoms"


class AskDurationDays(AskQuestion):
    slot = "duration_days"


class AskChronic(AskQuestion):
    slot = "chronic"


class AskSpineSurgery(AskQuestion):
    slot = "spine_surgery"


class AskAdvisedNotToRun(AskQuestion):
    slot = "advised_not_to_run"


class AskSelfCareTried(AskQuestion):
    slot = "self_care_tried"


class AskSelfCareHelped(AskQuestion):
    slot = "self_care_helped"


class AskEasesAfterWarmup(AskQuestion):
    slot = "eases_after_warmup"


class AskPainWhileRunning(AskQuestion):
    slot = "pain_while_running"


class AskAcutelyInflamed(AskQuestion):
    slot = "acutely_inflamed"
