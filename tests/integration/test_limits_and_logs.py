"""Rate limits, allowed origins and JSON logs, against the real servers.

Servers of their own (their limits are small so that a short burst goes over them),
logging through server/logging.yml as `make run` does. On loopback; every loop is
bounded in count and time, and no assertion depends on how long anything takes:
a limit of N a minute lets the first N of a burst through whatever the timing, and
each check allows for a token refilled while the burst was under way.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from clinic.settings import load_settings
from server.rate_limit import limited_message
from tests.integration.servers import ROOT, Servers
from tests.web.webapp import WebApp

LOGGING_FILE = ROOT / "server" / "logging.yml"
LIMITED = limited_message(load_settings())
PER_SENDER, PER_IP = 2, 3
WEBHOOK = "/webhooks/rest/webhook"
PATIENT = "my back hurts since the Zanzibar half marathon"
CONTACT = "call me on 07700 900123 or jo.bloggs@example.com"
PERSONAL = ["07700", "900123", "jo.bloggs", "example.com"]
SOCKET_TEXT = "hello from the Zanzibar half"  # must not reach the logs either


def with_json_logs(servers: Servers) -> Servers:
    """As scripts/run starts them: ``--logging-config-file server/logging.yml``."""
    for process in (servers.actions, servers.rasa):
        process.args += ["--logging-config-file", str(LOGGING_FILE)]
    return servers


@pytest.fixture(scope="class")
def limited(tmp_path_factory):
    servers = with_json_logs(
        Servers(
            tmp_path_factory.mktemp("limits"),
            RATE_LIMIT_PER_SENDER=str(PER_SENDER),
            RATE_LIMIT_PER_IP=str(PER_IP),
            RATE_LIMIT_EXEMPT="127.0.0.0/8,::1",
            # The tests play the reverse proxy: their X-Forwarded-For names the client.
            TRUSTED_PROXIES="127.0.0.1",
            ALLOWED_ORIGINS="",  # the default: pages on this machine
            LOG_LEVEL_LIBRARIES="INFO",  # Sanic's access log too
        )
    )
    try:
        servers.start()
        yield servers
    finally:
        servers.stop()


def post(
    servers: Servers, sender: str, text: str, headers: dict[str, str] | None = None
) -> requests.Response:
    return requests.post(
        servers.url + WEBHOOK, json={"sender": sender, "message": text}, headers=headers, timeout=60
    )


def texts(replies: list[dict[str, Any]]) -> list[str]:
    return [reply.get("text") or "" for reply in replies]


def was_limited(replies: list[dict[str, Any]]) -> bool:
    return texts(replies) == [LIMITED]


def burst(servers: Servers, bodies: list[tuple[str, dict[str, str] | None]]) -> list[list]:
    """All at once; each reply is a 200 with the webhook's list of bot messages."""

    def one(body: tuple[str, dict[str, str] | None]) -> list:
        response = post(servers, body[0], "hello", body[1])
        assert response.status_code == 200, response.text
        return response.json()

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(one, bodies))


def user_turns(servers: Servers, sender: str, expected: int) -> int:
    """User messages stored for ``sender``, once ``expected`` are in (or after 60 s)."""
    deadline = time.monotonic() + 60
    while True:
        stored = sum(e["event"] == "user" for e in servers.tracker(sender)["events"])
        if stored >= expected or time.monotonic() > deadline:
            return stored
        time.sleep(1)


def log_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(errors="replace").splitlines() if line.strip()]


def assert_json_lines(path: Path) -> list[dict[str, Any]]:
    entries = []
    for line in log_lines(path):
        entry = json.loads(line)  # fails on any line that is not JSON
        assert isinstance(entry, dict) and {"time", "level", "logger"} <= entry.keys(), line
        entries.append(entry)
    assert entries, f"nothing logged in {path.name}"
    return entries


# --- socket.io ---------------------------------------------------------------------------


async def socket_session(
    url: str,
    headers: dict[str, str],
    messages: list[tuple[str, str]],
    until: Callable[[list[dict[str, Any]]], bool] = lambda _: True,
) -> list[dict[str, Any]]:
    """Connects (long-polling), joins each session of ``messages`` (session id, text),
    sends them in order and returns the bot messages once ``until`` them holds (or
    after 60 s). Raises socketio.exceptions.ConnectionError if the server refuses."""
    client = socketio.AsyncClient(reconnection=False)
    received: list[dict[str, Any]] = []
    confirmed: asyncio.Queue = asyncio.Queue()
    client.on("bot_uttered", lambda data=None: received.append(data or {}))
    client.on("session_confirm", lambda data=None: confirmed.put_nowait(data))
    await client.connect(url, headers=headers, transports=["polling"], wait_timeout=15)
    try:
        for session in dict.fromkeys(session for session, _ in messages):
            await client.emit("session_request", {"session_id": session})
            await asyncio.wait_for(confirmed.get(), 15)
        for session, text in messages:
            await client.emit("user_uttered", {"session_id": session, "message": text})
        for _ in range(600):
            if until(received):
                break
            await asyncio.sleep(0.1)
        return received
    finally:
        await client.eio.disconnect(abort=True)


def run(coroutine: Any) -> Any:
    return asyncio.run(asyncio.wait_for(coroutine, 120))


class TestLimitsOriginsAndLogs:
    def test_a_burst_over_the_per_sender_limit_gets_the_polite_answer(self, limited):
        sender = f"limit-{uuid.uuid4().hex[:10]}"
        replies = burst(limited, [(sender, None)] * 5)
        refused = [r for r in replies if was_limited(r)]
        answered = [r for r in replies if not was_limited(r)]
        assert len(answered) >= PER_SENDER and refused, replies
        assert "01564 330773" in LIMITED and "999" in LIMITED
        assert all(any(texts(r)) for r in answered)
        # Another person is still answered as usual.
        other = post(limited, f"other-{uuid.uuid4().hex[:10]}", "hello").json()
        assert any(texts(other)) and not was_limited(other)
        # Nothing lost under the limit; nothing stored over it.
        assert user_turns(limited, sender, len(answered)) == len(answered)

    def test_the_per_ip_limit_counts_the_client_behind_a_trusted_proxy(self, limited):
        client = {"X-Forwarded-For": "203.0.113.7"}
        replies = burst(limited, [(f"ip-{uuid.uuid4().hex[:10]}", client) for _ in range(6)])
        assert sum(map(was_limited, replies)) >= 1
        assert sum(not was_limited(r) for r in replies) >= PER_IP
        other_client = {"X-Forwarded-For": "203.0.113.8"}
        assert not was_limited(post(limited, "ip-other", "hello", other_client).json())
        # Addresses a client puts in front of its own are not believed.
        forged = [
            (f"ip-{uuid.uuid4().hex[:10]}", {"X-Forwarded-For": f"10.0.0.{n}, 203.0.113.9"})
            for n in range(6)
        ]
        assert sum(map(was_limited, burst(limited, forged))) >= 1

    def test_a_page_on_a_foreign_site_cannot_use_the_rest_webhook(self, limited):
        foreign = post(limited, "origin-a", "hello", {"Origin": "https://evil.example"})
        assert foreign.status_code == 403
        own = post(limited, "origin-b", "hello", {"Origin": "http://127.0.0.1:8000"})
        assert own.status_code == 200 and any(texts(own.json()))

    def test_socketio_refuses_a_foreign_origin_and_serves_the_allowed_one(self, limited):
        with pytest.raises(socketio.exceptions.ConnectionError):
            run(socket_session(limited.url, {"Origin": "https://evil.example"}, []))
        allowed = {"Origin": "http://localhost:8000"}
        replies = run(socket_session(limited.url, allowed, [(uuid.uuid4().hex, SOCKET_TEXT)], any))
        assert any(texts(replies)) and not was_limited(replies)

    def test_socketio_limits_per_sender_and_per_ip(self, limited):
        def limited_answer(replies: list[dict[str, Any]]) -> bool:
            return LIMITED in texts(replies)

        session = uuid.uuid4().hex
        messages = [(session, SOCKET_TEXT)] * (PER_SENDER + 1)
        assert limited_answer(run(socket_session(limited.url, {}, messages, limited_answer)))
        # Per IP: the connection counts, then each message, whatever its session.
        client = {"X-Forwarded-For": "203.0.113.20"}
        messages = [(uuid.uuid4().hex, SOCKET_TEXT) for _ in range(PER_IP)]
        assert limited_answer(run(socket_session(limited.url, client, messages, limited_answer)))
        # Over the limit, a new connection is refused (the widget then shows the phone);
        # each one let in takes one more of the allowance.
        refused = False
        for _ in range(PER_IP + 2):
            try:
                run(socket_session(limited.url, client, []))
            except socketio.exceptions.ConnectionError:
                refused = True
                break
        assert refused

    def test_logs_are_json_lines_without_message_texts_phones_emails_or_tokens(self, limited):
        limited.send(f"logs-{uuid.uuid4().hex[:10]}", f"{PATIENT}, {CONTACT}")
        limited.tracker("logs-check")  # the HTTP API, ?token=... in the access log
        for path in (limited.rasa.log, limited.actions.log):
            entries = assert_json_lines(path)
            text = path.read_text(errors="replace")
            for secret in ["Zanzibar", limited.token, *PERSONAL]:
                assert secret not in text, f"{secret!r} in {path.name}"
        entries = assert_json_lines(limited.rasa.log)
        access = [e for e in entries if e["logger"] == "sanic.access"]
        assert any("/tracker?token=[redacted]" in e.get("request", "") for e in access), access
        warnings = [e for e in entries if e["logger"] == "server.rate_limit"]
        assert warnings and not any("limit-" in e["message"] for e in warnings)


def test_at_debug_level_messages_are_logged_without_phones_or_emails(tmp_path):
    servers = with_json_logs(Servers(tmp_path, LOG_LEVEL="DEBUG"))
    try:
        servers.start()
        servers.send(f"debug-{uuid.uuid4().hex[:10]}", f"{PATIENT}, {CONTACT}")
    finally:
        servers.stop()
    rasa_log = servers.rasa.log.read_text(errors="replace")
    assert "Zanzibar" in rasa_log, "no message text at debug level: the check below is empty"
    for path in (servers.rasa.log, servers.actions.log):
        assert_json_lines(path)
        text = path.read_text(errors="replace")
        for personal in PERSONAL:
            assert personal not in text, f"{personal!r} in {path.name}"


def test_the_web_app_logs_json_lines(tmp_path):
    app = WebApp(tmp_path, "http://127.0.0.1:9", LOGGING_CONFIG=str(LOGGING_FILE))
    try:
        app.start()
        assert requests.get(f"{app.url}/healthz", timeout=10).status_code == 200
    finally:
        app.stop()
    lines = [line for line in log_lines(app.process.log) if not line.startswith("Web app: ")]
    assert lines, "nothing logged"
    for line in lines:
        entry = json.loads(line)
        assert {"time", "level", "logger"} <= entry.keys(), line
