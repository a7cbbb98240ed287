"""Facts implied by other findings (nlu/implied_facts.py)."""

import pytest

from clinic.facts import Finding
from nlu.implied_facts import chronic_from_duration, tried_from_helped


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


@pytest.mark.parametrize(
    ("status", "tried"),
    [
        ("present", True),  # "ice helped"
        ("negated", True),  # "nothing helps"
        ("hypothetical", False),  # "does ice help?"
        ("historical", False),
    ],
)
def test_whether_self_care_helped_or_not_it_was_tried(status, tried):
    helped = Finding("self_care_helped", True, status, 0, 10, "ice helped")
    implied = tried_from_helped([helped])
    assert implied == ([Finding("self_care_tried", True, "present", 0, 10, "ice helped")] * tried)
