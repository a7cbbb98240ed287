"""Facts one finding implies about another, after both sources are merged."""

from __future__ import annotations

from clinic.facts import Finding

# NHS: chronic (persistent) pain lasts more than 12 weeks.
CHRONIC_AFTER_DAYS = 12 * 7


def chronic_from_duration(findings: list[Finding]) -> list[Finding]:
    """A present duration of 12 weeks or more is chronic, unless chronic was said.

    What the message says about chronicity wins: "the first time I've had back
    pain, 4 months now" stays a first episode. Historical durations ("sciatica
    5 years ago") and those taken back ("4 days, not 4 months") do not count.
    """
    if any(f.fact == "chronic" and f.status in ("present", "negated") for f in findings):
        return []
    long = [
        f
        for f in findings
        if f.fact == "duration_days" and f.status == "present" and f.value >= CHRONIC_AFTER_DAYS
    ]
    return [Finding("chronic", True, "present", f.start, f.end, f.text) for f in long[:1]]


def tried_from_helped(findings: list[Finding]) -> list[Finding]:
    """Whether self-care helped or not, it was tried ("ice helped", "nothing helps")."""
    return [
        Finding("self_care_tried", True, "present", f.start, f.end, f.text)
        for f in findings
        if f.fact == "self_care_helped" and f.status in ("present", "negated")
    ]
