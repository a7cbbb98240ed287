"""REST and socket.io channels that always answer.

If handling a message fails or takes longer than REPLY_TIMEOUT_SECONDS (the
action server down or hanging, the tracker store unreachable, ...), or ends
without any reply, the person still gets the clinic's phone number and the
999 advice. Upstream Rasa has no such guarantee (RasaHQ/rasa#7630).

Bad input gets a 400 (a REST body that is not a JSON object with a text
message and a sender) or a polite reply (a message too long to read: the
classifier's cost grows with the square of its length, and one 60 KB message
held the server for close to a minute).

Public channels are rate limited (server/rate_limit.py) per sender and per IP; a
limited message gets a polite answer and is not handled at all. A browser page on
a site not in ALLOWED_ORIGINS (server/origins.py) gets 403 from the REST webhook.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from clinic.advice import fail_safe_message
from clinic.settings import ClinicSettings, load_settings
from server.log_format import adopt_library_loggers
from server.origins import OriginCheck
from server.rate_limit import limits, rate_limited
from server.socketio import SocketIOInput
from server.tracker_store import StoreHealth, watch_tracker_store

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]
DEFAULT_TIMEOUT_SECONDS = 20.0
# Reading a message costs the classifier about the square of its length (12 KB
# about a second, 60 KB close to a minute, blocking the server): longer ones
# get a polite answer with the phone number and 999 instead.
MAX_TEXT_CHARS = 12_000
_still_handling: set[asyncio.Future] = set()


class _ReplyCounter(OutputChannel):
    """Passes every bot message on to the real channel, counting them; withholds
    them once the tracker store failed (they would answer a forgotten conversation)."""

    def __init__(self, inner: OutputChannel, store: StoreHealth) -> None:
        self.inner = inner
        self.store = store
        self.sent = 0

    def name(self) -> str:  # type: ignore[override]
        # Rasa records the channel's name with each message: keep the real one.
        return self.inner.name()

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.inner, attribute)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if self.store.failed:
            return
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
        store = watch_tracker_store()  # the handling task below shares it
        counter = _ReplyCounter(channel, store)
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
        if counter.sent == 0 or store.failed:
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


def limited_reply(request: Request) -> HTTPResponse:
    """The per-IP limit's answer: a 200 with the webhook's usual list of bot messages.
    Chat widgets render that list; many show any other status as "server down" and
    drop the body, and providers retry non-2xx, which a flood does not need."""
    try:
        body = request.json
    except InvalidUsage:  # not JSON: answered all the same
        body = None
    sender = body.get("sender") if isinstance(body, dict) else None
    recipient = str(sender) if isinstance(sender, (str, int, float)) else ""
    return response.json([{"recipient_id": recipient, "text": limits().answer}])


class FailSafeRestInput(RestInput):
    def blueprint(self, on_new_message: Handler) -> Blueprint:
        adopt_library_loggers()  # the Sanic app exists by now: see server/log_format.py
        # Outermost, so that a limited message is not handled at all.
        blueprint = super().blueprint(rate_limited(always_answer(on_new_message)))
        origins = OriginCheck()

        @blueprint.on_request
        async def refuse_foreign_pages_and_floods(request: Request) -> HTTPResponse | None:
            if request.method != "POST":
                return None
            if not origins.allows_request(request.headers.get("origin")):
                return response.json({"error": "This origin may not use the chat."}, status=403)
            ip = limits().client_ip(request.ip, request.headers.get("x-forwarded-for"))
            return None if await limits().allow_ip(ip) else limited_reply(request)

        @blueprint.on_request
        async def refuse_malformed_bodies(request: Request) -> None:
            if request.method == "POST":
                problem = body_problem(request.json)
                if problem:
                    raise InvalidUsage(problem)

        return blueprint


class FailSafeSocketIOInput(SocketIOInput):
    def blueprint(self, on_new_message: Handler) -> Blueprint:
        return super().blueprint(rate_limited(always_answer(on_new_message)))
