"""The staff console in Chromium: log in by keyboard, find a conversation, review the
NLU inbox, look up a pre-visit summary. Screenshots go to reports/screenshots/."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.integration.driver import (
    converse,
    misunderstood_greeting,
    review_below,
    start_interview,
)
from tests.web.webapp import PASSWORD, STAFF_USER, staff_console


@pytest.fixture(scope="module")
def unsure(servers):
    return misunderstood_greeting(servers)


@pytest.fixture(scope="module")
def console(servers, unsure, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("staff-browser")
    env = {
        "TRACKER_STORE_URL": servers.env["TRACKER_STORE_URL"],
        "MODELS_DIR": str(workdir / "models"),
        # The inbox lists the misread greeting, however sure of it the model is.
        "STAFF_REVIEW_BELOW": review_below(unsure[1]),
    }
    with staff_console(workdir, servers.url, **env) as app:
        yield app


def test_staff_review_by_keyboard(servers, console, unsure, desktop):
    sender = f"browser-{uuid.uuid4().hex[:8]}"
    outcome = converse(
        servers, sender, "lower back sore for 3 weeks since my marathon block, legs fine"
    ).triage
    greeting, _ = unsure
    start_interview(servers, f"{sender}-unsure", "my back hurts")
    servers.send(f"{sender}-unsure", greeting)
    page = desktop

    page.goto(f"{console.url}/staff")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.type(STAFF_USER)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Conversations")).to_be_visible()
    page.select_option("select[name=level]", outcome["level"])
    page.get_by_role("button", name="Filter").click()
    row = page.locator("tr", has_text=outcome["level"]).first
    expect(row).to_be_visible()
    screenshot(page, "staff-conversations")

    page.goto(f"{console.url}/staff/conversations/{sender}")
    expect(page.get_by_text("marathon block").first).to_be_visible()
    expect(page.get_by_role("button", name="Save as a test story")).to_be_visible()
    screenshot(page, "staff-conversation")

    page.get_by_role("link", name="NLU inbox").click()
    expect(page.get_by_text(greeting)).to_be_visible()
    screenshot(page, "staff-inbox")

    page.get_by_role("link", name="Pre-visit summary").click()
    page.get_by_label("Booking reference").fill(outcome["booking"]["reference"])
    page.keyboard.press("Enter")
    expect(page.get_by_text("What the patient reported")).to_be_visible()
    expect(page.get_by_text("for 3 weeks")).to_be_visible()
    screenshot(page, "staff-summary")
