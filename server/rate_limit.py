"""Per-sender and per-IP rate limits for the public channels (plain Python, no Rasa).

A token bucket per key: up to ``limit`` messages at once, refilled at ``limit`` per
minute. A limited message is answered politely (the clinic's phone number and the
999 advice) and never handled: no NLU, no tracker write, no action call.

With a Redis lock store (several Rasa servers sharing conversations, see
server/deliveries.py ``shared_redis``) the buckets are kept in that Redis, so the
limits hold across servers; otherwise each server process counts on its own.

Settings:

- ``RATE_LIMIT_PER_SENDER`` (default 30 a minute): per conversation and channel.
- ``RATE_LIMIT_PER_IP`` (default 120 a minute): per client address, REST messages
  and socket.io connections and messages together.
- ``TRUSTED_PROXIES`` (default none): addresses or networks of reverse proxies whose
  ``X-Forwarded-For`` names the client; from anyone else the header is ignored.
- ``RATE_LIMIT_EXEMPT`` (default loopback): client networks never limited per IP.
  Loopback is either this machine (health checks, load tests) or a reverse proxy not
  declared in ``TRUSTED_PROXIES``, where one address stands for every visitor.

A limit of 0 turns that limit off.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from redis.exceptions import RedisError

from clinic.settings import ClinicSettings, load_settings
from server.deliveries import redis_client, shared_redis

if TYPE_CHECKING:  # only for type hints: this module does not need Rasa
    from rasa.core.channels.channel import UserMessage

logger = logging.getLogger(__name__)

DEFAULT_PER_SENDER = 30
DEFAULT_PER_IP = 120
DEFAULT_EXEMPT = "127.0.0.0/8,::1"
PERIOD_SECONDS = 60.0
# About 100 bytes a key: bounded at a few MB whatever the traffic.
MAX_KEYS = 20_000

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class Limiter(Protocol):
    limit: int

    async def take(self, key: str) -> bool:
        """Takes one token from ``key``'s bucket; False when it is empty."""
        ...


class RateLimiter:
    """Token buckets keyed by string, in least-recently-used order.

    Memory is bounded: keys whose bucket has refilled carry no information and
    are dropped as they age, and beyond ``max_keys`` the least recently seen key
    is forgotten (at worst that key gets a fresh allowance)."""

    def __init__(
        self,
        limit: int,
        period: float = PERIOD_SECONDS,
        max_keys: int = MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.period = period
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, time
        self._lock = threading.Lock()  # Sanic is single-threaded; tests may not be

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def __len__(self) -> int:
        return len(self._buckets)

    def _tokens(self, key: str, now: float) -> float:
        tokens, then = self._buckets.get(key, (float(self.limit), now))
        return min(float(self.limit), tokens + (now - then) * self.limit / self.period)

    def allow(self, key: str) -> bool:
        """Takes one token from ``key``'s bucket; False when it is empty."""
        if not self.enabled:
            return True
        with self._lock:
            now = self.clock()
            tokens = self._tokens(key, now)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            self._buckets.move_to_end(key)
            self._evict(now)
            return allowed

    async def take(self, key: str) -> bool:
        return self.allow(key)

    def retry_after(self, key: str) -> float:
        """Seconds until ``key`` may send again (0 if it may now)."""
        if not self.enabled:
            return 0.0
        with self._lock:
            missing = 1.0 - self._tokens(key, self.clock())
        return max(0.0, missing * self.period / self.limit)

    def _evict(self, now: float) -> None:
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        # The oldest keys first: stop at the first one still counting.
        while self._buckets:
            oldest = next(iter(self._buckets))
            if self._tokens(oldest, now) < self.limit:
                break
            del self._buckets[oldest]


# The same token bucket as RateLimiter, in one Redis hash per key, changed by one
# script so that servers taking tokens at once cannot both take the last one. The
# clock is Redis's own: the servers' clocks may differ. A bucket is full again
# ``period`` seconds after its last use, so it expires then.
_TAKE_TOKEN = """
local limit = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'time')
local tokens = tonumber(bucket[1]) or limit
local since = math.max(0, now - (tonumber(bucket[2]) or now))
tokens = math.min(limit, tokens + since * limit / period)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'time', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(period * 1000))
return allowed
"""
REDIS_PREFIX = "clinic:rate:"
_WARN_EVERY_SECONDS = 60.0


class RedisRateLimiter:
    """Token buckets shared by every server on one Redis. When Redis cannot be
    reached the message is let through (as for re-deliveries: answering a person
    matters more than limiting), with a warning at most once a minute."""

    def __init__(self, limit: int, host: str, port: int, period: float = PERIOD_SECONDS) -> None:
        self.limit, self.host, self.port, self.period = limit, host, port, period
        # Made on first use, inside the server's event loop.
        self._script: Any = None
        self._warned_at = float("-inf")

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    async def take(self, key: str) -> bool:
        if not self.enabled:
            return True
        if self._script is None:
            self._script = redis_client(self.host, self.port).register_script(_TAKE_TOKEN)
        try:
            taken = await self._script(keys=[REDIS_PREFIX + key], args=[self.limit, self.period])
            return bool(taken)
        except (RedisError, OSError) as error:
            if time.monotonic() - self._warned_at >= _WARN_EVERY_SECONDS:
                self._warned_at = time.monotonic()
                logger.warning("Redis unreachable (%s): rate limits not applied", type(error))
            return True


def _int_env(environ: Mapping[str, str], name: str, default: int) -> int:
    value = environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        logger.warning("%s is not a whole number: using %s.", name, default)
        return default


def parse_networks(text: str) -> list[Network]:
    """``"10.0.0.1, 192.168.0.0/16"`` as networks; anything unreadable is skipped."""
    networks = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            logger.warning("Ignored %r in an address list: not an address or network.", part)
    return networks


def _in(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(peer: str, forwarded_for: str | None, trusted_proxies: list[Network]) -> str:
    """The client's address: the peer's, or, when the peer is a trusted proxy, the
    last address in ``X-Forwarded-For`` that is not a trusted proxy (earlier ones
    could be forged by the client)."""
    if not forwarded_for or not _in(peer, trusted_proxies):
        return peer
    for hop in reversed([hop.strip() for hop in forwarded_for.split(",") if hop.strip()]):
        if not _in(hop, trusted_proxies):
            return hop
    return peer


@dataclass
class Limits:
    """The limiters of one server process, read from the environment."""

    per_sender: Limiter
    per_ip: Limiter
    trusted_proxies: list[Network]
    exempt: list[Network]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Limits:
        redis = shared_redis(environ)

        def limiter(name: str, default: int) -> Limiter:
            limit = _int_env(environ, name, default)
            return RedisRateLimiter(limit, *redis) if redis else RateLimiter(limit)

        return cls(
            per_sender=limiter("RATE_LIMIT_PER_SENDER", DEFAULT_PER_SENDER),
            per_ip=limiter("RATE_LIMIT_PER_IP", DEFAULT_PER_IP),
            trusted_proxies=parse_networks(environ.get("TRUSTED_PROXIES", "")),
            exempt=parse_networks(environ.get("RATE_LIMIT_EXEMPT", DEFAULT_EXEMPT)),
        )

    @functools.cached_property
    def answer(self) -> str:
        """The polite answer, read once: under a flood it is sent many times."""
        return limited_message(load_settings())

    def client_ip(self, peer: str, forwarded_for: str | None) -> str:
        return client_ip(peer, forwarded_for, self.trusted_proxies)

    async def allow_ip(self, ip: str) -> bool:
        if _in(ip, self.exempt) or await self.per_ip.take(f"ip:{ip}"):
            return True
        logger.warning("Rate limit per IP reached: message not handled.")
        return False

    async def allow_sender(self, channel: str | None, sender_id: str) -> bool:
        if await self.per_sender.take(f"{channel}:{sender_id}"):
            return True
        # No sender id or address in the log: the count of limited messages is enough.
        logger.warning("Rate limit per sender reached on %s: message not handled.", channel)
        return False


_limits: Limits | None = None


def limits() -> Limits:
    """The process's limiters, made on first use (never at import)."""
    global _limits
    if _limits is None:
        _limits = Limits.from_env()
    return _limits


def limited_message(settings: ClinicSettings) -> str:
    return (
        "Sorry, that's more messages than I can read at once. Please wait a minute "
        f"and try again, or call {settings.name} on {settings.phone}. "
        "If it's an emergency, call 999."
    )


Handler = Callable[["UserMessage"], Awaitable[Any]]


def rate_limited(on_new_message: Handler, get_limits: Callable[[], Limits] = limits) -> Handler:
    """``on_new_message`` behind the per-sender limit: over it, the person gets the
    polite limited answer on the same channel and the message is not handled at all.
    Put it outermost (``rate_limited(always_answer(handler))``) so that a limited
    message costs nothing."""

    async def handle(message: UserMessage) -> Any:
        if await get_limits().allow_sender(message.input_channel, str(message.sender_id)):
            return await on_new_message(message)
        await message.output_channel.send_text_message(message.sender_id, get_limits().answer)
        return None

    return handle
