"""Telegram, WhatsApp (Twilio) and Messenger through the real Rasa and action servers.

Real-format webhooks are posted to the Rasa server; its replies go to loopback fakes
of each provider's API (tests/integration/fakes.py), where each test reads what the
person would see in that app. Signed requests are answered; forged or unsigned
ones get 403 and nothing is sent; a re-delivered message is handled once.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from clinic.settings import load_settings
from server import credentials
from server.rate_limit import limited_message
from server.rendering import NUMBERED_HINT
from tests.integration import fakes
from tests.integration.servers import Servers
from tests.integration.services import REDIS_HOST, REDIS_PORT, require_redis

PHONE = "01564 330773"
PUBLIC = "https://chat.clinic.example"
BOT_NAME = "clinic_test_bot"
TWILIO_NUMBER = "whatsapp:+14155238886"
SYMPTOMS = "my lower back has been sore for 3 weeks, no tingling or numbness"
CONSENT = "Before I ask about your symptoms"
RED_FLAG = "my back is really sore and I can't control my bladder"
MAX_TURNS = 12
PER_IP = 3
LIMITED = limited_message(load_settings())
_ids = itertools.count(1)


class Channels:
    def __init__(self, workdir: Path) -> None:
        self.telegram = fakes.telegram_api(BOT_NAME).start()
        self.twilio = fakes.twilio_api().start()
        self.graph = fakes.graph_api().start()
        self.env = {
            "TELEGRAM_TOKEN": "123456:TEST-token",
            "TELEGRAM_BOT_NAME": BOT_NAME,
            "TELEGRAM_WEBHOOK_URL": f"{PUBLIC}/webhooks/telegram/webhook",
            "TELEGRAM_SECRET_TOKEN": secrets.token_urlsafe(24),
            "TELEGRAM_API_URL": self.telegram.url,
            "TWILIO_ACCOUNT_SID": "AC" + secrets.token_hex(16),
            "TWILIO_AUTH_TOKEN": secrets.token_hex(16),
            "TWILIO_WHATSAPP_NUMBER": TWILIO_NUMBER,
            "TWILIO_WEBHOOK_URL": f"{PUBLIC}/webhooks/twilio/webhook",
            "TWILIO_API_URL": self.twilio.url,
            "FACEBOOK_VERIFY_TOKEN": secrets.token_urlsafe(12),
            "FACEBOOK_APP_SECRET": secrets.token_hex(16),
            "FACEBOOK_PAGE_ACCESS_TOKEN": "EAA" + secrets.token_hex(16),
            "FACEBOOK_GRAPH_URL": f"{self.graph.url}/v19.0",
            # The tests play the load balancer for the shared rate limit's test;
            # messages from this machine itself stay exempt.
            "TRUSTED_PROXIES": "127.0.0.1",
            "RATE_LIMIT_PER_IP": str(PER_IP),
        }
        # The credentials file as `make run` writes it (server/credentials.py).
        path = workdir / "credentials.yml"
        credentials.write(path, self.env)
        self.servers = Servers(workdir, credentials=path, **self.env, **redis_lock_store())
        self._other: str | None = None

    def other_server(self) -> str:
        """A second Rasa server on the same stores (started once, when first asked)."""
        if self._other is None:
            self._other = self.servers.add_rasa_server()
        return self._other

    def stop(self) -> None:
        self.servers.stop()
        for fake in (self.telegram, self.twilio, self.graph):
            fake.stop()

    def webhook(self, name: str) -> str:
        return f"{self.servers.url}/webhooks/{name}/webhook"

    # Telegram: an Update (JSON) with the secret-token header.

    def telegram_post(self, update: Any, secret: str | None = "right") -> requests.Response:
        headers = {}
        if secret is not None:
            token = self.env["TELEGRAM_SECRET_TOKEN"] if secret == "right" else secret
            headers["X-Telegram-Bot-Api-Secret-Token"] = token
        body = update if isinstance(update, bytes) else json.dumps(update).encode()
        return requests.post(self.webhook("telegram"), data=body, headers=headers, timeout=60)

    def telegram_sent(self, chat_id: int) -> list[dict[str, Any]]:
        calls = self.telegram.recorded(
            lambda call: call.path.endswith("/sendMessage") and call.body["chat_id"] == str(chat_id)
        )
        return [fakes.telegram_sent(call) for call in calls]

    # Twilio: form-encoded WhatsApp webhook signed with X-Twilio-Signature.

    def twilio_post(
        self, params: dict[str, str], signature: str | None = "right"
    ) -> requests.Response:
        headers = {}
        if signature == "right":
            validator = RequestValidator(self.env["TWILIO_AUTH_TOKEN"])
            signature = validator.compute_signature(self.env["TWILIO_WEBHOOK_URL"], params)
        if signature is not None:
            headers["X-Twilio-Signature"] = signature
        return requests.post(self.webhook("twilio"), data=params, headers=headers, timeout=60)

    def whatsapp_sent(self, sender: str) -> list[str]:
        calls = self.twilio.recorded(lambda call: call.body.get("To") == sender)
        assert all(call.body["From"] == TWILIO_NUMBER for call in calls)
        return [call.body["Body"] for call in calls]

    # Messenger: a page event (JSON) signed with X-Hub-Signature(-256).

    def facebook_post(self, event: Any, signature: str | None = "sha256") -> requests.Response:
        body = event if isinstance(event, bytes) else json.dumps(event).encode()
        secret = self.env["FACEBOOK_APP_SECRET"].encode()
        headers = {"Content-Type": "application/json"}
        if signature in ("sha256", "sha1"):
            digest = hmac.new(secret, body, signature).hexdigest()
            header = "X-Hub-Signature-256" if signature == "sha256" else "X-Hub-Signature"
            headers[header] = f"{signature}={digest}"
        elif signature is not None:
            headers["X-Hub-Signature-256"] = signature
        return requests.post(self.webhook("facebook"), data=body, headers=headers, timeout=60)

    def messenger_sent(self, psid: str) -> list[dict[str, Any]]:
        calls = self.graph.recorded(
            lambda call: (
                call.path.endswith("/me/messages")
                and call.body["recipient"]["id"] == psid
                and "message" in call.body
            )
        )
        assert all(
            call.query["access_token"] == self.env["FACEBOOK_PAGE_ACCESS_TOKEN"] for call in calls
        )
        return [call.body["message"] for call in calls]

    def user_events(self, sender: str) -> list[dict[str, Any]]:
        return [e for e in self.servers.tracker(sender)["events"] if e["event"] == "user"]


def redis_lock_store() -> dict[str, str]:
    """Redis for the lock store and the memory of deliveries, as several servers
    behind a load balancer use it, when this machine has one; else none."""
    try:
        redis.Redis(host=REDIS_HOST, port=int(REDIS_PORT), socket_timeout=2).ping()
    except redis.RedisError:
        return {}
    return {
        "LOCK_STORE_TYPE": "server.lock_store.AtomicRedisLockStore",
        "LOCK_STORE_HOST": REDIS_HOST,
        "LOCK_STORE_PORT": REDIS_PORT,
    }


@pytest.fixture(scope="module")
def channels(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Channels]:
    running = Channels(tmp_path_factory.mktemp("channels"))
    try:
        running.servers.start()
        yield running
    finally:
        running.stop()


# Real-format payloads -----------------------------------------------------------------------


def _fresh(low: int, high: int) -> int:
    # Not `random`: Hypothesis seeds it, and a replayed id would be a re-delivery.
    return low + secrets.randbelow(high - low)


def new_chat() -> int:
    return _fresh(10**8, 10**9)


def telegram_message(chat_id: int, text: str, update_id: int | None = None) -> dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": "Sam", "language_code": "en"}
    return {
        "update_id": update_id or _fresh(10**8, 10**9),
        "message": {
            "message_id": next(_ids),
            "from": user,
            "chat": {"id": chat_id, "first_name": "Sam", "type": "private"},
            "date": 1_700_000_000,
            "text": text,
        },
    }


def telegram_button_press(chat_id: int, data: str) -> dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": "Sam"}
    bot = {"id": 42, "is_bot": True, "first_name": "Clinic", "username": BOT_NAME}
    return {
        "update_id": _fresh(10**8, 10**9),
        "callback_query": {
            "id": str(_fresh(10**15, 10**16)),
            "from": user,
            "message": {
                "message_id": next(_ids),
                "from": bot,
                "chat": {"id": chat_id, "first_name": "Sam", "type": "private"},
                "date": 1_700_000_000,
                "text": "(the question)",
            },
            "chat_instance": "-1234567890",
            "data": data,
        },
    }


def new_whatsapp_sender() -> str:
    return f"whatsapp:+447700{_fresh(10**5, 10**6 - 1)}"


def whatsapp_message(sender: str, text: str, sid: str | None = None) -> dict[str, str]:
    return {
        "SmsMessageSid": sid or "SM" + secrets.token_hex(16),
        "NumMedia": "0",
        "ProfileName": "Sam",
        "SmsSid": "SM" + secrets.token_hex(16),
        "WaId": sender.removeprefix("whatsapp:+"),
        "SmsStatus": "received",
        "Body": text,
        "To": TWILIO_NUMBER,
        "NumSegments": "1",
        "MessageSid": sid or "SM" + secrets.token_hex(16),
        "AccountSid": "",  # filled in by the caller's channels
        "From": sender,
        "ApiVersion": "2010-04-01",
    }


def new_psid() -> str:
    return str(_fresh(10**15, 10**16))


def messenger_event(psid: str, text: str, mid: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "sender": {"id": psid},
        "recipient": {"id": "1122334455"},
        "timestamp": 1_700_000_000_000,
        "message": {"mid": mid or "m_" + secrets.token_hex(12), "text": text, **extra},
    }


def page(*events: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "page",
        "entry": [{"id": "1122334455", "time": 1_700_000_000_000, "messaging": list(events)}],
    }


def whatsapp(channels: Channels, sender: str, text: str, sid: str | None = None) -> dict[str, str]:
    params = whatsapp_message(sender, text, sid)
    params["AccountSid"] = channels.env["TWILIO_ACCOUNT_SID"]
    return params


# Signed requests are answered, in each app's own form ----------------------------------------


def test_telegram_webhook_registered_with_the_secret_token(channels: Channels) -> None:
    calls = channels.telegram.wait_for(lambda call: call.path.endswith("/setWebhook"))
    assert calls[0].body == {
        "url": f"{PUBLIC}/webhooks/telegram/webhook",
        "secret_token": channels.env["TELEGRAM_SECRET_TOKEN"],
    }


def test_telegram_answers_with_an_inline_keyboard_and_takes_button_presses(
    channels: Channels,
) -> None:
    chat = new_chat()
    assert channels.telegram_post(telegram_message(chat, SYMPTOMS)).status_code == 200
    consent = channels.telegram_sent(chat)[-1]
    assert consent["text"].startswith(CONSENT)
    assert [row[0]["text"] for row in consent["keyboard"]] == ["Yes, keep it", "No, don't keep it"]
    yes = consent["keyboard"][0][0]["callback_data"]
    assert channels.telegram_post(telegram_button_press(chat, yes)).status_code == 200
    question = channels.telegram_sent(chat)[-1]
    assert question["text"].startswith("First, a safety check")
    assert [row[0]["text"] for row in question["keyboard"]] == [
        "Yes, one of these",
        "No, none of these",
    ]
    no = question["keyboard"][1][0]["callback_data"]
    assert no == "/deny"

    press = telegram_button_press(chat, no)
    assert channels.telegram_post(press).status_code == 200
    assert channels.user_events(str(chat))[-1]["parse_data"]["intent"]["name"] == "deny"
    assert channels.telegram_sent(chat)[-1]["text"].startswith("Thanks. And do you have any")
    answered = channels.telegram.recorded(lambda call: call.path.endswith("/answerCallbackQuery"))
    assert press["callback_query"]["id"] in [call.body["callback_query_id"] for call in answered]
    # The answered question's keyboard is taken off.
    question_id = str(press["callback_query"]["message"]["message_id"])
    edits = channels.telegram.recorded(lambda call: call.path.endswith("/editMessageReplyMarkup"))
    assert {"chat_id": str(chat), "message_id": question_id} in [call.body for call in edits]


def test_telegram_start_command_is_a_greeting(channels: Channels) -> None:
    chat = new_chat()
    assert channels.telegram_post(telegram_message(chat, "/start")).status_code == 200
    assert channels.user_events(str(chat))[-1]["parse_data"]["intent"]["name"] == "greet"
    greeting = channels.telegram_sent(chat)
    assert greeting and "999" in " ".join(message["text"] for message in greeting)


def test_whatsapp_answers_with_numbered_options_and_takes_numbers(channels: Channels) -> None:
    sender = new_whatsapp_sender()
    response = channels.twilio_post(whatsapp(channels, sender, SYMPTOMS))
    assert response.status_code == 204
    consent = channels.whatsapp_sent(sender)[-1]
    assert consent.startswith(CONSENT)
    assert consent.endswith(f"1. Yes, keep it\n2. No, don't keep it\n{NUMBERED_HINT}")
    assert channels.twilio_post(whatsapp(channels, sender, "1")).status_code == 204
    question = channels.whatsapp_sent(sender)[-1]
    assert question.startswith("First, a safety check")
    assert question.endswith(f"1. Yes, one of these\n2. No, none of these\n{NUMBERED_HINT}")

    assert channels.twilio_post(whatsapp(channels, sender, "2")).status_code == 204
    last = channels.user_events(sender)[-1]
    assert (last["text"], last["parse_data"]["intent"]["name"]) == ("/deny", "deny")
    assert channels.whatsapp_sent(sender)[-1].startswith("Thanks. And do you have any")


def test_whatsapp_photo_without_text_is_answered(channels: Channels) -> None:
    """Twilio signs a media message's empty Body too: it must be kept to check it."""
    sender = new_whatsapp_sender()
    params = whatsapp(channels, sender, "")
    params.update(NumMedia="1", MediaContentType0="image/jpeg", MediaUrl0=f"{PUBLIC}/m.jpg")
    assert channels.twilio_post(params).status_code == 204
    reply = channels.whatsapp_sent(sender)
    assert reply and PHONE in " ".join(reply)


def test_messenger_answers_with_quick_replies_and_takes_them(channels: Channels) -> None:
    psid = new_psid()
    assert channels.facebook_post(page(messenger_event(psid, SYMPTOMS))).status_code == 200
    assert channels.messenger_sent(psid)[-1]["text"].startswith(CONSENT)
    tap = messenger_event(psid, "Yes, keep it", quick_reply={"payload": "/affirm"})
    assert channels.facebook_post(page(tap), signature="sha1").status_code == 200
    question = channels.messenger_sent(psid)[-1]
    assert question["text"].startswith("First, a safety check")
    assert question["quick_replies"] == [
        {"content_type": "text", "title": "Yes, one of these", "payload": "/affirm"},
        {"content_type": "text", "title": "No, none of these", "payload": "/deny"},
    ]
    tap = messenger_event(psid, "No, none of these", quick_reply={"payload": "/deny"})
    assert channels.facebook_post(page(tap), signature="sha1").status_code == 200
    assert channels.user_events(psid)[-1]["parse_data"]["intent"]["name"] == "deny"
    assert channels.messenger_sent(psid)[-1]["text"].startswith("Thanks. And do you have any")


def _no_option(options: list[tuple[str, str]]) -> str:
    """The answer to press: consent, then "No..." when offered, else the first (a
    duration, say)."""
    for prefix in ("Yes, keep it", "No"):
        for title, value in options:
            if title.startswith(prefix):
                return value
    return options[0][1]


def test_telegram_hand_off_has_a_booking_button_and_the_phone(channels: Channels) -> None:
    chat = new_chat()
    channels.telegram_post(telegram_message(chat, SYMPTOMS))
    for _ in range(MAX_TURNS):
        last = channels.telegram_sent(chat)[-1]
        links = [b for row in last["keyboard"] for b in row if "url" in b]
        if links:
            break
        options = [(b["text"], b["callback_data"]) for row in last["keyboard"] for b in row]
        assert options, f"neither a question nor the hand-off: {last}"
        channels.telegram_post(telegram_button_press(chat, _no_option(options)))
    assert [b["text"] for b in links] == ["Book an appointment"]
    assert links[0]["url"].startswith("https://www.dynamicosteopaths.co.uk/book?ref=")
    assert f"Call {PHONE}" in last["text"]  # Telegram buttons cannot dial: the number as text
    slots = channels.servers.tracker(str(chat))["slots"]
    assert f"level={slots['triage_level']}" in links[0]["url"]


def test_whatsapp_hand_off_has_the_booking_link_and_the_phone(channels: Channels) -> None:
    sender = new_whatsapp_sender()
    channels.twilio_post(whatsapp(channels, sender, SYMPTOMS))
    for _ in range(MAX_TURNS):
        last = channels.whatsapp_sent(sender)[-1]
        if "Book an appointment: https://" in last:
            break
        numbered = [line for line in last.splitlines() if line[:1].isdigit() and ". " in line]
        assert numbered, f"neither a question nor the hand-off: {last}"
        options = [(line.split(". ", 1)[1], line.split(".", 1)[0]) for line in numbered]
        channels.twilio_post(whatsapp(channels, sender, _no_option(options)))
    assert "Book an appointment: https://www.dynamicosteopaths.co.uk/book?ref=" in last
    assert f"Call {PHONE}" in last


def test_messenger_hand_off_has_a_booking_button_and_the_phone(channels: Channels) -> None:
    psid = new_psid()
    channels.facebook_post(page(messenger_event(psid, SYMPTOMS)))
    for _ in range(MAX_TURNS):
        last = channels.messenger_sent(psid)[-1]
        if "attachment" in last:
            break
        options = [(reply["title"], reply["payload"]) for reply in last.get("quick_replies", [])]
        assert options, f"neither a question nor the hand-off: {last}"
        choice = _no_option(options)
        tap = messenger_event(psid, "tapped", quick_reply={"payload": choice})
        channels.facebook_post(page(tap))
    template = last["attachment"]["payload"]
    assert template["template_type"] == "button"
    assert [(b["type"], b["title"]) for b in template["buttons"]] == [
        ("web_url", "Book an appointment")
    ]
    assert template["buttons"][0]["url"].startswith("https://www.dynamicosteopaths.co.uk/book?")
    # Messenger dials only +<country code> numbers: the clinic's is shown as text.
    assert f"Call {PHONE}" in template["text"]


# A red flag reaches the emergency outcome on every channel ----------------------------------


def _emergency_checks(channels: Channels, sender: str, texts: list[str]) -> None:
    assert channels.servers.tracker(sender)["slots"]["triage_level"] == "emergency"
    everything = "\n".join(texts)
    assert "Please call 999 now" in everything
    assert "book?ref=" not in everything  # no booking for an emergency


def test_red_flag_on_telegram(channels: Channels) -> None:
    chat = new_chat()
    assert channels.telegram_post(telegram_message(chat, RED_FLAG)).status_code == 200
    _emergency_checks(channels, str(chat), [m["text"] for m in channels.telegram_sent(chat)])


def test_red_flag_on_whatsapp(channels: Channels) -> None:
    sender = new_whatsapp_sender()
    assert channels.twilio_post(whatsapp(channels, sender, RED_FLAG)).status_code == 204
    _emergency_checks(channels, sender, channels.whatsapp_sent(sender))


def test_red_flag_on_messenger(channels: Channels) -> None:
    psid = new_psid()
    assert channels.facebook_post(page(messenger_event(psid, RED_FLAG))).status_code == 200
    _emergency_checks(channels, psid, [m.get("text", "") for m in channels.messenger_sent(psid)])


# Forged or unsigned requests are refused, and nothing is sent -------------------------------


@pytest.mark.parametrize("secret", [None, "", "wrong-secret"])
def test_telegram_refuses_a_wrong_or_missing_secret_token(channels: Channels, secret) -> None:
    chat = new_chat()
    assert channels.telegram_post(telegram_message(chat, RED_FLAG), secret).status_code == 403
    assert channels.telegram_sent(chat) == []
    assert channels.user_events(str(chat)) == []


def test_telegram_set_webhook_route_needs_the_secret_token(channels: Channels) -> None:
    url = f"{channels.servers.url}/webhooks/telegram/set_webhook"
    before = len(channels.telegram.recorded(lambda call: call.path.endswith("/setWebhook")))
    assert requests.post(url, timeout=10).status_code == 403
    headers = {"X-Telegram-Bot-Api-Secret-Token": channels.env["TELEGRAM_SECRET_TOKEN"]}
    assert requests.post(url, headers=headers, timeout=10).status_code == 200
    registered = channels.telegram.recorded(lambda call: call.path.endswith("/setWebhook"))
    assert len(registered) == before + 1
    assert registered[-1].body["secret_token"] == channels.env["TELEGRAM_SECRET_TOKEN"]


@pytest.mark.parametrize("signature", [None, "", "forged", "c2lnbmF0dXJl"])
def test_whatsapp_refuses_a_forged_or_missing_signature(channels: Channels, signature) -> None:
    sender = new_whatsapp_sender()
    params = whatsapp(channels, sender, RED_FLAG)
    assert channels.twilio_post(params, signature).status_code == 403
    assert channels.whatsapp_sent(sender) == []
    assert channels.user_events(sender) == []


def test_whatsapp_refuses_a_signature_for_other_content(channels: Channels) -> None:
    sender = new_whatsapp_sender()
    params = whatsapp(channels, sender, "hello")
    validator = RequestValidator(channels.env["TWILIO_AUTH_TOKEN"])
    signature = validator.compute_signature(channels.env["TWILIO_WEBHOOK_URL"], params)
    params["Body"] = RED_FLAG  # tampered with after signing
    assert channels.twilio_post(params, signature).status_code == 403
    assert channels.whatsapp_sent(sender) == []


@pytest.mark.parametrize(
    "signature", [None, "", "sha256=" + "0" * 64, "sha1=" + "0" * 40, "md5=abc", "nonsense"]
)
def test_messenger_refuses_a_forged_or_missing_signature(channels: Channels, signature) -> None:
    psid = new_psid()
    assert (
        channels.facebook_post(page(messenger_event(psid, RED_FLAG)), signature).status_code == 403
    )
    assert channels.messenger_sent(psid) == []
    assert channels.user_events(psid) == []


def test_messenger_refuses_a_signature_made_with_another_secret(channels: Channels) -> None:
    psid = new_psid()
    body = json.dumps(page(messenger_event(psid, RED_FLAG))).encode()
    forged = "sha256=" + hmac.new(b"not-the-app-secret", body, hashlib.sha256).hexdigest()
    assert channels.facebook_post(body, forged).status_code == 403
    assert channels.messenger_sent(psid) == []


def test_messenger_webhook_verification_needs_the_verify_token(channels: Channels) -> None:
    url = channels.webhook("facebook")
    good = {"hub.mode": "subscribe", "hub.verify_token": channels.env["FACEBOOK_VERIFY_TOKEN"]}
    response = requests.get(url, params={**good, "hub.challenge": "1158201444"}, timeout=10)
    assert (response.status_code, response.text) == (200, "1158201444")
    bad = {**good, "hub.verify_token": "guess", "hub.challenge": "1"}
    assert requests.get(url, params=bad, timeout=10).status_code == 403


# A re-delivered message is handled once --------------------------------------------------------


def test_telegram_redelivery_is_handled_once(channels: Channels) -> None:
    chat = new_chat()
    update = telegram_message(chat, SYMPTOMS)
    assert channels.telegram_post(update).status_code == 200
    sent = len(channels.telegram_sent(chat))
    assert channels.telegram_post(update).status_code == 200
    assert len(channels.user_events(str(chat))) == 1
    assert len(channels.telegram_sent(chat)) == sent


def test_whatsapp_redelivery_is_handled_once(channels: Channels) -> None:
    sender = new_whatsapp_sender()
    params = whatsapp(channels, sender, SYMPTOMS)
    assert channels.twilio_post(params).status_code == 204
    sent = len(channels.whatsapp_sent(sender))
    assert channels.twilio_post(params).status_code == 204
    assert len(channels.user_events(sender)) == 1
    assert len(channels.whatsapp_sent(sender)) == sent


def test_messenger_redelivery_is_handled_once(channels: Channels) -> None:
    psid = new_psid()
    event = page(messenger_event(psid, SYMPTOMS))
    assert channels.facebook_post(event).status_code == 200
    sent = len(channels.messenger_sent(psid))
    assert channels.facebook_post(event).status_code == 200
    assert len(channels.user_events(psid)) == 1
    assert len(channels.messenger_sent(psid)) == sent


def test_redelivery_to_another_server_is_handled_once(channels: Channels) -> None:
    """Behind a load balancer a retry may reach another server: Redis remembers."""
    if channels.servers.env["LOCK_STORE_TYPE"] == "in_memory":
        require_redis()  # skips (fails under REQUIRE_SERVICES=1): no Redis here
    other = channels.other_server()
    headers = {"X-Telegram-Bot-Api-Secret-Token": channels.env["TELEGRAM_SECRET_TOKEN"]}
    chat = new_chat()
    update = telegram_message(chat, SYMPTOMS)
    assert channels.telegram_post(update).status_code == 200
    sent = len(channels.telegram_sent(chat))
    again = requests.post(
        f"{other}/webhooks/telegram/webhook", json=update, headers=headers, timeout=60
    )
    assert again.status_code == 200
    assert len(channels.user_events(str(chat))) == 1
    assert len(channels.telegram_sent(chat)) == sent
    # The other server does take the conversation's next message.
    answer = telegram_button_press(chat, "/deny")
    assert requests.post(
        f"{other}/webhooks/telegram/webhook", json=answer, headers=headers, timeout=60
    ).ok
    assert [e["text"] for e in channels.user_events(str(chat))] == [SYMPTOMS, "/deny"]


def test_rate_limits_are_counted_once_for_all_servers(channels: Channels) -> None:
    """Behind a load balancer one client's messages are spread over the servers:
    with Redis its limit is counted once, not once per server."""
    if channels.servers.env["LOCK_STORE_TYPE"] == "in_memory":
        require_redis()  # skips (fails under REQUIRE_SERVICES=1): no Redis here
    servers = [channels.servers.url, channels.other_server()]
    client = {"X-Forwarded-For": f"2001:db8::{uuid.uuid4().hex[:4]}"}  # new each run
    limited = []
    for n in range(2 * PER_IP):
        reply = requests.post(
            f"{servers[n % 2]}/webhooks/rest/webhook",
            json={"sender": f"shared-limit-{uuid.uuid4().hex[:8]}", "message": "hello"},
            headers=client,
            timeout=60,
        )
        assert reply.status_code == 200
        limited.append(LIMITED in [message.get("text") for message in reply.json()])
    # A full bucket lets the first PER_IP through; counted per server, all would pass.
    assert not any(limited[:PER_IP]) and sum(limited) >= PER_IP - 1, limited


def test_messenger_handles_every_event_of_a_batch(channels: Channels) -> None:
    first, second = new_psid(), new_psid()
    batch = page(messenger_event(first, SYMPTOMS), messenger_event(second, RED_FLAG))
    assert channels.facebook_post(batch).status_code == 200
    assert len(channels.user_events(first)) == 1
    assert channels.servers.tracker(second)["slots"]["triage_level"] == "emergency"


# Bad input: refused with a 4xx, never a 500, and the server keeps serving --------------------


def test_malformed_webhooks_are_refused(channels: Channels) -> None:
    chat = new_chat()
    no_chat = telegram_message(chat, "hello")
    del no_chat["message"]["chat"]
    assert channels.telegram_post(no_chat).status_code == 400
    assert channels.telegram_post(b"\xff\xfe not json").status_code == 400
    assert channels.telegram_post([1, 2]).status_code == 400
    assert channels.telegram_post({"message": {"text": "no update_id"}}).status_code == 400
    other = {"update_id": 5, "my_chat_member": {"chat": {"id": chat}}}
    assert channels.telegram_post(other).status_code == 200  # acknowledged, not answered

    sender = new_whatsapp_sender()
    no_from = whatsapp(channels, sender, "hello")
    del no_from["From"]
    assert channels.twilio_post(no_from).status_code == 400
    raw = b"From=whatsapp%3A%2B447700900000&Body=\xff\xfe&MessageSid=SMbad"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    refused = requests.post(channels.webhook("twilio"), data=raw, headers=headers, timeout=10)
    assert refused.status_code == 400

    psid = new_psid()
    no_sender = page(messenger_event(psid, "hello"))
    del no_sender["entry"][0]["messaging"][0]["sender"]
    assert channels.facebook_post(no_sender).status_code == 400
    assert channels.facebook_post(b"\xff\xfe not json").status_code == 400
    assert channels.facebook_post({"object": "page"}).status_code == 400

    assert channels.telegram_sent(chat) == [] and channels.whatsapp_sent(sender) == []
    assert channels.messenger_sent(psid) == []


@pytest.mark.parametrize("name", ["telegram", "twilio", "facebook"])
def test_a_100_kb_webhook_is_refused_and_the_server_keeps_serving(
    channels: Channels, name: str
) -> None:
    huge = requests.post(channels.webhook(name), data=b"x" * 100_000, timeout=30)
    assert huge.status_code == 413
    chat = new_chat()
    assert channels.telegram_post(telegram_message(chat, "hello")).status_code == 200
    assert channels.telegram_sent(chat)


# Bounded fuzz: mangled but correctly signed webhooks get 2xx or 400, never a 500 ----------

FUZZ = settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
json_leaves = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
)
json_values = st.recursive(
    json_leaves,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def mangled(draw: st.DrawFn, valid: dict[str, Any]) -> dict[str, Any]:
    """``valid`` with a few fields, at any depth, replaced by other JSON or removed."""
    value = json.loads(json.dumps(valid))
    for _ in range(draw(st.integers(1, 3))):
        node = value
        while True:
            key = draw(st.sampled_from(sorted(node)))
            if isinstance(node[key], dict) and node[key] and draw(st.booleans()):
                node = node[key]
                continue
            if isinstance(node[key], list) and node[key] and isinstance(node[key][0], dict):
                if not node[key][0]:
                    break
                node = node[key][0]
                continue
            if draw(st.booleans()):
                node[key] = draw(json_values)
            else:
                del node[key]
            break
        if not value:
            break
    return value


@FUZZ
@given(data=st.data())
def test_fuzzed_telegram_updates_are_never_a_server_error(channels: Channels, data) -> None:
    update = data.draw(mangled(telegram_message(new_chat(), "hello")))
    assert channels.telegram_post(update).status_code in (200, 400)


@FUZZ
@given(data=st.data())
def test_fuzzed_telegram_button_presses_are_never_a_server_error(channels: Channels, data) -> None:
    update = data.draw(mangled(telegram_button_press(new_chat(), "/deny")))
    assert channels.telegram_post(update).status_code in (200, 400)


@FUZZ
@given(data=st.data())
def test_fuzzed_messenger_events_are_never_a_server_error(channels: Channels, data) -> None:
    event = data.draw(mangled(page(messenger_event(new_psid(), "hello"))))
    assert channels.facebook_post(event).status_code in (200, 400)


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(["From", "Body", "MessageSid", "NumMedia", "Latitude", "Longitude"]),
        st.text(max_size=20),
        max_size=6,
    )
)
def test_fuzzed_whatsapp_forms_are_never_a_server_error(channels: Channels, fields) -> None:
    params = {**whatsapp(channels, new_whatsapp_sender(), "hello"), **fields}
    assert channels.twilio_post(params).status_code in (204, 400)
