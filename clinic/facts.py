"""The facts vocabulary shared by the understanding side and the triage rules.

Unknown is ``None``, never a guess. A fact stated in the negative is a known
``False`` (or ``"none"``), and a set member stated in the negative lands in
``absent`` so the summary can report it as a relevant negative.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

RED_FLAGS = (
    "saddle_numbness",
    "bladder",
    "bowel",
    "both_legs",
    "worsening_weakness",
    "chest_pain",
    "major_trauma",
)
MEDICAL_FLAGS = (
    "fever",
    "weight_loss",
    "night_pain",
    "lump",
    "cough_sneeze_pain",
    "upper_back",
)
LEG_SYMPTOMS = ("none", "one_leg", "both_legs")
LEG_SENSATIONS = ("pain", "tingling", "numbness", "weakness", "burning")

# Facts that hold a set of members rather than one value.
SET_FACTS = {
    "red_flags": RED_FLAGS,
    "medical_flags": MEDICAL_FLAGS,
    "leg_sensations": LEG_SENSATIONS,
}
BOOL_FACTS = (
    "self_care_tried",
    "self_care_helped",
    "chronic",
    "spine_surgery",
    "advised_not_to_run",
    "eases_after_warmup",
    "pain_while_running",
    "acutely_inflamed",
    # Answers to the interview's two screening questions ("any of these?").
    "red_flag_screen",
    "medical_screen",
)

Status = Literal["present", "negated", "historical", "hypothetical"]


@dataclass(frozen=True)
class Finding:
    """One fact read from one message.

    ``value`` is the normalised value: the member for set facts
    (``red_flags`` -> ``"bladder"``), a bool for bool facts, a level for
    ``leg_symptoms`` and whole days for ``duration_days``. Only ``present``
    and ``negated`` findings change the facts; historical and hypothetical
    mentions are kept so tests and reports can show they were recognised.
    """

    fact: str
    value: Any
    status: Status = "present"
    start: int = 0
    end: int = 0
    text: str = ""


@dataclass(frozen=True)
class Facts:
    red_flags: frozenset[str] = frozenset()
    medical_flags: frozenset[str] = frozenset()
    leg_symptoms: str | None = None
    leg_sensations: frozenset[str] = frozenset()
    duration_days: int | None = None
    self_care_tried: bool | None = None
    self_care_helped: bool | None = None
    chronic: bool | None = None
    spine_surgery: bool | None = None
    advised_not_to_run: bool | None = None
    eases_after_warmup: bool | None = None
    pain_while_running: bool | None = None
    acutely_inflamed: bool | None = None
    red_flag_screen: bool | None = None
    medical_screen: bool | None = None
    # Set members the user denied, as "fact:member" ("red_flags:bladder").
    absent: frozenset[str] = field(default_factory=frozenset)

    def is_absent(self, fact: str, member: str) -> bool:
        return f"{fact}:{member}" in self.absent

    def with_findings(self, findings: Iterable[Finding]) -> Facts:
        """Return the facts updated by one message's findings; later findings win."""
        facts = self
        for finding in findings:
            if finding.status in ("present", "negated"):
                facts = facts._with_finding(finding)
        return facts.consistent()

    def _with_finding(self, finding: Finding) -> Facts:
        fact, value = finding.fact, finding.value
        negated = finding.status == "negated"
        if fact in SET_FACTS:
            members = set(getattr(self, fact))
            absent = set(self.absent)
            key = f"{fact}:{value}"
            if negated:
                members.discard(value)
                absent.add(key)
            else:
                members.add(value)
                absent.discard(key)
            return replace(self, **{fact: frozenset(members)}, absent=frozenset(absent))
        if fact in BOOL_FACTS:
            return replace(self, **{fact: (not value) if negated else bool(value)})
        if fact == "leg_symptoms":
            # "nothing down my legs" arrives as a negated mention of the legs.
            return replace(self, leg_symptoms="none" if negated else value)
        if fact == "duration_days":
            return self if negated else replace(self, duration_days=int(value))
        raise ValueError(f"unknown fact {fact!r}")

    def consistent(self) -> Facts:
        """Keep the views of the legs in step: both legs is itself a red flag."""
        facts = self
        if facts.leg_symptoms == "both_legs" and "both_legs" not in facts.red_flags:
            facts = replace(facts, red_flags=facts.red_flags | {"both_legs"})
        elif "both_legs" in facts.red_flags and facts.leg_symptoms != "both_legs":
            facts = replace(facts, leg_symptoms="both_legs")
        if facts.leg_sensations and facts.leg_symptoms in (None, "none"):
            # Sensations in a leg without a side named: treat as one leg.
            facts = replace(facts, leg_symptoms="one_leg")
        return facts

    def to_slots(self) -> dict[str, Any]:
        """Slot values for Rasa: sets become sorted lists."""
        slots: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            slots[f.name] = sorted(value) if isinstance(value, frozenset) else value
        return slots

    @classmethod
    def from_slots(cls, slots: dict[str, Any]) -> Facts:
        values: dict[str, Any] = {}
        for f in fields(cls):
            value = slots.get(f.name)
            if f.name in SET_FACTS or f.name == "absent":
                values[f.name] = frozenset(value or ())
            elif f.name == "duration_days":
                values[f.name] = None if value is None else int(value)
            else:
                values[f.name] = value
        return cls(**values)


FACT_NAMES = tuple(f.name for f in fields(Facts) if f.name != "absent")
