"""The rate limiter, the client address behind proxies, the wrapper and the origin check."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

import pytest

from server.origins import OriginCheck, configured_origins
from server.rate_limit import Limits, RateLimiter, client_ip, parse_networks, rate_limited


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


def test_limits_from_the_environment(monkeypatch):
    monkeypatch.setenv("RATE_LIMIT_PER_SENDER", "7")
    monkeypatch.setenv("RATE_LIMIT_PER_IP", "not a number")
    monkeypatch.delenv("RATE_LIMIT_EXEMPT", raising=False)
    limits = Limits.from_env()
    assert limits.per_sender.limit == 7
    assert limits.per_ip.limit == 120  # the default, with a warning
    assert limits.allow_ip("127.0.0.1") and limits.allow_ip("::1")  # loopback exempt
    monkeypatch.setenv("RATE_LIMIT_PER_IP", "1")
    monkeypatch.setenv("RATE_LIMIT_EXEMPT", "")
    limits = Limits.from_env()
    assert limits.allow_ip("127.0.0.1") and not limits.allow_ip("127.0.0.1")


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
