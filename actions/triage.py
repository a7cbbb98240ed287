"""Gives the outcome: summary, advice, the triage payload and the hand-off."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.glue import clinic_settings, facts_from_tracker
from clinic.advice import advice_message, no_consent_message
from clinic.handoff import new_reference, triage_payload
from clinic.summary import summarise
from clinic.triage import triage


class ActionTriage(Action):
    def name(self) -> str:
        return "action_triage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        settings = clinic_settings()
        facts = facts_from_tracker(tracker)
        result = triage(facts, settings.duration_threshold_days)
        if result.level != "emergency" and tracker.get_slot("consent") is not True:
            # Symptoms are neither asked about nor kept without consent; 999 never waits.
            dispatcher.utter_message(text=no_consent_message(settings))
            return []
        reference = tracker.get_slot("reference") or new_reference()

        if result.level != "emergency":
            dispatcher.utter_message(text=summarise(facts))
        dispatcher.utter_message(text=advice_message(result, settings))
        payload = triage_payload(settings, reference, result)
        dispatcher.utter_message(json_message=payload)

        booking = payload["triage"].get("booking")
        if booking:
            dispatcher.utter_message(
                text=f"Your reference is {reference}. Book online, or call us on {settings.phone}"
                f" ({settings.opening_hours}).",
                buttons=[
                    {
                        "title": "Book an appointment",
                        "url": booking["url"],
                        "payload": booking["url"],
                    },
                    {
                        "title": f"Call {settings.phone}",
                        "url": settings.phone_link,
                        "payload": settings.phone_link,
                    },
                ],
            )
        return [SlotSet("triage_level", result.level), SlotSet("reference", reference)]
