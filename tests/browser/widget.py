"""Drives the chat widget the way a keyboard user does: Tab, Shift+Tab, typing, Enter."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from clinic.questions import QUESTIONS
from clinic.settings import load_settings
from tests.integration.driver import TYPED_NO

MAX_TABS = 40


def focused(page: Page, selector: str) -> bool:
    return page.evaluate(
        "s => !!document.activeElement && document.activeElement.matches(s)", selector
    )


def tab_to(page: Page, selector: str, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the element matching ``selector`` has focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        if focused(page, selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} never got the focus with {key}")


def open_chat(page: Page) -> None:
    tab_to(page, ".cc-launcher")
    page.keyboard.press("Enter")
    assert page.locator("#cc-panel").is_visible()
    assert focused(page, "#cc-input"), "opening the chat should focus the message box"


def bot_messages(page: Page) -> Locator:
    return page.locator(".cc-msg--bot")


def say(page: Page, text: str) -> None:
    """Type ``text`` in the message box and send it with Enter."""
    tab_to(page, "#cc-input", backwards=True)
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def wait_for_turn(page: Page) -> str:
    """Wait for the bot's question (with quick replies) or the hand-off; return which."""
    page.wait_for_selector(".cc-replies, .cc-handoff")
    return "handoff" if page.locator(".cc-handoff").count() else "question"


def current_question(page: Page) -> str:
    """The interview slot whose question carries the quick replies on screen."""
    text = page.locator(".cc-msg--bot", has=page.locator(".cc-replies")).last.inner_text()
    for slot, question in QUESTIONS.items():
        if question.text_for(load_settings()).splitlines()[0] in text:
            return slot
    raise AssertionError(f"not an interview question: {text}")


def answer_questions(page: Page, max_turns: int = 16) -> None:
    """Answer every question in typed free text until the outcome's hand-off shows."""
    for _ in range(max_turns):
        if wait_for_turn(page) == "handoff":
            return
        say(page, TYPED_NO[current_question(page)])
    raise AssertionError("no outcome")


def transcript(page: Page) -> list[str]:
    return page.locator(".cc-msg").all_inner_texts()


CONTRAST_JS = """
(selectors) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const failures = [];
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) {
      const a = lum(rgb(getComputedStyle(el).color).slice(0, 3));
      const b = lum(background(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) failures.push(`${selector}: ${ratio.toFixed(2)}`);
    }
  }
  return failures;
}
"""


def contrast_failures(page: Page, selectors: list[str]) -> list[str]:
    """Elements whose text contrasts less than WCAG AA's 4.5:1 with their background."""
    return page.evaluate(CONTRAST_JS, selectors)
