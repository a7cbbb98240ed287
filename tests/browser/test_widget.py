"""The chat widget on the demo page, against the real Rasa and action servers."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from clinic.settings import load_settings
from tests.browser.conftest import screenshot
from tests.browser.widget import (
    answer_questions,
    bot_messages,
    contrast_failures,
    current_question,
    focused,
    open_chat,
    say,
    tab_to,
    transcript,
    wait_for_turn,
)

SETTINGS = load_settings()
SYMPTOMS = (
    "My lower back has ached for 3 weeks since my marathon block. "
    "No tingling or numbness in my legs."
)
GREETING = "Tell me about your back pain"
TEXT_SELECTORS = [
    ".cc-title",
    ".cc-subtitle",
    ".cc-restart",
    ".cc-privacy",
    ".cc-msg--bot p",
    ".cc-msg--bot li",
    ".cc-msg--user p",
    ".cc-link",
    ".cc-reply",
    ".cc-action",
    ".cc-input",
    ".cc-send",
    ".cc-launcher-label",
]


def test_keyboard_only_conversation_to_booking_survives_a_reload(desktop, web, booking_site):
    page = desktop
    page.goto(web.url)
    open_chat(page)
    expect(bot_messages(page).first).to_contain_text(GREETING)

    say(page, SYMPTOMS)
    assert wait_for_turn(page) == "question"
    assert current_question(page) == "consent"
    say(page, "yes that's fine")
    assert wait_for_turn(page) == "question"
    say(page, "no, none of those")
    assert wait_for_turn(page) == "question"
    question = current_question(page)
    before = transcript(page)

    page.reload()
    expect(page.locator("#cc-panel")).to_be_visible()
    assert transcript(page) == before, "the conversation should be there after a reload"
    assert current_question(page) == question
    assert page.locator(".cc-replies").count() == 1

    answer_questions(page)
    expect(page.locator(".cc-msg--bot").last).to_contain_text("Your reference is")

    book = page.locator(".cc-handoff .cc-action--book")
    call = page.locator(".cc-handoff .cc-action--call")
    expect(book).to_have_text("Book an appointment")
    expect(call).to_have_attribute("href", SETTINGS.phone_link)
    href = book.get_attribute("href")
    assert href.startswith(f"{web.url}/book?"), href
    query = {key: values[0] for key, values in parse_qs(urlsplit(href).query).items()}
    assert query["level"] == "assessment"
    assert query["priority"] == "routine"
    assert query["channel"] == "web"
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", query["ref"])
    assert query["ref"] in page.locator(".cc-msg--bot").last.inner_text()
    # No link to the booking site that would skip /book.
    assert not page.locator(f'.cc-root a[href^="{SETTINGS.booking_url}"]').count()
    assert contrast_failures(page, TEXT_SELECTORS) == []
    screenshot(page, "desktop-outcome")

    tab_to(page, ".cc-action--book", backwards=True)
    with page.context.expect_page() as opened:
        page.keyboard.press("Enter")
    booking = opened.value
    booking.wait_for_load_state()
    expect(booking.locator("h1")).to_have_text("Book (stub)")
    assert booking.url.startswith(f"{booking_site.url}?")
    assert parse_qs(urlsplit(booking.url).query) == {key: [value] for key, value in query.items()}
    path = urlsplit(booking.url)._replace(scheme="", netloc="").geturl()
    assert [asked for asked in booking_site.requests if asked.startswith("/book")] == [path]

    handoff = web.handoffs()[-1]
    assert (handoff["reference"], handoff["level"], handoff["channel"]) == (
        query["ref"],
        "assessment",
        "web",
    )
    assert page.dialogs == []


def test_emergency_offers_999_and_no_booking(desktop, web):
    page = desktop
    page.goto(web.url)
    open_chat(page)
    expect(bot_messages(page).first).to_contain_text(GREETING)
    say(page, "my back is killing me, I can't feel anything around my bum and I can't pee")
    expect(page.locator(".cc-handoff .cc-action--emergency")).to_have_attribute("href", "tel:999")
    assert page.locator(".cc-action--book").count() == 0
    expect(bot_messages(page).last).to_contain_text("999")


def test_markup_in_a_message_shows_as_text(desktop, web):
    page = desktop
    page.goto(web.url)
    open_chat(page)
    expect(bot_messages(page).first).to_contain_text(GREETING)
    greeting_count = bot_messages(page).count()

    markup = "<img src=x onerror=alert(1)>"
    say(page, markup)
    expect(bot_messages(page)).not_to_have_count(greeting_count)
    expect(page.locator(".cc-msg--user").last).to_have_text(f"You: {markup}")
    assert page.locator(".cc-root img").count() == 0
    page.wait_for_timeout(500)
    assert page.dialogs == []


def test_quick_replies_start_over_and_mobile_layout(mobile, web):
    page = mobile
    page.goto(web.url)
    open_chat(page)
    expect(bot_messages(page).first).to_contain_text(GREETING)
    say(page, "tweaked my lower back at parkrun two days ago, nothing going down my legs")
    assert wait_for_turn(page) == "question"
    assert contrast_failures(page, TEXT_SELECTORS) == []
    screenshot(page, "mobile-question")

    # The first question asks for consent; Shift+Tab from the box reaches its last reply.
    assert current_question(page) == "consent"
    tab_to(page, ".cc-replies .cc-reply", backwards=True)
    title = page.evaluate("document.activeElement.textContent")
    assert title == "No, don't keep it"
    page.keyboard.press("Enter")
    expect(page.locator(".cc-msg--user").last).to_have_text(f"You: {title}")
    expect(page.locator(".cc-replies")).to_have_count(0)
    assert focused(page, "#cc-input"), "after a quick reply the focus returns to the box"
    expect(bot_messages(page).last).to_contain_text(SETTINGS.phone)
    expect(bot_messages(page).last).to_contain_text("999")

    tab_to(page, ".cc-restart", backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator(".cc-msg--user")).to_have_count(0)
    expect(bot_messages(page)).to_have_count(1)
    expect(bot_messages(page).first).to_contain_text("let's start again")
    assert focused(page, "#cc-input")
    screenshot(page, "mobile-start-over")


def test_unread_badge_while_collapsed(desktop, web):
    page = desktop
    page.goto(web.url)
    open_chat(page)
    expect(bot_messages(page).first).to_contain_text(GREETING)
    page.keyboard.type("what is sciatica?")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page.locator("#cc-panel")).to_be_hidden()
    assert focused(page, ".cc-launcher"), "closing the chat returns the focus to its button"
    badge = page.locator(".cc-badge")
    expect(badge).to_be_visible()
    expect(page.locator(".cc-launcher")).to_have_attribute("aria-label", re.compile(r"unread"))
    screenshot(page, "desktop-unread")
    page.keyboard.press("Enter")
    expect(badge).to_be_hidden()


def test_accessibility_basics(desktop, web):
    page = desktop
    page.goto(web.url)
    open_chat(page)
    log = page.locator(".cc-log")
    expect(log).to_have_attribute("role", "log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.locator(".cc-launcher")).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#cc-panel")).to_have_attribute("aria-labelledby", "cc-title")
    expect(page.locator("label[for=cc-input]")).to_have_count(1)
    expect(page.locator(".cc-privacy")).to_contain_text("not a diagnosis")


def test_unreachable_server_shows_the_phone_number(desktop, web_without_rasa):
    page = desktop
    page.goto(web_without_rasa.url)
    open_chat(page)
    notice = page.locator(".cc-offline")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(SETTINGS.phone)
    expect(notice).to_have_attribute("role", "alert")
    expect(notice.locator("a")).to_have_attribute("href", SETTINGS.phone_link)
    screenshot(page, "desktop-offline")
