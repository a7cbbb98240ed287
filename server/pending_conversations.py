"""Conversations without consent, held outside the database until they expire.

Rasa stores every message before any action has run, so the consent slot
cannot stop the first words reaching the tracker store. Instead the tracker
store (server/tracker_store.py) writes a conversation to its database only once
the person has consented, and holds it here until then:

- With a Redis lock store (several Rasa servers sharing conversations:
  ``LOCK_STORE_TYPE=redis`` or ``server.lock_store.AtomicRedisLockStore``) in
  that Redis (LOCK_STORE_HOST, LOCK_STORE_PORT), so every server sees it.
- Otherwise in this process: at most 10,000 conversations.

Either way a conversation is forgotten PENDING_CONVERSATION_SECONDS (default
an hour, Rasa's session length in domain.yml) after its last message: a
declined conversation leaves nothing behind.
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from collections.abc import Mapping
from typing import Protocol

from redis import asyncio as aioredis

from server.deliveries import redis_client, shared_redis

KEEP_SECONDS = 60 * 60
KEEP_CONVERSATIONS = 10_000
REDIS_PREFIX = "clinic:pending:"


class PendingConversations(Protocol):
    async def get(self, sender_id: str) -> str | None:
        """The conversation's events as JSON text, or None when not held."""
        ...

    async def holds(self, sender_id: str) -> bool: ...

    async def put(self, sender_id: str, events: str) -> None: ...

    async def discard(self, sender_id: str) -> None: ...

    async def senders(self) -> list[str]: ...


class MemoryPendingConversations:
    def __init__(
        self, keep_conversations: int = KEEP_CONVERSATIONS, keep_seconds: float = KEEP_SECONDS
    ) -> None:
        self.keep_conversations = keep_conversations
        self.keep_seconds = keep_seconds
        self._held: OrderedDict[str, tuple[float, str]] = OrderedDict()  # -> (expiry, events)

    def _expire(self) -> None:
        now = time.monotonic()
        while self._held and next(iter(self._held.values()))[0] <= now:
            self._held.popitem(last=False)

    async def get(self, sender_id: str) -> str | None:
        self._expire()
        held = self._held.get(sender_id)
        return held[1] if held else None

    async def holds(self, sender_id: str) -> bool:
        self._expire()
        return sender_id in self._held

    async def put(self, sender_id: str, events: str) -> None:
        self._held.pop(sender_id, None)  # to the end: the most recently used
        self._held[sender_id] = (time.monotonic() + self.keep_seconds, events)
        while len(self._held) > self.keep_conversations:
            self._held.popitem(last=False)

    async def discard(self, sender_id: str) -> None:
        self._held.pop(sender_id, None)

    async def senders(self) -> list[str]:
        self._expire()
        return list(self._held)


class RedisPendingConversations:
    def __init__(self, host: str, port: int, keep_seconds: int = KEEP_SECONDS) -> None:
        self.host, self.port, self.keep_seconds = host, port, keep_seconds
        # Made on first use, inside the server's event loop.
        self._client: aioredis.Redis | None = None

    @property
    def _redis(self) -> aioredis.Redis:
        if self._client is None:
            self._client = redis_client(self.host, self.port)
        return self._client

    async def get(self, sender_id: str) -> str | None:
        stored = await self._redis.get(REDIS_PREFIX + sender_id)
        return stored.decode() if stored is not None else None

    async def holds(self, sender_id: str) -> bool:
        return bool(await self._redis.exists(REDIS_PREFIX + sender_id))

    async def put(self, sender_id: str, events: str) -> None:
        await self._redis.set(REDIS_PREFIX + sender_id, events, ex=self.keep_seconds)

    async def discard(self, sender_id: str) -> None:
        await self._redis.delete(REDIS_PREFIX + sender_id)

    async def senders(self) -> list[str]:
        return [
            key.decode()[len(REDIS_PREFIX) :]
            async for key in self._redis.scan_iter(match=REDIS_PREFIX + "*")
        ]


def pending_from_env(environ: Mapping[str, str] = os.environ) -> PendingConversations:
    keep_seconds = int(environ.get("PENDING_CONVERSATION_SECONDS") or KEEP_SECONDS)
    redis = shared_redis(environ)
    if redis:
        return RedisPendingConversations(*redis, keep_seconds)
    return MemoryPendingConversations(keep_seconds=keep_seconds)
