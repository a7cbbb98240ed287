"""The web app's routes over HTTP: demo page, static assets, /book and /healthz."""

import http.client
import re

import pytest
import requests

from clinic.settings import load_settings

SETTINGS = load_settings()
VALID = {"ref": "K7QX-M3PA", "level": "assessment", "priority": "routine", "channel": "web"}


def book(web, params):
    return requests.get(f"{web.url}/book", params=params, allow_redirects=False, timeout=10)


def test_healthz(web):
    response = requests.get(f"{web.url}/healthz", timeout=10)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_demo_page_shows_the_clinic_and_embeds_the_widget_once(web):
    response = requests.get(f"{web.url}/", timeout=10)
    assert response.status_code == 200
    page = response.text
    for detail in (SETTINGS.name, SETTINGS.phone, SETTINGS.opening_hours, SETTINGS.booking_url):
        assert detail in page
    assert f'href="{SETTINGS.phone_link}"' in page
    assert "What to do when back pain interferes with running" in page
    assert page.count('src="/static/widget.js"') == 1
    assert "window.clinicChat = {" in page
    nonce = re.search(r'<script nonce="([^"]+)">', page).group(1)
    policy = response.headers["Content-Security-Policy"]
    assert f"script-src 'self' 'nonce-{nonce}'" in policy
    assert "ws://127.0.0.1:" in policy


@pytest.mark.parametrize("path", ["widget.js", "widget.css", "page.css", "vendor/socket.io.min.js"])
def test_static_assets(web, path):
    response = requests.get(f"{web.url}/static/{path}", timeout=10)
    assert response.status_code == 200
    assert response.content


def test_book_records_the_handoff_and_redirects_with_the_same_query(web):
    before = len(web.handoffs())
    response = book(web, VALID)
    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"{SETTINGS.booking_url}?ref=K7QX-M3PA&level=assessment&priority=routine&channel=web"
    )
    assert response.headers["Referrer-Policy"] == "no-referrer"
    rows = web.handoffs()
    assert len(rows) == before + 1
    row = rows[-1]
    assert row["created_at"]
    assert {key: row[key] for key in ("reference", "level", "priority", "channel")} == {
        "reference": "K7QX-M3PA",
        "level": "assessment",
        "priority": "routine",
        "channel": "web",
    }
    # Reference, level, priority, channel and time: nothing about symptoms.
    assert set(row) == {"id", "reference", "level", "priority", "channel", "created_at"}


def test_book_without_a_channel_records_it_as_unknown(web):
    response = book(web, {"ref": "ABCD-EFGH", "level": "urgent_osteopath"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.endswith("?ref=ABCD-EFGH&level=urgent_osteopath&channel=unknown")
    assert web.handoffs()[-1]["channel"] == "unknown"


@pytest.mark.parametrize(
    "change",
    [
        {"ref": None},
        {"ref": "k7qx-m3pa"},
        {"ref": "K7QXM3PA"},
        {"ref": "K7QX-M3PA-ZZZZ"},
        {"ref": "<script>alert(1)</script>"},
        {"level": None},
        {"level": "severe"},
        {"level": "ASSESSMENT"},
        {"priority": "asap"},
        {"channel": "Web Chat"},
        {"channel": "x" * 40},
    ],
    ids=lambda change: ",".join(f"{key}={value}" for key, value in change.items()),
)
def test_book_refuses_a_bad_link_politely_and_records_nothing(web, change):
    before = len(web.handoffs())
    params = {key: value for key, value in {**VALID, **change}.items() if value is not None}
    response = book(web, params)
    assert response.status_code == 400
    assert "Sorry" in response.text
    assert SETTINGS.phone in response.text
    assert "<script>alert" not in response.text
    assert len(web.handoffs()) == before


@pytest.mark.parametrize(
    "path",
    ["/admin", "/static/../clinic.yml", "/static/%2e%2e/clinic.yml", "/static/../../etc/passwd"],
)
def test_nothing_outside_the_routes_is_served(web, path):
    connection = http.client.HTTPConnection("127.0.0.1", web.port, timeout=10)
    try:
        connection.request("GET", path)  # sent as it is, dots and all
        response = connection.getresponse()
        assert response.status in (400, 404)
        assert b"booking_url" not in response.read()
    finally:
        connection.close()
