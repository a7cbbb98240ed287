"""Which provider messages have already come in, so a re-delivered one runs once.

Telegram, Twilio and Facebook deliver a webhook again when the first delivery
timed out or failed. Each message has the provider's id (Telegram's update_id,
Twilio's MessageSid, Messenger's mid); the first delivery of an id is handled,
later ones are acknowledged and dropped.

- With a Redis lock store (several Rasa servers sharing conversations:
  ``LOCK_STORE_TYPE=redis`` or ``server.lock_store.AtomicRedisLockStore``) the
  ids are kept in that Redis (LOCK_STORE_HOST, LOCK_STORE_PORT) with
  ``SET NX EX``: whichever server sees an id first handles it, the others drop it.
- Otherwise they are kept in this process: the last 10,000 ids, for a day.
  That covers one server; behind a load balancer use Redis.

An id is marked when the message arrives, before it is handled: a retry that
comes while the first delivery is still being answered is dropped too. When
Redis cannot be reached the message is handled, as answering twice is better
than not answering.
"""

from __future__ import annotations

import logging
import os
import time
from collections import OrderedDict
from collections.abc import Mapping
from typing import Protocol

from redis import asyncio as aioredis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

KEEP_SECONDS = 24 * 60 * 60  # providers stop retrying long before (Telegram: about a day)
KEEP_IDS = 10_000
REDIS_PREFIX = "clinic:delivered:"
REDIS_DB = 1  # Rasa's Redis lock store's default database


class Deliveries(Protocol):
    async def first(self, message_id: str) -> bool:
        """True the first time ``message_id`` is seen, False for a re-delivery."""
        ...


class MemoryDeliveries:
    def __init__(self, keep_ids: int = KEEP_IDS, keep_seconds: float = KEEP_SECONDS) -> None:
        self.keep_ids = keep_ids
        self.keep_seconds = keep_seconds
        self._seen: OrderedDict[str, float] = OrderedDict()  # id -> when it expires

    async def first(self, message_id: str) -> bool:
        now = time.monotonic()
        while self._seen and next(iter(self._seen.values())) <= now:
            self._seen.popitem(last=False)
        if message_id in self._seen:
            return False
        self._seen[message_id] = now + self.keep_seconds
        if len(self._seen) > self.keep_ids:
            self._seen.popitem(last=False)
        return True


class RedisDeliveries:
    def __init__(self, host: str, port: int, keep_seconds: int = KEEP_SECONDS) -> None:
        self.host, self.port, self.keep_seconds = host, port, keep_seconds
        # Made on first use, inside the server's event loop.
        self._redis: aioredis.Redis | None = None

    async def first(self, message_id: str) -> bool:
        if self._redis is None:
            self._redis = redis_client(self.host, self.port)
        try:
            added = await self._redis.set(
                REDIS_PREFIX + message_id, 1, nx=True, ex=self.keep_seconds
            )
        except (RedisError, OSError) as error:
            logger.warning("Redis unreachable (%s): handling the message anyway", type(error))
            return True
        return bool(added)


def shared_redis(environ: Mapping[str, str] = os.environ) -> tuple[str, int] | None:
    """The lock store's Redis (host, port) when several Rasa servers share conversations:
    LOCK_STORE_TYPE "redis", or a Redis lock store class such as
    server.lock_store.AtomicRedisLockStore. None with the in-memory lock store."""
    if "redis" not in environ.get("LOCK_STORE_TYPE", "").lower():
        return None
    return environ.get("LOCK_STORE_HOST") or "127.0.0.1", int(
        environ.get("LOCK_STORE_PORT") or 6379
    )


def redis_client(host: str, port: int) -> aioredis.Redis:
    """A client of the lock store's Redis for what this project keeps there
    (deliveries, held conversations, rate limits); make it inside the event loop."""
    return aioredis.Redis(host=host, port=port, db=REDIS_DB, socket_timeout=2)


def deliveries_from_env(environ: Mapping[str, str] = os.environ) -> Deliveries:
    redis = shared_redis(environ)
    return RedisDeliveries(*redis) if redis else MemoryDeliveries()
