"""The interview: consent first, then only the questions whose answers can still change
the outcome."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions.glue import clinic_settings, facts_from_tracker
from clinic.interview import interview_questions


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
        return interview_questions(
            facts_from_tracker(tracker),
            tracker.get_slot("consent"),
            clinic_settings().duration_threshold_days,
            skipped=tracker.get_slot("skipped_questions") or [],
        )
