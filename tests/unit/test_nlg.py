"""Responses are filled from the clinic's settings, with no slots needed."""

from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from server.nlg import ClinicResponses

ROOT = Path(__file__).resolve().parents[2]


async def test_responses_carry_the_clinics_details_without_any_slots():
    domain = Domain.load(str(ROOT / "domain.yml"))
    tracker = DialogueStateTracker.from_events("nobody", [], slots=domain.slots)
    nlg = ClinicResponses(domain=domain)
    for name in ("utter_default", "utter_greet", "utter_out_of_scope", "utter_other_language"):
        response = await nlg.generate(name, tracker, "rest")
        assert "{" not in response["text"] and "None" not in response["text"], name
    default = await nlg.generate("utter_default", tracker, "rest")
    assert "Dynamic Osteopaths" in default["text"] and "01564 330773" in default["text"]
