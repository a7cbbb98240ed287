"""The rate limiter, the client address behind proxies, the wrapper and the origin check."""

from __future__ import annotations

import asyncio
import ipaddress
import uuid
from dataclasses import dataclass, field

import pytest

from server.origins import OriginCheck, configured_origins
from server.rate_limit import (
    Limits,
    RateLimiter,
    RedisRateLimiter,
    client_ip,
    parse_networks,
    rate_limited,
)
from tests.integration.servers import free_port
from tests.integration.services import redis_address


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_up_to_the_limit_passes_and_the_next_is_refused():
    limiter = RateLimiter(3, clock=Clock())
    assert [limiter.allow("a") for _ in range(5)] == [True, True, True, False, False]
    assert limiter.allow("b"), "another key has its own allowance"


def test_the_allowance_refills_over_the_period():
    clock = Clock()
    limiter = RateLimiter(3, period=60, clock=clock)
    for _ in range(3):
        limiter.allow("a")
    assert not limiter.allow("a")
    assert limiter.retry_after("a") == pytest.approx(20)
    clock.now += 20  # one message's worth
    assert limiter.allow("a")
    assert not limiter.allow("a")
    clock.now += 3600  # never more than the limit at once
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]


def test_a_limit_of_zero_is_off():
    limiter = RateLimiter(0, clock=Clock())
    assert all(limiter.allow("a") for _ in range(1000))
    assert len(limiter) == 0


def test_memory_is_bounded_and_idle_keys_are_forgotten():
    clock = Clock()
    limiter = RateLimiter(2, period=60, max_keys=100, clock=clock)
    for n in range(1000):
        limiter.allow(f"key-{n}")
    assert len(limiter) == 100
    assert limiter.allow("key-999") and not limiter.allow("key-999"), "the newest are kept"
    clock.now += 61  # every bucket has refilled: nothing left worth keeping
    limiter.allow("fresh")
    assert len(limiter) == 1


def test_a_flood_of_one_key_does_not_evict_the_busy_key():
    clock = Clock()
    limiter = RateLimiter(2, max_keys=10, clock=clock)
    limiter.allow("busy")
    limiter.allow("busy")
    for n in range(5):
        limiter.allow(f"other-{n}")
    assert not limiter.allow("busy")


TRUSTED = parse_networks("127.0.0.1, 10.0.0.0/8")


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("203.0.113.5", None, "203.0.113.5"),
        # X-Forwarded-For from anyone but a trusted proxy is ignored (a client could forge it).
        ("203.0.113.5", "198.51.100.1", "203.0.113.5"),
        ("127.0.0.1", "198.51.100.1", "198.51.100.1"),
        # The last untrusted hop: entries a client put in front are not believed.
        ("127.0.0.1", "1.2.3.4, 198.51.100.1", "198.51.100.1"),
        ("127.0.0.1", "198.51.100.1, 10.1.2.3", "198.51.100.1"),
        ("127.0.0.1", "10.1.2.3", "127.0.0.1"),
        ("127.0.0.1", " , ", "127.0.0.1"),
    ],
)
def test_client_ip(peer, forwarded, expected):
    assert client_ip(peer, forwarded, TRUSTED) == expected


def test_unreadable_networks_are_skipped():
    assert parse_networks("10.0.0.0/8, nonsense, ,::1") == [
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("::1"),
    ]


async def test_limits_from_the_environment():
    environ = {"RATE_LIMIT_PER_SENDER": "7", "RATE_LIMIT_PER_IP": "not a number"}
    limits = Limits.from_env(environ)
    assert isinstance(limits.per_sender, RateLimiter), "one server: counted in the process"
    assert limits.per_sender.limit == 7
    assert limits.per_ip.limit == 120  # the default, with a warning
    assert await limits.allow_ip("127.0.0.1") and await limits.allow_ip("::1")  # loopback exempt
    limits = Limits.from_env({"RATE_LIMIT_PER_IP": "1", "RATE_LIMIT_EXEMPT": ""})
    assert await limits.allow_ip("127.0.0.1") and not await limits.allow_ip("127.0.0.1")


def test_with_a_redis_lock_store_the_limits_are_kept_in_that_redis():
    limits = Limits.from_env(
        {
            "LOCK_STORE_TYPE": "server.lock_store.AtomicRedisLockStore",
            "LOCK_STORE_HOST": "redis.internal",
            "LOCK_STORE_PORT": "6380",
            "RATE_LIMIT_PER_SENDER": "5",
        }
    )
    for limiter, limit in ((limits.per_sender, 5), (limits.per_ip, 120)):
        assert isinstance(limiter, RedisRateLimiter)
        assert (limiter.host, limiter.port, limiter.limit) == ("redis.internal", 6380, limit)


async def test_servers_on_one_redis_share_each_bucket():
    one, other = RedisRateLimiter(3, *redis_address()), RedisRateLimiter(3, *redis_address())
    key = f"test:{uuid.uuid4().hex}"
    taken = [await limiter.take(key) for limiter in (one, other, one, other, one)]
    assert taken == [True, True, True, False, False]
    assert await other.take(f"test:{uuid.uuid4().hex}"), "another key has its own allowance"


async def test_a_shared_bucket_refills_and_is_never_overdrawn_by_servers_at_once():
    # 2 tokens in 4 seconds: a bucket emptied now has one token again 2 seconds later.
    host, port = redis_address()
    servers = [RedisRateLimiter(2, host, port, period=4.0) for _ in range(4)]
    key = f"test:{uuid.uuid4().hex}"
    taken = await asyncio.gather(*(servers[n % 4].take(key) for n in range(20)))
    assert sum(taken) == 2, "each token taken once, however many servers ask at once"
    await asyncio.sleep(2.2)
    assert await servers[0].take(key)


async def test_without_redis_messages_are_let_through(caplog):
    limiter = RedisRateLimiter(1, "127.0.0.1", free_port())  # nothing listens there
    assert all([await limiter.take("key") for _ in range(3)])
    warnings = [r for r in caplog.records if "rate limits not applied" in r.getMessage()]
    assert len(warnings) == 1, "one warning, not one per message"


@dataclass
class FakeOutput:
    sent: list[tuple[str, str]] = field(default_factory=list)

    async def send_text_message(self, recipient_id: str, text: str) -> None:
        self.sent.append((recipient_id, text))


@dataclass
class FakeMessage:
    sender_id: str
    output_channel: FakeOutput
    input_channel: str = "rest"
    text: str = "my back hurts"


async def test_the_wrapper_answers_politely_and_does_not_handle_a_limited_message():
    limits = Limits(RateLimiter(2, clock=Clock()), RateLimiter(0), [], [])
    handled: list[str] = []

    async def handler(message: FakeMessage) -> None:
        handled.append(message.sender_id)

    wrapped = rate_limited(handler, lambda: limits)
    output = FakeOutput()
    for _ in range(3):
        await wrapped(FakeMessage("alice", output))
    await wrapped(FakeMessage("bob", output))
    await wrapped(FakeMessage("alice", output, input_channel="telegram"))
    assert handled == ["alice", "alice", "bob", "alice"]
    assert len(output.sent) == 1
    recipient, text = output.sent[0]
    assert recipient == "alice"
    assert "01564 330773" in text and "999" in text


def test_origins_default_to_pages_on_this_machine(monkeypatch):
    monkeypatch.delenv("ALLOWED_ORIGINS", raising=False)
    check = OriginCheck()
    for origin in (
        "http://127.0.0.1:8000",
        "http://localhost:8000",
        "http://[::1]:9",
        "http://127.0.0.1",
    ):
        assert check(origin), origin
    for origin in ("http://evil.example", "null", "http://127.0.0.1.evil.example", "file://"):
        assert not check(origin), origin
    assert not check(None) and check.allows_request(None)
    assert not check.allows_request("https://evil.example")


def test_configured_origins_are_exact_and_star_is_never_honoured(monkeypatch):
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://www.clinic.example/, *, https://Clinic.example")
    assert configured_origins() == {"https://www.clinic.example", "https://clinic.example"}
    check = OriginCheck()
    assert check("https://www.clinic.example") and check("https://clinic.example")
    assert not check("http://127.0.0.1:8000") and not check("https://evil.example")
    monkeypatch.setenv("ALLOWED_ORIGINS", "*")
    assert not OriginCheck()("https://evil.example")
