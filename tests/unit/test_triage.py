"""The triage rules: every row of the design table, precedence and boundaries."""

import pytest

from clinic.facts import Facts, Finding
from clinic.triage import LEVELS, triage

# A person who has answered every question and reported nothing worrying.
CLEAR = Facts(
    red_flag_screen=False,
    medical_screen=False,
    leg_symptoms="none",
    duration_days=5,
    chronic=False,
    spine_surgery=False,
    advised_not_to_run=False,
    self_care_tried=False,
    eases_after_warmup=False,
    pain_while_running=False,
    acutely_inflamed=False,
)


def facts(**changes) -> Facts:
    from dataclasses import replace

    return replace(CLEAR, **changes).consistent()


@pytest.mark.parametrize(
    "changes, level, reason",
    [
        ({"red_flags": frozenset({"saddle_numbness"})}, "emergency", "saddle_numbness"),
        ({"red_flags": frozenset({"bladder"})}, "emergency", "bladder"),
        ({"red_flags": frozenset({"bowel"})}, "emergency", "bowel"),
        ({"leg_symptoms": "both_legs"}, "emergency", "both_legs"),
        ({"red_flags": frozenset({"worsening_weakness"})}, "emergency", "worsening_weakness"),
        ({"red_flags": frozenset({"chest_pain"})}, "emergency", "chest_pain"),
        ({"red_flags": frozenset({"major_trauma"})}, "emergency", "major_trauma"),
        ({"red_flag_screen": True}, "emergency", "red_flag_reported"),
        ({"medical_flags": frozenset({"fever"})}, "urgent_medical", "fever"),
        ({"medical_flags": frozenset({"weight_loss"})}, "urgent_medical", "weight_loss"),
        ({"medical_flags": frozenset({"night_pain"})}, "urgent_medical", "night_pain"),
        ({"medical_flags": frozenset({"lump"})}, "urgent_medical", "lump"),
        (
            {"medical_flags": frozenset({"cough_sneeze_pain"})},
            "urgent_medical",
            "cough_sneeze_pain",
        ),
        ({"medical_flags": frozenset({"upper_back"})}, "urgent_medical", "upper_back"),
        ({"medical_screen": True}, "urgent_medical", "medical_flag_reported"),
        ({"leg_symptoms": "one_leg"}, "urgent_osteopath", "sciatica_one_leg"),
        ({"duration_days": 21}, "assessment", "duration_over_threshold"),
        (
            {"self_care_tried": True, "self_care_helped": False},
            "assessment",
            "self_care_not_helping",
        ),
        ({"chronic": True}, "assessment", "chronic"),
        ({"spine_surgery": True}, "assessment", "spine_surgery"),
        ({}, "self_care", "mild_strain"),
        ({"eases_after_warmup": True}, "keep_moving", "eases_after_warmup"),
    ],
)
def test_each_row_of_the_table(changes, level, reason):
    result = triage(facts(**changes))
    assert result.level == level
    assert reason in result.reasons


def test_emergency_gives_nothing_but_999():
    result = triage(facts(red_flags=frozenset({"bladder"}), chronic=True))
    assert result.advice == ("call_999",)
    assert result.booking_priority is None


@pytest.mark.parametrize(
    "higher, lower",
    [
        ({"red_flags": frozenset({"bowel"})}, {"medical_flags": frozenset({"fever"})}),
        ({"medical_flags": frozenset({"fever"})}, {"leg_symptoms": "one_leg"}),
        ({"leg_symptoms": "one_leg"}, {"duration_days": 60, "chronic": True}),
        ({"duration_days": 60}, {"eases_after_warmup": True}),
        ({"chronic": True}, {"eases_after_warmup": True}),
    ],
)
def test_the_more_urgent_level_wins(higher, lower):
    alone = triage(facts(**higher)).level
    together = triage(facts(**higher, **lower)).level
    assert together == alone
    assert LEVELS.index(together) < LEVELS.index(triage(facts(**lower)).level)


@pytest.mark.parametrize("days, level", [(13, "self_care"), (14, "self_care"), (15, "assessment")])
def test_duration_threshold_boundary(days, level):
    assert triage(facts(duration_days=days)).level == level


def test_threshold_comes_from_the_clinic():
    assert triage(facts(duration_days=10), threshold_days=7).level == "assessment"
    assert triage(facts(duration_days=10), threshold_days=21).level == "self_care"


def test_one_leg_is_urgent_osteopath_but_both_legs_is_an_emergency():
    assert triage(facts(leg_symptoms="one_leg")).level == "urgent_osteopath"
    assert triage(facts(leg_symptoms="both_legs")).level == "emergency"


def test_self_care_that_did_not_help_at_ten_days_needs_assessment():
    result = triage(facts(duration_days=10, self_care_tried=True, self_care_helped=False))
    assert result.level == "assessment"
    assert result.reasons == ("self_care_not_helping",)


def test_self_care_that_helps_at_ten_days_stays_self_care():
    assert triage(facts(duration_days=10, self_care_tried=True, self_care_helped=True)).level == (
        "self_care"
    )


def test_urgent_osteopath_is_a_priority_booking():
    result = triage(facts(leg_symptoms="one_leg"))
    assert result.booking_priority == "priority"
    assert "stop_running" in result.advice


def test_chronic_holds_off_training():
    assert "hold_off_training" in triage(facts(chronic=True)).advice


@pytest.mark.parametrize("changes", [{"spine_surgery": True}, {"advised_not_to_run": True}])
def test_surgery_or_advice_not_to_run_gets_low_impact_alternatives(changes):
    assert "low_impact_alternatives" in triage(facts(**changes)).advice


def test_advised_not_to_run_is_never_told_to_keep_running():
    result = triage(facts(eases_after_warmup=True, advised_not_to_run=True))
    assert result.level == "self_care"
    assert "keep_moving" not in result.advice


def test_pain_while_running_rules_out_keep_moving():
    result = triage(facts(eases_after_warmup=True, pain_while_running=True))
    assert result.level == "self_care"
    assert "listen_to_body" in result.advice


@pytest.mark.parametrize(
    "changes, expected, not_expected",
    [
        ({"acutely_inflamed": True}, "ice", "heat"),
        ({"acutely_inflamed": False}, "heat", "ice"),
        ({"acutely_inflamed": None}, "ice_or_heat", "heat"),
    ],
)
def test_ice_when_inflamed_heat_only_when_not(changes, expected, not_expected):
    advice = triage(facts(**changes)).advice
    assert expected in advice
    assert not_expected not in advice


def test_never_heat_on_numb_skin():
    numb = Facts().with_findings([Finding("leg_sensations", "numbness")])
    # Numbness in a leg is sciatica; heat is ruled out there too.
    assert "no_heat_on_numb_skin" in triage(numb).advice
    numb_back = facts(acutely_inflamed=False, leg_sensations=frozenset({"numbness"}))
    assert "heat" not in triage(numb_back).advice


@pytest.mark.parametrize("level", ["self_care", "keep_moving"])
def test_lower_levels_are_safety_netted_with_booking(level):
    changes = {"eases_after_warmup": True} if level == "keep_moving" else {}
    result = triage(facts(**changes))
    assert result.level == level
    assert "book_if_no_better" in result.advice
