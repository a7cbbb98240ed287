from clinic.facts import Facts, Finding


def test_unknown_is_none_not_a_guess():
    facts = Facts()
    assert facts.duration_days is None and facts.chronic is None and facts.leg_symptoms is None


def test_a_negated_fact_is_a_known_false():
    facts = Facts().with_findings([Finding("spine_surgery", True, "negated")])
    assert facts.spine_surgery is False


def test_negated_set_member_is_recorded_as_absent():
    facts = Facts().with_findings([Finding("leg_sensations", "tingling", "negated")])
    assert facts.leg_sensations == frozenset()
    assert facts.is_absent("leg_sensations", "tingling")


def test_nothing_down_the_legs_is_none():
    facts = Facts().with_findings([Finding("leg_symptoms", "one_leg", "negated")])
    assert facts.leg_symptoms == "none"


def test_history_and_hypotheticals_do_not_change_the_facts():
    findings = [
        Finding("leg_symptoms", "one_leg", "historical"),
        Finding("red_flags", "bladder", "hypothetical"),
    ]
    assert Facts().with_findings(findings) == Facts()


def test_a_later_statement_corrects_an_earlier_one():
    facts = Facts().with_findings([Finding("duration_days", 14)])
    facts = facts.with_findings([Finding("duration_days", 42)])
    assert facts.duration_days == 42


def test_both_legs_is_a_red_flag_and_a_leg_pattern():
    facts = Facts().with_findings([Finding("leg_symptoms", "both_legs")])
    assert "both_legs" in facts.red_flags
    facts = Facts().with_findings([Finding("red_flags", "both_legs")])
    assert facts.leg_symptoms == "both_legs"


def test_slots_round_trip():
    facts = Facts().with_findings(
        [
            Finding("red_flags", "bladder"),
            Finding("duration_days", 21),
            Finding("chronic", False),
            Finding("leg_sensations", "numbness", "negated"),
        ]
    )
    slots = facts.to_slots()
    assert slots["red_flags"] == ["bladder"]
    assert Facts.from_slots(slots) == facts
    # Rasa stores a float slot as 21.0.
    assert Facts.from_slots({**slots, "duration_days": 21.0}).duration_days == 21
