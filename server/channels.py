"""REST and socket.io channels that always answer.

If handling a message fails or takes longer than REPLY_TIMEOUT_SECONDS (the
action server down or hanging, the tracker store unreachable, ...), or ends
without any reply, the person still gets the clinic's phone number and the
999 advice. Upstream Rasa has no such guarantee (RasaHQ/rasa#7630).

Bad input gets a 400 (a REST body that is not a JSON object with a text
message and a sender) or a polite reply (a message too long to read: the
classifier's cost grows with the square of its length, and one 60 KB message
held the server for close to a minute).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from clinic.advice import fail_safe_message
from clinic.settings import ClinicSettings, load_settings
from server.socketio import SocketIOInput

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]
DEFAULT_TIMEOUT_SECONDS = 20.0
# Reading a message costs the classifier about the square of its length (12 KB
# about a second, 60 KB close to a minute, blocking the server): longer ones
# get a polite answer with the phone number and 999 instead.
MAX_TEXT_CHARS = 12_000
_still_handling: set[asyncio.Future] = set()


class _ReplyCounter(OutputChannel):
    """Passes every bot message on to the real channel, counting them."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def name(self) -> str:  # type: ignore[override]
        # Rasa records the channel's name with each message: keep the real one.
        return self.inner.name()

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.inner, attribute)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


def _timeout_seconds() -> float:
    return float(os.environ.get("REPLY_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))


def too_long_message(settings: ClinicSettings) -> str:
    return (
        "Sorry, that message is too long for me to read. Please tell me about your back "
        f"pain in a few sentences, or call {settings.name} on {settings.phone}. "
        "If it's an emergency, call 999."
    )


def always_answer(on_new_message: Handler) -> Handler:
    async def handle(message: UserMessage) -> None:
        channel = message.output_channel
        if len(message.text or "") > MAX_TEXT_CHARS:
            await channel.send_text_message(message.sender_id, too_long_message(load_settings()))
            return
        counter = _ReplyCounter(channel)
        message.output_channel = counter
        handling = asyncio.ensure_future(on_new_message(message))
        _still_handling.add(handling)  # asyncio keeps only weak references to tasks
        handling.add_done_callback(_still_handling.discard)
        try:
            # Shielded: a slow message is still handled and stored, never dropped.
            await asyncio.wait_for(asyncio.shield(handling), _timeout_seconds())
        except asyncio.TimeoutError:
            logger.error("No reply within %ss: sent the fail-safe message", _timeout_seconds())
        except Exception:
            # Logged without the message text: patients' messages are health data.
            logger.exception("Handling a message failed: sent the fail-safe message")
        if counter.sent == 0:
            await channel.send_text_message(message.sender_id, fail_safe_message(load_settings()))

    return handle


def body_problem(body: Any) -> str | None:
    """What is wrong with a REST webhook body, or None. Rasa reads it with
    ``body.get(...)``: anything but an object would be a 500, a message that is
    not text or a sender that is not a string or number an empty reply."""
    if not isinstance(body, dict):
        return "The body must be a JSON object."
    sender = body.get("sender")
    if isinstance(sender, bool) or not isinstance(sender, (str, int, float)) or sender == "":
        return "sender must be a non-empty string or a number."
    if not isinstance(body.get("message"), str):
        return "message must be a string."
    if not isinstance(body.get("metadata") or {}, dict):
        return "metadata must be an object."
    if not isinstance(body.get("input_channel") or "", str):
        return "input_channel must be a string."
    return None


class FailSafeRestInput(RestInput):
    def blueprint(self, on_new_message: Handler) -> Blueprint:
        blueprint = super().blueprint(always_answer(on_new_message))

        @blueprint.on_request
        async def refuse_malformed_bodies(request: Request) -> None:
            if request.method == "POST":
                problem = body_problem(request.json)
                if problem:
                    raise InvalidUsage(problem)

        return blueprint


class FailSafeSocketIOInput(SocketIOInput):
    def blueprint(self, on_new_message: Handler) -> Blueprint:
        return super().blueprint(always_answer(on_new_message))
