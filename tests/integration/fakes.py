"""Fakes of the messaging providers' HTTP APIs on loopback: the Telegram Bot API,
Twilio's REST API and Facebook's Graph API. Each records every call the Rasa
server makes and answers the way the real API does, as far as the connectors read."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: dict[str, Any]  # a JSON body, or a form's fields


Reply = tuple[int, dict[str, Any]]


class FakeProvider:
    """A loopback HTTP server; ``answer(call)`` gives each call's status and JSON."""

    def __init__(self, answer: Callable[[Call], Reply]) -> None:
        self.answer = answer
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def recorded(self, where: Callable[[Call], bool] = lambda call: True) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if where(call)]

    def wait_for(
        self, where: Callable[[Call], bool], count: int = 1, timeout: float = 20
    ) -> list[Call]:
        """The calls ``where`` picks, once there are ``count`` of them (bounded wait)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.recorded(where)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"expected {count} call(s) within {timeout}s, got {found}")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                call = Call(
                    self.command,
                    parts.path,
                    {key: values[0] for key, values in parse_qs(parts.query).items()},
                    _parse(raw, self.headers.get("Content-Type") or ""),
                )
                with fake._lock:
                    fake.calls.append(call)
                status, body = fake.answer(call)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:  # quiet test output
                pass

        return Handler


def _parse(raw: bytes, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(raw)
    return {key: values[0] for key, values in parse_qs(raw.decode()).items()}


# Telegram Bot API: /bot<token>/<method>, form-encoded parameters (as aiogram sends them).


def telegram_api(bot_name: str) -> FakeProvider:
    def answer(call: Call) -> Reply:
        method = call.path.rsplit("/", 1)[-1]
        if method == "getMe":
            result: Any = {"id": 42, "is_bot": True, "first_name": "Clinic", "username": bot_name}
        elif method == "sendMessage":
            chat = {"id": int(call.body["chat_id"]), "type": "private"}
            result = {"message_id": len(fake.calls), "date": 0, "chat": chat}
            result["text"] = call.body.get("text", "")
        else:  # setWebhook, answerCallbackQuery, ...
            result = True
        return 200, {"ok": True, "result": result}

    fake = FakeProvider(answer)
    return fake


def telegram_sent(call: Call) -> dict[str, Any]:
    """A sendMessage call's text and inline keyboard rows."""
    markup = json.loads(call.body.get("reply_markup") or "{}")
    return {"text": call.body.get("text", ""), "keyboard": markup.get("inline_keyboard", [])}


# Twilio's REST API: POST /2010-04-01/Accounts/<sid>/Messages.json, form-encoded.


def twilio_api() -> FakeProvider:
    def answer(call: Call) -> Reply:
        if call.method == "POST" and call.path.endswith("/Messages.json"):
            sid = f"SM{len(fake.calls):032d}"
            return 201, {
                "sid": sid,
                "to": call.body.get("To"),
                "from": call.body.get("From"),
                "body": call.body.get("Body"),
                "status": "queued",
            }
        return 404, {"code": 20404, "message": "not found", "status": 404}

    fake = FakeProvider(answer)
    return fake


# Facebook's Graph API: POST /<version>/me/messages, JSON.


def graph_api() -> FakeProvider:
    def answer(call: Call) -> Reply:
        recipient = (call.body.get("recipient") or {}).get("id")
        return 200, {"recipient_id": recipient, "message_id": f"m_{len(fake.calls)}"}

    fake = FakeProvider(answer)
    return fake
