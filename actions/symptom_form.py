"""The interview: asks only the questions whose answers can still change the outcome."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions.glue import clinic_settings, facts_from_tracker
from clinic.interview import questions_needed


class ValidateSymptomForm(FormValidationAction):
    def name(self) -> str:
        return "validate_symptom_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        return questions_needed(
            facts_from_tracker(tracker),
            clinic_settings().duration_threshold_days,
            skipped=tracker.get_slot("skipped_questions") or [],
        )
