"""The web package's pure parts: booking links, page rendering."""

import json

import pytest

from clinic.settings import ClinicSettings
from web.booking import InvalidHandoff, booking_redirect, parse_handoff
from web.page import render_page, script_json

SETTINGS = ClinicSettings(
    name='Bad <b>"Clinic"</b> & Co',
    phone="0123 456",
    booking_url="https://example.org/book?site=2",
    opening_hours="<i>9 to 5</i>",
)


def test_redirect_keeps_the_booking_urls_own_query():
    handoff = parse_handoff({"ref": "ABCD-EFGH", "level": "self_care", "priority": "routine"})
    assert booking_redirect(SETTINGS.booking_url, handoff) == (
        "https://example.org/book?site=2&ref=ABCD-EFGH&level=self_care&priority=routine"
        "&channel=unknown"
    )


@pytest.mark.parametrize("level", ["emergency", "keep_moving"])
def test_every_level_is_accepted(level):
    assert parse_handoff({"ref": "ABCD-EFGH", "level": level}).level == level


def test_a_bad_reference_is_refused():
    with pytest.raises(InvalidHandoff):
        parse_handoff({"ref": "ABCD-EFG", "level": "self_care"})


def test_page_escapes_the_settings():
    page = render_page(SETTINGS, "http://127.0.0.1:5005", "n0nce")
    assert "<b>" not in page and "<i>" not in page
    assert "Bad &lt;b&gt;&quot;Clinic&quot;&lt;/b&gt; &amp; Co" in page


def test_config_json_cannot_close_its_script_element():
    text = script_json({"title": "</script><script>alert(1)</script>"})
    assert "</script>" not in text and "<" not in text
    assert json.loads(text) == {"title": "</script><script>alert(1)</script>"}
