"""Telegram, WhatsApp (through Twilio) and Messenger: Rasa's connectors, made safe.

Each class here is Rasa 3.6's built-in connector with:

- every message handled through ``wrap`` (the fail-safe answer of server/channels.py);
- the provider's signature checked, 403 when it is wrong or missing: Telegram's
  secret-token header (when TELEGRAM_SECRET_TOKEN is set; Rasa has no support),
  Twilio's X-Twilio-Signature (Rasa does not check it), Facebook's
  X-Hub-Signature-256 or X-Hub-Signature (Rasa answers a forged one with 200);
- a re-delivered message (same provider id) acknowledged and not handled again
  (server/deliveries.py); a malformed webhook refused with 400 instead of a 500;
- bot messages shown in each app's own form (server/rendering.py);
- the provider's API at a configurable base URL (tests use loopback fakes),
  called with a timeout and, for the blocking clients, off the event loop.

credentials.yml entries are written by server/credentials.py from the environment.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from aiogram import Bot
from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update
from fbmessenger import MessengerClient
from rasa.core.channels import facebook, telegram, twilio
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, Sanic, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator

from server import rendering
from server.channels import always_answer
from server.deliveries import Deliveries, deliveries_from_env
from server.rate_limit import rate_limited

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]
API_TIMEOUT_SECONDS = 10
DEFAULT_GRAPH_URL = "https://graph.facebook.com/v19.0"


def wrap(on_new_message: Handler) -> Handler:
    """Every wrapper a message from a messaging app goes through, outermost first."""
    return rate_limited(always_answer(on_new_message))


def _refused(status: int, why: str) -> HTTPResponse:
    logger.warning("Refused a webhook: %s", why)
    return response.text(why, status=status)


def _webhook_post(request: Request) -> bool:
    return request.method == "POST" and request.path.rstrip("/").endswith("/webhook")


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        parsed = json.loads(body)
    except ValueError:  # also bytes that are not UTF-8
        return None
    return parsed if isinstance(parsed, dict) else None


# Telegram ---------------------------------------------------------------------------------


class TelegramOutput(telegram.TelegramOutput):
    def __init__(
        self, access_token: str, api_url: str | None = None, secret_token: str | None = None
    ) -> None:
        server = TelegramAPIServer.from_base(api_url) if api_url else TELEGRAM_PRODUCTION
        Bot.__init__(self, access_token, server=server, timeout=API_TIMEOUT_SECONDS)
        self.secret_token = secret_token
        self._me: Any = None

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        for piece in rendering.telegram(message):
            markup = None
            if piece.keyboard:
                rows = piece.keyboard
                markup = InlineKeyboardMarkup(
                    inline_keyboard=[
                        [InlineKeyboardButton(**button) for button in row] for row in rows
                    ]
                )
            await self.send_message(recipient_id, piece.text, reply_markup=markup)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})

    async def get_me(self) -> Any:
        # Rasa's connector asks for the bot's name on every message: once is enough.
        if self._me is None:
            self._me = await super().get_me()
        return self._me

    async def set_webhook(self, url: str, *args: Any, **kwargs: Any) -> bool:
        """Registers the webhook with the secret token (aiogram 2.15 predates it)."""
        payload = {"url": url}
        if self.secret_token:
            payload["secret_token"] = self.secret_token
        return bool(await self.request("setWebhook", payload))


class TelegramInput(telegram.TelegramInput):
    SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TelegramInput:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials["access_token"],
            credentials["verify"],
            credentials["webhook_url"],
            secret_token=credentials.get("secret_token"),
            api_url=credentials.get("api_url"),
        )

    def __init__(
        self,
        access_token: str,
        verify: str,
        webhook_url: str,
        secret_token: str | None = None,
        api_url: str | None = None,
        deliveries: Deliveries | None = None,
    ) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode=False)
        self.secret_token = secret_token or None
        self.api_url = api_url
        self.deliveries = deliveries or deliveries_from_env()
        self._output: TelegramOutput | None = None

    def get_output_channel(self) -> TelegramOutput:
        # One bot client (and HTTP session) for the server; Rasa's would register
        # the webhook again, with asyncio.run, on every call.
        if self._output is None:
            self._output = TelegramOutput(self.access_token, self.api_url, self.secret_token)
        return self._output

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        blueprint = super().blueprint(wrap(_with_telegram_commands(on_new_message)))
        output = self.get_output_channel()

        @blueprint.listener("after_server_start")
        async def register_webhook(app: Sanic, loop: Any) -> None:
            try:
                await output.set_webhook(self.webhook_url)
                logger.info("Telegram webhook registered.")
            except Exception as error:  # the server still serves the other channels
                logger.error("Could not register the Telegram webhook: %s", error)

        @blueprint.on_request
        async def check(request: Request) -> HTTPResponse | None:
            if request.method == "GET" and request.path.rstrip("/").endswith("/webhook"):
                return response.json({"status": "ok"})  # Rasa's route answers nothing: a 500
            # Rasa's /set_webhook route would let anyone make the server call Telegram.
            guarded = request.path.rstrip("/").endswith("/set_webhook")
            if not (_webhook_post(request) or guarded):
                return None
            if self.secret_token:
                given = request.headers.get(self.SECRET_HEADER, "")
                if not hmac.compare_digest(given.encode(), self.secret_token.encode()):
                    return _refused(403, "wrong or missing secret token")
            if guarded:
                return None
            update = _json_object(request.body)
            if update is None or not isinstance(update.get("update_id"), int):
                return _refused(400, "not a Telegram update")
            kind = telegram_update_kind(update)
            if kind is None:
                return response.text("ignored")  # a kind we do not answer, e.g. my_chat_member
            if kind == "malformed":
                return _refused(400, "malformed Telegram update")
            if not await self.deliveries.first(f"telegram:{update['update_id']}"):
                return response.text("success")
            if kind == "callback_query":
                await _answer_button_press(output, update["callback_query"])
            return None

        return blueprint


def telegram_update_kind(update: dict[str, Any]) -> str | None:
    """Which part of an update Rasa's connector reads; "malformed" when it could not
    read it (it would fail with a 500); None for kinds it does not answer."""
    try:
        parsed = Update(**update)  # as Rasa's connector does
    except Exception:
        return "malformed"
    for kind in ("callback_query", "edited_message", "message"):
        part = getattr(parsed, kind)
        if part is None:
            continue
        message = part.message if kind == "callback_query" else part
        if kind == "callback_query" and not (
            isinstance(part.id, str) and isinstance(part.data, str)
        ):
            return "malformed"
        chat = getattr(message, "chat", None)
        if chat is None or not isinstance(chat.id, int):
            return "malformed"
        if not isinstance(message.text, (str, type(None))):
            return "malformed"
        return kind
    return None


async def _answer_button_press(output: TelegramOutput, press: dict[str, Any]) -> None:
    """Stops the pressed button's spinner and takes the keyboard off the question, so an
    answered question cannot be answered again; the reply itself comes as a message."""
    question = press["message"]
    try:
        await output.answer_callback_query(press["id"])
        await output.edit_message_reply_markup(question["chat"]["id"], question["message_id"])
    except Exception as error:
        logger.warning("Could not answer a Telegram button press: %s", type(error).__name__)


def _with_telegram_commands(on_new_message: Handler) -> Handler:
    """Telegram sends /start when a person opens the bot (and Rasa's connector after
    /restart): here it is a greeting, an intent the assistant knows."""

    async def handle(message: UserMessage) -> None:
        if (message.text or "").split(" ", 1)[0] == "/start":
            message.text = "/greet"
        await on_new_message(message)

    return handle


# WhatsApp through Twilio ------------------------------------------------------------------


class TwilioOutput(twilio.TwilioOutput):
    def __init__(
        self, account_sid: str, auth_token: str, twilio_number: str, api_url: str | None = None
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        self.http_client = TwilioHttpClient(timeout=API_TIMEOUT_SECONDS)
        if api_url:
            self.api.base_url = api_url.rstrip("/")

    async def _send_message(self, message_data: dict[str, Any]) -> Any:
        # Twilio's client blocks: send from a thread, not on the server's event loop.
        try:
            return await asyncio.to_thread(self.messages.create, **message_data)
        except Exception as error:
            logger.error("Twilio did not take a message: %s", type(error).__name__)
            return None

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        for body in rendering.whatsapp(message):
            message_data = {"to": recipient_id, "from_": self.twilio_number, "body": body}
            await self._send_message(message_data)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})


class TwilioInput(twilio.TwilioInput):
    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TwilioInput:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials["account_sid"],
            credentials["auth_token"],
            credentials["twilio_number"],
            credentials["webhook_url"],
            api_url=credentials.get("api_url"),
        )

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        twilio_number: str,
        webhook_url: str,
        api_url: str | None = None,
        deliveries: Deliveries | None = None,
    ) -> None:
        if not twilio_number.startswith("whatsapp:"):
            twilio_number = f"whatsapp:{twilio_number}"
        super().__init__(account_sid, auth_token, twilio_number, debug_mode=False)
        # Twilio signs the public URL it calls, which a proxy in front may rewrite.
        self.webhook_url = webhook_url
        self.api_url = api_url
        self.deliveries = deliveries or deliveries_from_env()
        self._app: Sanic | None = None

    def get_output_channel(self) -> TwilioOutput:
        return TwilioOutput(self.account_sid, self.auth_token, self.twilio_number, self.api_url)

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        blueprint = super().blueprint(wrap(self._with_numbered_replies(on_new_message)))

        @blueprint.listener("before_server_start")
        async def keep_app(app: Sanic, loop: Any) -> None:
            self._app = app

        @blueprint.on_request
        async def check(request: Request) -> HTTPResponse | None:
            if not _webhook_post(request):
                return None
            params = twilio_form(request)
            if params is None:
                return _refused(400, "not a form-encoded UTF-8 body")
            signature = request.headers.get("X-Twilio-Signature", "")
            validator = RequestValidator(self.auth_token)
            if not signature or not validator.validate(self.webhook_url, params, signature):
                return _refused(403, "wrong or missing X-Twilio-Signature")
            if not params.get("From") or not params.get("MessageSid") or "Body" not in params:
                return _refused(400, "From, MessageSid and Body are required")
            if not await self.deliveries.first(f"twilio:{params['MessageSid']}"):
                return response.text("", status=204)
            return None

        return blueprint

    def _with_numbered_replies(self, on_new_message: Handler) -> Handler:
        """A reply such as "2" becomes the payload of the last question's second answer."""

        async def handle(message: UserMessage) -> None:
            text = message.text or ""
            if rendering.reply_number(text) is not None:  # only then read the tracker
                payload = rendering.numbered_reply(
                    text, await self._last_question(message.sender_id)
                )
                message.text = payload or text
            await on_new_message(message)

        return handle

    async def _last_question(self, sender_id: str | None) -> dict[str, Any] | None:
        """The bot's last message with answers since the person last wrote, from the
        tracker store (shared by every Rasa server)."""
        if self._app is None or not sender_id:
            return None
        tracker = await self._app.ctx.agent.tracker_store.retrieve(sender_id)
        for event in reversed(tracker.events if tracker else []):
            if isinstance(event, UserUttered):
                return None
            if isinstance(event, BotUttered) and rendering.answers(event.data or {}):
                return event.data
        return None


def twilio_form(request: Request) -> dict[str, str] | None:
    """The webhook's form fields, blank ones kept: Twilio signs a media message's empty
    Body, which Sanic's ``request.form`` drops (and Rasa's connector then fails on)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return {}
    try:
        fields = parse_qs(request.body.decode("utf-8"), keep_blank_values=True)
    except (UnicodeDecodeError, ValueError):
        return None
    request.parsed_form = RequestParameters(fields)  # what Rasa's connector reads
    return {key: values[0] for key, values in fields.items()}


# Facebook Messenger -----------------------------------------------------------------------


class MessengerBot(facebook.MessengerBot):
    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        for payload in rendering.messenger(message):
            await self._post(payload, recipient_id)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})

    async def send_action(self, recipient_id: str, sender_action: str) -> None:
        await self._call(self.messenger_client.send_action, sender_action, recipient_id)

    async def _post(self, payload: dict[str, Any], recipient_id: str) -> None:
        await self._call(self.messenger_client.send, payload, recipient_id, "RESPONSE")

    async def _call(self, method: Callable[..., Any], *args: Any) -> None:
        # fbmessenger blocks (requests): call it from a thread, with a timeout.
        try:
            sent = await asyncio.to_thread(method, *args, timeout=API_TIMEOUT_SECONDS)
        except Exception as error:
            logger.error("Messenger did not take a message: %s", type(error).__name__)
            return
        if isinstance(sent, dict) and "error" in sent:
            logger.error("Messenger refused a message: code %s", sent["error"].get("code"))


class Messenger(facebook.Messenger):
    def __init__(self, client: MessengerClient, on_new_message: Handler) -> None:
        self.on_new_message = on_new_message
        self.client = client
        self.last_message: dict[str, Any] = {}

    async def _handle_user_message(
        self, text: str, sender_id: str, metadata: dict[str, Any] | None
    ) -> None:
        out_channel = MessengerBot(self.client)
        await out_channel.send_action(sender_id, "typing_on")
        try:
            message = UserMessage(
                text, out_channel, sender_id, input_channel=self.name(), metadata=metadata
            )
            await self.on_new_message(message)
        finally:
            await out_channel.send_action(sender_id, "typing_off")


class FacebookInput(facebook.FacebookInput):
    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> FacebookInput:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials["verify"],
            credentials["secret"],
            credentials["page-access-token"],
            graph_url=credentials.get("graph_url"),
        )

    def __init__(
        self,
        fb_verify: str,
        fb_secret: str,
        fb_access_token: str,
        graph_url: str | None = None,
        deliveries: Deliveries | None = None,
    ) -> None:
        super().__init__(fb_verify, fb_secret, fb_access_token)
        self.graph_url = (graph_url or DEFAULT_GRAPH_URL).rstrip("/")
        self.deliveries = deliveries or deliveries_from_env()

    def client(self) -> MessengerClient:
        # With the app secret, every call carries an appsecret_proof.
        client = MessengerClient(self.fb_access_token, app_secret=self.fb_secret)
        client.graph_url = self.graph_url
        return client

    def get_output_channel(self) -> MessengerBot:
        return MessengerBot(self.client())

    def signed(self, request: Request) -> bool:
        """The body is signed with the app secret: X-Hub-Signature-256 (sha256) or the
        older X-Hub-Signature (sha1); no other hash is accepted."""
        for header, digest in (("X-Hub-Signature-256", "sha256"), ("X-Hub-Signature", "sha1")):
            given = request.headers.get(header, "")
            if given.startswith(f"{digest}="):
                expected = hmac.new(self.fb_secret.encode(), request.body, digest).hexdigest()
                return hmac.compare_digest(given[len(digest) + 1 :].encode(), expected.encode())
        return False

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        handler = wrap(on_new_message)
        blueprint = Blueprint("fb_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["GET"])
        async def token_verification(request: Request) -> HTTPResponse:
            given = request.args.get("hub.verify_token") or ""
            if hmac.compare_digest(given.encode(), self.fb_verify.encode()):
                return response.text(request.args.get("hub.challenge") or "")
            return _refused(403, "wrong verify token")

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.signed(request):
                return _refused(403, "wrong or missing X-Hub-Signature")
            events = messaging_events(_json_object(request.body))
            if events is None:
                return _refused(400, "not a Messenger page event")
            metadata = self.get_metadata(request)
            for event in events:
                mid = event_id(event)
                if mid and not await self.deliveries.first(f"facebook:{mid}"):
                    continue
                # One event at a time: Rasa's Messenger reads only an entry's first.
                single = {"object": "page", "entry": [{"messaging": [event]}]}
                await Messenger(self.client(), handler).handle(single, metadata)
            return response.text("success")

        return blueprint


def messaging_events(body: dict[str, Any] | None) -> list[dict[str, Any]] | None:
    """Every messaging event of a page webhook, or None when it is malformed."""
    if body is None or not isinstance(body.get("entry"), list):
        return None
    events = []
    for entry in body["entry"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("messaging", []), list):
            return None
        for event in entry.get("messaging", []):
            sender = event.get("sender") if isinstance(event, dict) else None
            if not isinstance(sender, dict) or not isinstance(sender.get("id"), str):
                return None
            for part in ("message", "postback"):
                if part in event and not isinstance(event[part], dict):
                    return None
            events.append(event)
    return events


def event_id(event: dict[str, Any]) -> str | None:
    """Messenger's id of a message or postback (its ``mid``)."""
    for part in ("message", "postback"):
        mid = (event.get(part) or {}).get("mid")
        if isinstance(mid, str) and mid:
            return mid
    return None
