import pytest

from web.staff.redaction import FAKE_EMAIL, FAKE_NAME, FAKE_PHONE, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call me on 07911 123456 please", f"call me on {FAKE_PHONE} please"),
        ("my number is +44 (0)1564 330773", f"my number is {FAKE_PHONE}"),
        ("email jo.bloggs+run@gmail.co.uk", f"email {FAKE_EMAIL}"),
        ("Hi, my name is Priya and my back hurts", f"Hi, my name is {FAKE_NAME} and my back hurts"),
        ("this is Tom Hardy, sore back", f"this is {FAKE_NAME}, sore back"),
        ("sore back for 3 weeks. Thanks, Gemma", f"sore back for 3 weeks. Thanks, {FAKE_NAME}"),
    ],
)
def test_identifying_details_are_replaced(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "sore for 3 weeks after a 10k on 12/10",
        "I'm Not sure, maybe 2 weeks",
        "I ran 21 km at 5:30 pace",
        "I'm Training for a marathon",
        "pain since Monday",
    ],
)
def test_clinical_details_are_kept(text):
    assert redact(text) == text
