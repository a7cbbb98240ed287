"""The tracker store (PostgreSQL) becomes unreachable mid-conversation: the person
gets the clinic's phone number and the 999 advice, the log says what failed (and
not what the person wrote), and the conversation recovers when the store returns.

PostgreSQL is reached through a loopback proxy that the test cuts and restores.
"""

import time
import uuid
from urllib.parse import urlsplit

import pytest

from tests.integration.driver import question_in, start_interview
from tests.integration.servers import Servers
from tests.integration.services import fresh_database
from tests.integration.tcp_proxy import TcpProxy

SAFE = ("01564 330773", "999")
SECRET_WORDS = "my tender sacroiliac zebra"


@pytest.fixture(scope="module")
def behind_proxy(tmp_path_factory):
    with fresh_database() as url:
        parts = urlsplit(url)
        proxy = TcpProxy(parts.port or 5432, parts.hostname or "127.0.0.1")
        proxy.start()
        proxied = url.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{proxy.port}")
        servers = Servers(tmp_path_factory.mktemp("store-down"), TRACKER_STORE_URL=proxied)
        try:
            servers.start()
            yield servers, proxy
        finally:
            proxy.cut()
            servers.stop()


def reply_text(replies) -> str:
    return " ".join(reply.get("text") or "" for reply in replies)


def test_store_down_gives_the_safe_answer_then_recovers(behind_proxy):
    servers, proxy = behind_proxy
    sender = f"down-{uuid.uuid4().hex[:8]}"
    # With consent, so that the conversation is in the database.
    assert question_in(start_interview(servers, sender, "my lower back hurts after running"))

    proxy.cut()
    try:
        text = reply_text(servers.send(sender, f"{SECRET_WORDS} still hurts"))
        assert all(part in text for part in SAFE), text
    finally:
        proxy.start()

    log = servers.rasa.log.read_text(errors="replace")
    assert "Tracker store unreachable while reading a conversation" in log, servers.rasa.tail()
    assert SECRET_WORDS not in log, "the person's words reached the log"

    # The connection pool notices the broken connections on first use: allow a few tries.
    for _ in range(5):
        replies = servers.send(sender, "my lower back hurts after running")
        if question_in(replies):
            break
        time.sleep(2)
    else:
        raise AssertionError(f"no recovery: {reply_text(replies)}")
