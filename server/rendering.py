"""How one bot message looks in each messaging app (plain Python, no Rasa).

A bot message is Rasa's dict: ``text``, ``buttons`` or ``quick_replies``
(``title`` and ``payload``, or ``url`` for a link), ``custom`` and ``image``.
Each app shows it in its own form:

- Telegram: an inline keyboard, one answer per row; links become URL buttons.
- Messenger: quick replies for answers; a button template for web links.
- WhatsApp through Twilio has no buttons: answers are numbered and the person
  replies with the number (``numbered_reply`` maps it back to the payload).

Telegram and WhatsApp buttons cannot dial, so a ``tel:`` link becomes a line
of text with the number, which the apps make tappable. The ``triage`` custom
payload shows nothing of its own: the hand-off message that follows it
(actions/triage.py) carries the same booking link and phone number as buttons,
and an emergency outcome's text already says to call 999.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Limits of each app's API (characters; Telegram's callback data in bytes).
TELEGRAM_TEXT_LIMIT = 4096
TELEGRAM_CALLBACK_DATA_BYTES = 64
MESSENGER_TEXT_LIMIT = 2000
MESSENGER_TEMPLATE_TEXT_LIMIT = 640
MESSENGER_TITLE_LIMIT = 20
MESSENGER_MAX_QUICK_REPLIES = 13
MESSENGER_MAX_TEMPLATE_BUTTONS = 3
WHATSAPP_TEXT_LIMIT = 1600
NUMBERED_HINT = "Reply with a number, or type your answer."

_NUMBER = re.compile(r"\s*(\d{1,2})\s*[.)]?\s*")


@dataclass(frozen=True)
class Link:
    title: str
    url: str

    @property
    def is_phone(self) -> bool:
        return self.url.startswith("tel:")

    @property
    def number(self) -> str:
        return self.url.removeprefix("tel:")

    def as_text(self) -> str:
        """The link as a line of text: "Call 01564 330773", "Book: https://..."."""
        if self.is_phone:
            digits = re.sub(r"\D", "", self.title)
            shown = digits and digits in re.sub(r"\D", "", self.number)
            return self.title if shown else f"{self.title}: {self.number}"
        return f"{self.title}: {self.url}"


@dataclass(frozen=True)
class TelegramMessage:
    text: str
    # Rows of inline keyboard buttons, each {"text", "callback_data"} or {"text", "url"}.
    keyboard: list[list[dict[str, str]]] = field(default_factory=list)


def _is_link(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://", "tel:"))


def answers(message: dict[str, Any]) -> list[dict[str, str]]:
    """The message's quick replies that answer (title and payload), links left out."""
    options = message.get("quick_replies") or message.get("buttons") or []
    return [
        {"title": str(option["title"]), "payload": str(option["payload"])}
        for option in options
        if isinstance(option, dict)
        and option.get("title")
        and isinstance(option.get("payload"), str)
        and not option.get("url")
        and not _is_link(option["payload"])
    ]


def links(message: dict[str, Any]) -> list[Link]:
    """The message's link buttons (web and phone), then its image as a link."""
    options = message.get("quick_replies") or message.get("buttons") or []
    found = []
    for option in options:
        if not isinstance(option, dict) or not option.get("title"):
            continue
        url = option.get("url") or option.get("payload")
        if _is_link(url):
            found.append(Link(str(option["title"]), url))
    if _is_link(message.get("image")):
        found.append(Link("Image", message["image"]))
    return found


def chunks(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut between paragraphs,
    then lines, then words where it can be."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = max(rest.rfind(sep, 0, limit + 1) for sep in ("\n\n", "\n", " "))
        cut = cut if cut > 0 else limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _text_with_lines(message: dict[str, Any], lines: list[str]) -> str:
    text = message.get("text") if isinstance(message.get("text"), str) else ""
    return "\n\n".join(part for part in [text.strip(), "\n".join(lines)] if part)


def telegram(message: dict[str, Any]) -> list[TelegramMessage]:
    options, found = answers(message), links(message)
    keyboard = [
        [{"text": option["title"], "callback_data": _callback_data(option)}] for option in options
    ]
    keyboard += [[{"text": link.title, "url": link.url}] for link in found if not link.is_phone]
    text = _text_with_lines(message, [link.as_text() for link in found if link.is_phone])
    if not text and keyboard:
        text = "Please choose:"
    pieces = chunks(text, TELEGRAM_TEXT_LIMIT)
    rendered = [TelegramMessage(piece) for piece in pieces]
    if rendered and keyboard:
        rendered[-1] = TelegramMessage(pieces[-1], keyboard)
    return rendered


def _callback_data(option: dict[str, str]) -> str:
    # Telegram refuses longer callback data; the title, typed, means the same.
    payload = option["payload"]
    if len(payload.encode()) <= TELEGRAM_CALLBACK_DATA_BYTES:
        return payload
    return option["title"].encode()[:TELEGRAM_CALLBACK_DATA_BYTES].decode(errors="ignore")


def messenger(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Messages for Messenger's Send API (the ``message`` object of each call)."""
    options, found = answers(message), links(message)
    buttons: list[dict[str, str]] = []
    lines = []
    for link in found:
        # Messenger dials only numbers in +<country code> form; a template has 3 buttons.
        full = len(buttons) == MESSENGER_MAX_TEMPLATE_BUTTONS
        if (link.is_phone and not link.number.startswith("+")) or full:
            lines.append(link.as_text())
        elif link.is_phone:
            buttons.append(
                {"type": "phone_number", "title": _short(link.title), "payload": link.number}
            )
        else:
            buttons.append({"type": "web_url", "title": _short(link.title), "url": link.url})
    text = _text_with_lines(message, lines)
    rendered: list[dict[str, Any]] = []
    if buttons:
        pieces = chunks(text, MESSENGER_TEMPLATE_TEXT_LIMIT) or ["Next steps:"]
        rendered += [{"text": piece} for piece in pieces[:-1]]
        rendered.append(
            {
                "attachment": {
                    "type": "template",
                    "payload": {
                        "template_type": "button",
                        "text": pieces[-1],
                        "buttons": buttons,
                    },
                }
            }
        )
    else:
        if not text and options:
            text = "Please choose:"
        rendered += [{"text": piece} for piece in chunks(text, MESSENGER_TEXT_LIMIT)]
    if options and rendered:
        rendered[-1]["quick_replies"] = [
            {"content_type": "text", "title": _short(option["title"]), "payload": option["payload"]}
            for option in options[:MESSENGER_MAX_QUICK_REPLIES]
        ]
    return rendered


def _short(title: str) -> str:
    limit = MESSENGER_TITLE_LIMIT
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def whatsapp(message: dict[str, Any]) -> list[str]:
    """Message bodies for WhatsApp through Twilio: answers numbered, links as text."""
    options = answers(message)
    lines = [f"{number}. {option['title']}" for number, option in enumerate(options, 1)]
    if options:
        lines.append(NUMBERED_HINT)
    lines += [link.as_text() for link in links(message)]
    text = message.get("text") if isinstance(message.get("text"), str) else ""
    if not lines:
        return chunks(text, WHATSAPP_TEXT_LIMIT)
    block = "\n".join(lines)
    pieces = chunks(text, WHATSAPP_TEXT_LIMIT)
    if pieces and len(pieces[-1]) + 2 + len(block) <= WHATSAPP_TEXT_LIMIT:
        pieces[-1] = f"{pieces[-1]}\n\n{block}"
    else:
        pieces += chunks(block, WHATSAPP_TEXT_LIMIT)
    return pieces


def reply_number(text: str) -> int | None:
    """The number in a reply such as "2", "2." or " 2) ", else None."""
    match = _NUMBER.fullmatch(text or "")
    return int(match.group(1)) if match else None


def numbered_reply(text: str, last_question: dict[str, Any] | None) -> str | None:
    """The payload a reply such as "2" chooses among the answers of the last question
    as ``whatsapp`` numbered them, or None when it is not such a reply."""
    number = reply_number(text)
    if number is None or not last_question:
        return None
    options = answers(last_question)
    return options[number - 1]["payload"] if 1 <= number <= len(options) else None
