"""Responses filled with the clinic's settings.

Every response in domain.yml and data/responses/ may use {clinic_name},
{clinic_phone}, {opening_hours}, {booking_url} and {threshold_text}. They come
from the settings file, not from slots, so they are right even when the
action server cannot be reached.

endpoints.yml loads this class in every Rasa process that runs actions (rasa run,
shell, test), so it also installs the one-off check of the action server's
responses (server/action_responses.py) and the lookup of event classes by name
kept once found (server/event_types.py).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from clinic.settings import load_settings
from server.action_responses import check_responses_once
from server.event_types import resolve_event_types_once


class ClinicResponses(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None):
        super().__init__((domain or Domain.empty()).responses)
        check_responses_once()
        resolve_event_types_once()

    @cached_property
    def clinic_values(self) -> dict[str, str]:
        settings = load_settings()
        return {
            "clinic_name": settings.name,
            "clinic_phone": settings.phone,
            "opening_hours": settings.opening_hours,
            "booking_url": settings.booking_url,
            "threshold_text": settings.threshold_text,
        }

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> dict[str, Any] | None:
        return await super().generate(
            utter_action, tracker, output_channel, **{**self.clinic_values, **kwargs}
        )
