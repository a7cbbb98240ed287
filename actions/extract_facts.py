"""Reads every user message into the facts (the slots' one custom mapping)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.glue import fact_slot_events, facts_from_tracker, findings_from_entities
from clinic.interview import CONSENT, answer_findings, consent_answer

FORM = "symptom_form"


class ActionExtractFacts(Action):
    def name(self) -> str:
        return "action_extract_facts"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        question = tracker.get_slot("requested_slot") if tracker.active_loop_name == FORM else None
        events: list[dict[str, Any]] = []
        if question == CONSENT:
            consent = consent_answer(intent, message.get("text") or "")
            if consent is not None:
                events.append(SlotSet(CONSENT, consent))
            question = None

        # A short answer ("no") to the question first, so facts named in the
        # same message ("no, but it's been 3 weeks") are applied after it.
        findings = answer_findings(question, intent, message.get("text") or "")
        findings += findings_from_entities(message.get("entities") or [])

        before = facts_from_tracker(tracker)
        after = before.with_findings(findings)
        if intent == "report_red_flag" and not after.red_flags:
            # The classifier heard a warning sign the extractor could not name:
            # ask the safety question (again) rather than guess either way.
            after = replace(after, red_flag_screen=None)

        events += [SlotSet(name, value) for name, value in fact_slot_events(before, after).items()]
        if question and intent == "dont_know":
            skipped = set(tracker.get_slot("skipped_questions") or []) | {question}
            events.append(SlotSet("skipped_questions", sorted(skipped)))
        return events
