"""The clinic's triage rules: the article plus NHS safety-netting, as plain Python.

Levels, most urgent first, and what puts a person in each, follow the triage
contract in shared/design.md. Unknown facts count as not reported; the
interview (clinic.interview) asks for those that could change the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

from clinic.facts import Facts

LEVELS = (
    "emergency",
    "urgent_medical",
    "urgent_osteopath",
    "assessment",
    "self_care",
    "keep_moving",
)


@dataclass(frozen=True)
class Triage:
    level: str
    reasons: tuple[str, ...]
    advice: tuple[str, ...]

    @property
    def booking_priority(self) -> str | None:
        """None for emergencies: no booking offer then."""
        if self.level == "emergency":
            return None
        return "priority" if self.level == "urgent_osteopath" else "routine"


def triage(facts: Facts, threshold_days: int = 14) -> Triage:
    if facts.red_flags or facts.red_flag_screen:
        reasons = sorted(facts.red_flags) or ["red_flag_reported"]
        return Triage("emergency", tuple(reasons), ("call_999",))

    if facts.medical_flags or facts.medical_screen:
        reasons = sorted(facts.medical_flags) or ["medical_flag_reported"]
        return Triage("urgent_medical", tuple(reasons), ("urgent_gp_or_111",))

    if facts.leg_symptoms == "one_leg":
        advice = ["stop_running", "priority_booking"]
        if "numbness" in facts.leg_sensations:
            advice.append("no_heat_on_numb_skin")
        return Triage("urgent_osteopath", ("sciatica_one_leg",), tuple(advice))

    alternatives = (
        ["low_impact_alternatives"] if facts.spine_surgery or facts.advised_not_to_run else []
    )

    reasons = _assessment_reasons(facts, threshold_days)
    if reasons:
        advice = ["structural_assessment"]
        if facts.chronic:
            advice.append("hold_off_training")
        return Triage("assessment", tuple(reasons), tuple(advice + alternatives))

    if facts.eases_after_warmup and not facts.pain_while_running and not alternatives:
        return Triage(
            "keep_moving",
            ("eases_after_warmup",),
            ("keep_moving", "stop_if_pain_while_running", "book_if_no_better"),
        )

    advice = ["stretches", *_ice_or_heat(facts), "listen_to_body", "biomechanical_assessment"]
    return Triage(
        "self_care", ("mild_strain",), tuple(advice + alternatives + ["book_if_no_better"])
    )


def _assessment_reasons(facts: Facts, threshold_days: int) -> list[str]:
    reasons = []
    if facts.duration_days is not None and facts.duration_days > threshold_days:
        reasons.append("duration_over_threshold")
    if facts.self_care_tried and facts.self_care_helped is False:
        reasons.append("self_care_not_helping")
    if facts.chronic:
        reasons.append("chronic")
    if facts.spine_surgery:
        reasons.append("spine_surgery")
    return reasons


def _ice_or_heat(facts: Facts) -> list[str]:
    """Ice when inflamed; heat only when not inflamed, and never on numb skin."""
    numb = "numbness" in facts.leg_sensations
    if facts.acutely_inflamed:
        advice = ["ice"]
    elif facts.acutely_inflamed is False and not numb:
        advice = ["heat"]
    else:
        advice = ["ice_or_heat"]
    if numb:
        advice.append("no_heat_on_numb_skin")
    return advice
