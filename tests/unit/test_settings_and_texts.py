"""Clinic settings, advice texts, the summary and the booking hand-off."""

from urllib.parse import parse_qs, urlsplit

import pytest

from clinic.advice import ADVICE, HEADLINES, advice_message
from clinic.facts import Facts, Finding
from clinic.handoff import new_reference, triage_payload
from clinic.settings import SettingsError, load_settings
from clinic.summary import summarise
from clinic.triage import LEVELS, Triage, triage


@pytest.fixture
def settings():
    return load_settings()


def test_default_settings_are_the_clinics(settings):
    assert settings.name == "Dynamic Osteopaths"
    assert settings.phone == "01564 330773"
    assert settings.phone_link == "tel:01564330773"
    assert settings.duration_threshold_days == 14
    assert settings.threshold_text == "two weeks"


def test_another_clinic_is_one_file(tmp_path, monkeypatch):
    path = tmp_path / "clinic.yml"
    path.write_text(
        "name: Northside Sports Clinic\nphone: '0161 496 0000'\n"
        "booking_url: https://example.org/book?clinic=7\nopening_hours: Weekdays 9-5\n"
        "duration_threshold_days: 21\n"
    )
    monkeypatch.setenv("CLINIC_SETTINGS", str(path))
    other = load_settings()
    assert other.name == "Northside Sports Clinic"
    assert other.threshold_text == "three weeks"
    payload = triage_payload(other, "ABCD-EFGH", Triage("assessment", ("chronic",), ()))
    query = parse_qs(urlsplit(payload["triage"]["booking"]["url"]).query)
    assert query == {
        "clinic": ["7"],
        "ref": ["ABCD-EFGH"],
        "level": ["assessment"],
        "priority": ["routine"],
    }


@pytest.mark.parametrize(
    "text, message",
    [
        ("name: X\n", "missing"),
        ("name: X\nphone: '1'\nbooking_url: ftp://x\nopening_hours: h\n", "http"),
        (
            "name: X\nphone: '1'\nbooking_url: https://x\nopening_hours: h\n"
            "duration_threshold_days: two\n",
            "whole number",
        ),
    ],
)
def test_bad_settings_are_refused_clearly(tmp_path, text, message):
    path = tmp_path / "clinic.yml"
    path.write_text(text)
    with pytest.raises(SettingsError, match=message):
        load_settings(path)


def test_every_level_and_advice_key_has_wording(settings):
    assert set(HEADLINES) == set(LEVELS)
    for level_facts in [
        Facts(red_flags=frozenset({"bowel"})),
        Facts(medical_flags=frozenset({"fever"})),
        Facts(leg_symptoms="one_leg", leg_sensations=frozenset({"numbness"})),
        Facts(chronic=True, spine_surgery=True),
        Facts(acutely_inflamed=True, advised_not_to_run=True),
        Facts(eases_after_warmup=True),
    ]:
        result = triage(level_facts)
        assert set(result.advice) <= set(ADVICE)
        text = advice_message(result, settings)
        assert "{" not in text


def test_emergency_message_is_999_and_nothing_else(settings):
    result = triage(Facts(red_flags=frozenset({"saddle_numbness"})))
    text = advice_message(result, settings)
    assert "999" in text and "drive" in text
    assert "stretch" not in text.lower() and "book" not in text.lower()


def test_self_care_is_safety_netted_with_the_threshold(settings):
    text = advice_message(triage(Facts(duration_days=3)), settings)
    assert "two weeks" in text and "999" in text


def test_payload_follows_the_contract(settings):
    payload = triage_payload(settings, "ABCD-EFGH", triage(Facts(leg_symptoms="one_leg")))
    body = payload["triage"]
    assert body["level"] == "urgent_osteopath"
    assert body["reasons"] == ["sciatica_one_leg"]
    booking = body["booking"]
    assert booking["phone"] == "01564 330773" and booking["priority"] == "priority"
    assert booking["url"].startswith(settings.booking_url + "?")
    assert "ref=ABCD-EFGH" in booking["url"] and "level=urgent_osteopath" in booking["url"]


def test_no_booking_in_an_emergency(settings):
    payload = triage_payload(settings, "ABCD-EFGH", triage(Facts(red_flag_screen=True)))
    assert "booking" not in payload["triage"]


def test_references_are_short_and_unambiguous():
    refs = {new_reference() for _ in range(200)}
    assert len(refs) == 200
    assert all(len(r) == 9 and r[4] == "-" and not set(r) & set("01IO") for r in refs)


def test_summary_reports_positives_and_negatives():
    facts = Facts().with_findings(
        [
            Finding("duration_days", 21),
            Finding("leg_sensations", "tingling", "negated"),
            Finding("leg_sensations", "numbness", "negated"),
            Finding("leg_symptoms", "none"),
            Finding("self_care_tried", True),
            Finding("self_care_helped", False),
            Finding("spine_surgery", False),
        ]
    )
    text = summarise(facts)
    assert "3 weeks" in text
    assert "no numbness or tingling in the legs" in text
    assert "nothing going down the legs" in text
    assert "self-care tried and not helping" in text
    assert "no spine surgery" in text


def test_summary_without_details():
    assert "haven't told me" in summarise(Facts())
