"""Facts implied by other findings (nlu/implied_facts.py)."""

import pytest

from clinic.facts import Finding
from nlu.implied_facts import chronic_from_duration


def days(n: int, status: str = "present") -> Finding:
    return Finding("duration_days", n, status, 0, 7, "n weeks")


@pytest.mark.parametrize(
    ("findings", "chronic"),
    [
        ([days(84)], True),  # 12 weeks
        ([days(83)], False),
        ([days(365), days(3)], True),
        ([days(1825, "historical")], False),  # "sciatica 5 years ago"
        ([days(120, "hypothetical")], False),  # "if it lasts 4 months"
        ([days(120, "negated")], False),  # "4 days, not 4 months"
        ([days(120), Finding("chronic", True, "negated")], False),  # "first time", said
        ([days(120), Finding("chronic", True, "present")], False),  # already there
        ([], False),
    ],
)
def test_a_long_present_duration_is_chronic(findings, chronic):
    implied = chronic_from_duration(findings)
    assert bool(implied) == chronic
    assert all(f == Finding("chronic", True, "present", 0, 7, "n weeks") for f in implied)
