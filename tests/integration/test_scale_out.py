"""Two Rasa servers share one conversation through PostgreSQL and Redis
(see tests/integration/services.py for where those are and when tests skip).
The second runs two Sanic workers (Rasa's SANIC_WORKERS, for a machine with
several cores), so three processes take turns on the conversation."""

import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.driver import start_interview
from tests.integration.servers import Servers
from tests.integration.services import REDIS_HOST, REDIS_PORT, fresh_database, require_redis


@pytest.fixture(scope="module")
def database():
    with fresh_database() as url:
        yield url


@pytest.fixture(scope="module")
def shared(database, tmp_path_factory):
    require_redis()
    servers = Servers(
        tmp_path_factory.mktemp("scale-out"),
        TRACKER_STORE_URL=database,
        LOCK_STORE_TYPE="server.lock_store.AtomicRedisLockStore",
        LOCK_STORE_HOST=REDIS_HOST,
        LOCK_STORE_PORT=REDIS_PORT,
    )
    try:
        servers.start()
        yield servers, [servers.url, servers.add_rasa_server(SANIC_WORKERS="2")]
    finally:
        servers.stop()


def test_the_second_server_runs_two_sanic_workers(shared):
    servers, _ = shared
    (second,) = servers.more_rasa
    # Rasa allows more than one worker only with a lock store shared between them.
    assert len(second.children()) >= 2, second.tail()


def test_one_conversation_spread_over_two_servers_under_concurrency(shared):
    servers, urls = shared
    sender = f"scale-{uuid.uuid4().hex[:8]}"
    # With consent, so that the conversation is written to PostgreSQL.
    start_interview(servers, sender, "my lower back hurts")
    texts = [f"my lower back has been sore for {days} days" for days in range(2, 18)]

    def send(index: int) -> list:
        return servers.send(sender, texts[index], url=urls[index % 2])

    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(send, range(len(texts))))

    assert all(replies), "a turn was not answered"
    # A turn that outlasted REPLY_TIMEOUT_SECONDS got the fail-safe answer and is
    # still being handled: wait (bounded) for the store to settle.
    deadline = time.monotonic() + 120
    while True:
        events = servers.tracker(sender)["events"]
        answered = sum(e["event"] == "user" for e in events) - 2  # the consent turns
        if answered >= len(texts) or time.monotonic() > deadline:
            break
        time.sleep(2)
    user_texts = [e["text"] for e in events if e["event"] == "user"][2:]
    assert Counter(user_texts) == Counter(texts), "a user message was lost or doubled"
    timestamps = [e["timestamp"] for e in events]
    assert timestamps == sorted(timestamps), "events are out of order"
    # Every user turn is followed by at least one bot message before the next one.
    kinds = [e["event"] for e in events if e["event"] in ("user", "bot")]
    turns = "".join("u" if kind == "user" else "b" for kind in kinds)
    assert "uu" not in turns and turns.endswith("b"), turns
    # Both servers read the same conversation from the shared store.
    other = servers.send(sender, "thanks", url=urls[1])
    assert other
    assert len(servers.tracker(sender)["events"]) > len(events)
