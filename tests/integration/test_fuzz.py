"""Bounded fuzz of everything public: the REST webhook, socket.io and the web app's routes.

Wrong types, huge fields, deep JSON, control characters and invalid UTF-8 each get
a 4xx or a polite reply, never a 500 or a crash, and the next normal message still
starts the interview. Hypothesis is derandomized (every run sends the same inputs)
and bounded so that the file runs in a few minutes; everything is on loopback.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest
import requests
import socketio
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from clinic.settings import load_settings
from clinic.triage import LEVELS
from tests.web.webapp import WebApp

WEBHOOK = "/webhooks/rest/webhook"
BODY_LIMIT = 65_536  # SANIC_REQUEST_MAX_SIZE of the Rasa server (tests/integration/servers.py)
FIRST_QUESTION = "Before I ask about your symptoms"  # consent, then the interview
STATIC_DIR = Path(__file__).resolve().parents[2] / "web" / "static"

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fuzz(max_examples: int) -> settings:
    return settings(FUZZ, max_examples=max_examples)


# --- Strategies ----------------------------------------------------------------------

# Control characters, format characters, separators and lone surrogates (sent as
# \\ud800-style JSON escapes), mixed with any other character.
odd_text = st.text(
    st.characters(categories=["Cc", "Cf", "Cs", "Zs", "Zl", "Zp"]) | st.characters(),
    max_size=30,
)
json_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | odd_text
)
json_values = st.recursive(
    json_leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(odd_text, inner, max_size=4),
    max_leaves=12,
)
fresh_senders = st.uuids().map(lambda u: f"fuzz-{u.hex[:12]}")
good_messages = st.sampled_from(["my back hurts", "hello", "", "no", "about 5 days"])

# The REST webhook's bodies, each as (raw body, content type, ?stream=true).
object_bodies = st.fixed_dictionaries(
    {},
    optional={
        "sender": fresh_senders | json_values,
        "message": good_messages | json_values,
        "metadata": json_values,
        "input_channel": json_values,
        "message_id": json_values,
    },
).map(lambda body: json.dumps(body).encode())
other_json_bodies = json_values.filter(lambda v: not isinstance(v, dict)).map(
    lambda value: json.dumps(value).encode()
)


@st.composite
def deep_bodies(draw: st.DrawFn) -> bytes:
    depth = draw(st.sampled_from([10, 500, 900, 1000, 1100, 5000, 20000]))
    opening, closing = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
    nested = opening * depth + "1" + closing * depth
    where = draw(st.sampled_from(["top", "sender", "message", "metadata"]))
    if where == "top":
        return nested.encode()
    fields = {"sender": json.dumps(draw(fresh_senders)), "message": '"my back hurts"'}
    fields[where] = nested
    return ("{" + ",".join(f'"{key}":{value}' for key, value in fields.items()) + "}").encode()


@st.composite
def huge_bodies(draw: st.DrawFn) -> bytes:
    size = draw(st.sampled_from([4_001, 12_000, 30_000, 60_000, 70_000, 200_000]))
    filler = draw(st.sampled_from(["x", "back pain ", "é", "\x01", "😩"]))
    body = {"sender": draw(fresh_senders), "message": "my back hurts"}
    where = draw(st.sampled_from(["message", "message", "sender", "metadata"]))
    value = (filler * size)[:size]
    body[where] = {"note": value} if where == "metadata" else value
    return json.dumps(body, ensure_ascii=draw(st.booleans())).encode()


raw_bodies = (
    st.binary(max_size=300)
    | st.binary(min_size=1, max_size=20).map(lambda junk: b"\xff" + junk)
    | st.sampled_from(
        [
            b"",
            b'\xff\xfe{"sender": "fuzz-bom", "message": "hi"}',
            b'{"sender": "fuzz-utf8", "message": "\xff\xfe back \xc3"}',
            b'{"sender": "fuzz-utf8b", "message": "\xed\xa0\x80"}',
            b'{"sender": "fuzz-nul", "message": "my back\x00 hurts"}',
            b"sender=fuzz-form&message=hi",
            b"<xml><sender>a</sender></xml>",
            b'{"sender": "fuzz-trunc", "message": "hi"',
            b'{"sender": "fuzz-dup", "sender": ["x"], "message": "hi"}',
            b"NaN",
            b'{"sender": "fuzz-nan", "message": NaN}',
            b"1e999999",
            b'{"sender": 1e999999, "message": "hi"}',
            b'{"sender": 123456789012345678901234567890, "message": "hi"}',
        ]
    )
    | st.text(max_size=200).map(str.encode)
)
content_types = st.sampled_from(
    [
        None,
        "application/json",
        "application/json; charset=utf-8",
        "application/json; charset=latin-1",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=fuzz",
        "application/xml",
        "image/png",
        "",
    ]
)
rest_requests = st.tuples(
    st.one_of(object_bodies, other_json_bodies, deep_bodies(), huge_bodies(), raw_bodies),
    content_types,
    st.booleans(),
)


# --- Fixtures and helpers ---------------------------------------------------------------


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    """The web app; its widget's Rasa server is never called in these tests."""
    app = WebApp(tmp_path_factory.mktemp("fuzz-web"), "http://127.0.0.1:9")
    try:
        app.start()
        yield app
    finally:
        app.stop()


def texts_of(replies: list[dict[str, Any]]) -> list[str]:
    return [reply["text"] for reply in replies if isinstance(reply.get("text"), str)]


def assert_polite(texts: list[str], context: str) -> None:
    assert any(text.strip() for text in texts), f"no text in the reply to {context}"
    for text in texts:
        assert "Traceback" not in text and "Exception" not in text, text


def assert_rasa_still_works(servers) -> None:
    assert requests.get(servers.url + "/", timeout=10).status_code == 200
    replies = servers.send(f"fuzz-next-{uuid.uuid4().hex[:12]}", "my back hurts")
    assert any(text.startswith(FIRST_QUESTION) for text in texts_of(replies)), replies


def http_request(base_url: str, method: str, target: str) -> tuple[int, dict[str, str], bytes]:
    """One request with exactly ``target`` as its request target (no re-quoting)."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
    try:
        connection.request(method, target)
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        connection.close()


def raw_request(base_url: str, request_line: bytes) -> int | None:
    """The status answering a request line sent byte for byte (invalid UTF-8 and all),
    or None if the server closed the connection without an answer."""
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=15) as sock:
        sock.sendall(request_line + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    if not answer:
        return None
    match = re.match(rb"HTTP/1\.[01] (\d{3}) ", answer)
    assert match, f"not an HTTP answer to {request_line[:80]!r}: {answer[:80]!r}"
    return int(match.group(1))


def encoded(text: str) -> str:
    """``text`` percent-encoded as one query key or value (a lone surrogate as such)."""
    return quote(text, safe="", errors="surrogatepass")


def quoted(text: str) -> str:
    """``text`` percent-encoded into a request target's printable ASCII."""
    return quote(text, safe="/?&=%;.")


# --- REST webhook ------------------------------------------------------------------------


@fuzz(max_examples=70)
@given(rest_requests)
@example((b"[1, 2]", "application/json", False))
@example((b"null", "application/json", False))
@example((b'{"sender": "fuzz-x", "message": 5}', "application/json", False))
@example((b'{"message": "hi"}', "application/json", False))
@example((json.dumps({"sender": "fuzz-big", "message": "x" * 200_000}).encode(), None, False))
def test_rest_webhook_bad_input(servers, request_):
    body, content_type, stream = request_
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = requests.post(
        servers.url + WEBHOOK,
        data=body,
        headers=headers,
        params={"stream": "true"} if stream else None,
        timeout=60,
    )
    context = f"{body[:120]!r} ({len(body)} bytes, {content_type}, stream={stream})"
    assert response.status_code < 500, context
    assert "Traceback" not in response.text and "Exception" not in response.text, context
    if len(body) > BODY_LIMIT:
        assert response.status_code == 413, context
    elif response.status_code == 200:
        if stream:
            lines = [line for line in response.text.splitlines() if line.strip()]
            replies = [json.loads(line) for line in lines]
        else:
            replies = response.json()
        assert isinstance(replies, list), context
        assert_polite(texts_of(replies), context)
    else:
        assert 400 <= response.status_code < 500, context
    assert_rasa_still_works(servers)


# --- socket.io --------------------------------------------------------------------------


class SocketLoop:
    """An event loop in a thread, so that each Hypothesis example runs a socket.io client."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Any, timeout: float = 120) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        async def cancel_the_rest() -> None:
            tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        self.run(cancel_the_rest(), timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="module")
def socket_loop():
    loop = SocketLoop()
    yield loop
    loop.close()


NO_DATA = object()  # an event emitted without any data at all


async def socket_turn(
    url: str, payload: Callable[[str], Any], expect_reply: bool, wait_for: str | None = None
) -> tuple[list[str], bool]:
    """Emits ``payload(session_id)`` as user_uttered on a new connection; returns the
    texts that came back and whether the connection was still up at the end."""
    client = socketio.AsyncClient(reconnection=False)
    replies: asyncio.Queue = asyncio.Queue()
    confirmed = asyncio.Event()

    async def on_bot_uttered(data: Any = None) -> None:
        await replies.put(data)

    async def on_session_confirm(data: Any = None) -> None:
        confirmed.set()

    client.on("bot_uttered", on_bot_uttered)
    client.on("session_confirm", on_session_confirm)
    # Long-polling: the websocket transport of this python-engineio needs aiohttp>=3.10.
    await client.connect(url, transports=["polling"], wait_timeout=15)
    texts: list[str] = []
    try:
        session_id = uuid.uuid4().hex
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), 15)
        data = payload(session_id)
        if data is NO_DATA:
            await client.emit("user_uttered")
        else:
            await client.emit("user_uttered", data)
        if expect_reply:
            deadline = asyncio.get_running_loop().time() + 40
            while client.connected:
                left = deadline - asyncio.get_running_loop().time()
                if left <= 0:
                    break
                try:
                    data = await asyncio.wait_for(replies.get(), min(left, 1))
                except asyncio.TimeoutError:
                    continue
                texts.append(data.get("text", "") if isinstance(data, dict) else repr(data))
                if wait_for is None or any(text.startswith(wait_for) for text in texts):
                    # The rest of the turn's messages follow at once.
                    await asyncio.sleep(0.5)
                    while not replies.empty():
                        data = replies.get_nowait()
                        texts.append(data.get("text", "") if isinstance(data, dict) else "")
                    break
        else:
            await asyncio.sleep(0.3)
        return texts, client.connected
    finally:
        # Without waiting for the pending long-poll (up to the 25 s ping interval).
        await client.eio.disconnect(abort=True)


def socket_payloads() -> st.SearchStrategy[tuple[Callable[[str], Any], bool]]:
    """(payload from the session id, whether the channel must answer it)."""
    ignored = st.one_of(
        json_values.filter(lambda v: not isinstance(v, dict)),
        st.dictionaries(odd_text, json_values, max_size=3).filter(lambda d: "session_id" not in d),
        st.fixed_dictionaries({"session_id": json_values.filter(lambda v: not isinstance(v, str))}),
    ).map(lambda value: ((lambda _session: value), False))
    answered = st.fixed_dictionaries(
        {},
        optional={
            "message": good_messages | json_values | st.just("x" * 5_000) | st.just("é" * 5_000),
            "metadata": json_values | st.just('{"not": json'),
            "customData": json_values,
        },
    ).map(lambda extra: ((lambda session: {**extra, "session_id": session}), True))
    return st.one_of(ignored, answered)


def test_socketio_events_without_data_are_ignored(servers, socket_loop):
    def errors() -> int:
        log = servers.rasa.log.read_text(errors="replace")
        return log.count("Traceback") + log.count("TypeError")

    before = errors()
    texts, connected = socket_loop.run(socket_turn(servers.url, lambda _s: NO_DATA, False))
    assert connected and texts == []
    time.sleep(1)  # the handler runs as a task of its own
    assert errors() == before, servers.rasa.tail()


@fuzz(max_examples=12)
@given(socket_payloads())
@example(((lambda _session: "not an object"), False))
@example(((lambda _session: None), False))
@example(((lambda session: {"session_id": session}), True))
@example(((lambda session: {"session_id": session, "message": "x" * 60_000}), True))
# Over the server's 64 KB body limit: refused (413), so no answer is due.
@example(((lambda session: {"session_id": session, "message": "x" * 200_000}), False))
@example(((lambda session: {"session_id": session, "message": [[[["deep"]]]] * 50}), True))
def test_socketio_bad_input(servers, socket_loop, case):
    payload, expect_reply = case
    texts, connected = socket_loop.run(socket_turn(servers.url, payload, expect_reply))
    if expect_reply:
        assert connected, "the server dropped the connection"
        assert_polite(texts, "a socket.io message")
    # The server survives, and a normal message on socket.io still starts the interview.
    assert requests.get(servers.url + "/", timeout=10).status_code == 200
    texts, _ = socket_loop.run(
        socket_turn(
            servers.url,
            lambda session: {"session_id": session, "message": "my back hurts"},
            True,
            wait_for=FIRST_QUESTION,
        )
    )
    assert any(text.startswith(FIRST_QUESTION) for text in texts), texts


# --- Web app ------------------------------------------------------------------------------

REFERENCE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}")
CHANNEL = re.compile(r"[a-z][a-z0-9_-]{0,31}")


def booking_is_valid(query: str) -> bool:
    """The /book rules, read off the query as Sanic parses it (the first of each key)."""
    args = parse_qs(query, keep_blank_values=False, errors="replace")

    def first(key: str) -> str | None:
        return args.get(key, [None])[0]

    return bool(
        REFERENCE.fullmatch(first("ref") or "")
        and (first("level") or "") in LEVELS
        and first("priority") in (None, "priority", "routine")
        and CHANNEL.fullmatch(first("channel") or "unknown")
    )


query_values = {
    "ref": st.from_regex(REFERENCE, fullmatch=True) | odd_text,
    "level": st.sampled_from(LEVELS) | odd_text,
    "priority": st.sampled_from(["priority", "routine", ""]) | odd_text,
    "channel": st.from_regex(CHANNEL, fullmatch=True) | odd_text,
}
query_pairs = st.lists(
    st.one_of(
        *[values.map(lambda value, key=key: (key, value)) for key, values in query_values.items()],
        st.tuples(odd_text, odd_text),
    ),
    max_size=7,
)
query_strings = st.one_of(
    query_pairs.map(
        lambda pairs: "&".join(f"{encoded(key)}={encoded(value)}" for key, value in pairs)
    ),
    st.text(
        st.sampled_from("ref=level&priority%00%ff%zz%2;#/?+ AB12-CD34assessment"), max_size=60
    ).map(quoted),
)


@fuzz(max_examples=120)
@given(query_strings)
@example("ref=AB12-CD34&level=assessment")
@example("ref=AB12-CD34&level=assessment&priority=routine&channel=web")
@example("ref=AB12-CD34&level=assessment&channel=%E2%80%AE")
@example("ref=AB12-CD34%00&level=assessment")
@example("ref=AB12-CD34&level=assessment&ref=zz")
@example("%%%%")
def test_book_and_healthz_with_hostile_queries(web, query):
    status, headers, body = http_request(web.url, "GET", f"/book?{query}")
    assert status < 500, query
    if booking_is_valid(query):
        assert status == 302, query
        assert headers["Location"].startswith(load_settings().booking_url), headers
    else:
        assert status == 400, query
        assert b"Booking link not recognised" in body
    status, _, body = http_request(web.url, "GET", f"/healthz?{query}")
    assert status == 200 and json.loads(body) == {"status": "ok"}


static_segments = st.sampled_from(
    [
        "..",
        "%2e%2e",
        "%2E%2E",
        ".%2e",
        "%252e%252e",
        "..%2f",
        "..%5c",
        "%2f",
        "%5c",
        "\\",
        "%00",
        "%ff",
        "%c0%ae%c0%ae",
        ".",
        "",
        "vendor",
        "widget.js",
        "socket.io.min.js",
        "app.py",
        "clinic.yml",
        "etc",
        "passwd",
        "a" * 300,
    ]
) | st.text(max_size=10).map(lambda text: quote(text, safe=""))


@fuzz(max_examples=120)
@given(st.lists(static_segments, min_size=1, max_size=6).map("/".join))
@example("../app.py")
@example("%2e%2e/app.py")
@example("..%2fapp.py")
@example("%2e%2e%2fapp.py")
@example("%252e%252e/app.py")
@example("../../clinic.yml")
@example("vendor")
@example("")
@example("%00")
@example("widget.js/x")
@example("widget.js")
def test_static_serves_its_files_and_nothing_else(web, relative):
    status, _, body = http_request(web.url, "GET", f"/static/{relative}")
    assert status < 500, relative
    decoded = unquote(relative).lstrip("/")
    try:
        path = (STATIC_DIR / decoded).resolve()
        is_file = path.is_relative_to(STATIC_DIR) and path.is_file()
    except (OSError, ValueError):
        is_file = False
    if status == 200:
        assert is_file and body == path.read_bytes(), relative
    else:
        assert 400 <= status < 500, relative
        if is_file and ".." not in Path(decoded).parts:
            pytest.fail(f"/static/{relative} is a file but got {status}")


@fuzz(max_examples=80)
@given(
    st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]),
    st.text(max_size=40),
)
@example("GET", "admin")
@example("GET", "..%2f..%2fetc/passwd")
def test_random_paths_are_not_found(web, method, path):
    target = "/" + quote(path, safe="/%")
    first = unquote(target).strip("/").split("/")[0]
    if first in ("", "healthz", "book", "static"):
        return  # the app's own routes, tested above
    status, _, _ = http_request(web.url, method, target)
    assert status in (404, 405), (method, target, status)


@fuzz(max_examples=40)
@given(st.binary(min_size=1, max_size=40).filter(lambda raw: not set(raw) & set(b"\r\n ")))
@example(b"book?ref=\xff\xfe&level=assessment")
@example(b"static/\xc0\xae\xc0\xae/app.py")
@example(b"\xed\xa0\x80")
def test_invalid_utf8_in_request_lines(web, raw):
    for prefix in (b"/", b"/book?ref=", b"/static/", b"/healthz?"):
        status = raw_request(web.url, b"GET " + prefix + raw + b" HTTP/1.1")
        # Sanic 21.12 closes the connection without an answer when the request line
        # is not UTF-8 (it fails to build its error response): not a 500, and the
        # app goes on serving.
        assert status is None or status < 500, prefix + raw
    assert http_request(web.url, "GET", "/healthz")[0] == 200
