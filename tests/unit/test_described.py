"""The person's own description for the pre-visit summary (clinic/described.py)."""

from __future__ import annotations

import pytest

from clinic.described import described, described_text


def concept(kind: str, value: str, status: str = "present") -> dict[str, str]:
    return {"concept": kind, "value": value, "status": status}


@pytest.mark.parametrize(
    ("concepts", "expected"),
    [
        ([], ""),
        (
            [concept("location", "lower_back"), concept("sensation", "ache")],
            "where: lower back; how it feels: ache",
        ),
        # In a clinician's order, whatever order they were said in; each value once.
        (
            [
                concept("running", "parkrun"),
                concept("laterality", "left"),
                concept("location", "calf"),
                concept("location", "lower_back"),
                concept("location", "calf"),
            ],
            "where: calf, lower back; side: left; running: parkrun",
        ),
        # Denied, past and hypothetical mentions are not what they have now.
        (
            [
                concept("sensation", "tingling", "negated"),
                concept("sensation", "sciatica", "historical"),
                concept("radiation", "down_the_leg", "hypothetical"),
                concept("pattern", "while_running"),
            ],
            "when: while running",
        ),
        # Kinds the triage's facts already report are not repeated here.
        ([concept("red_flag", "bladder"), concept("self_care", "ice")], ""),
    ],
)
def test_described_text(concepts, expected):
    assert described_text(concepts) == expected


def test_described_groups_by_heading():
    found = described([concept("sensation", "ache"), concept("sensation", "stiffness")])
    assert found == {"how it feels": ["ache", "stiffness"]}
