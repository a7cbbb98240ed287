"""Conversations held until consent (server/pending_conversations.py)."""

from __future__ import annotations

import uuid

import redis

from server.deliveries import REDIS_DB
from server.pending_conversations import (
    REDIS_PREFIX,
    MemoryPendingConversations,
    RedisPendingConversations,
    pending_from_env,
)
from tests.integration.services import REDIS_HOST, REDIS_PORT, require_redis


async def test_memory_holds_replaces_and_discards() -> None:
    held = MemoryPendingConversations()
    assert await held.get("a") is None and not await held.holds("a")
    await held.put("a", "[1]")
    await held.put("a", "[1, 2]")
    assert await held.get("a") == "[1, 2]" and await held.holds("a")
    assert await held.senders() == ["a"]
    await held.discard("a")
    assert await held.get("a") is None


async def test_memory_is_bounded_in_count_and_time() -> None:
    held = MemoryPendingConversations(keep_conversations=2)
    for sender in ("a", "b", "c"):
        await held.put(sender, "[]")
    assert await held.senders() == ["b", "c"]  # the least recently used is forgotten
    expiring = MemoryPendingConversations(keep_seconds=0)
    await expiring.put("a", "[]")
    assert await expiring.get("a") is None and not await expiring.holds("a")


def test_redis_when_the_lock_store_is_redis() -> None:
    assert isinstance(pending_from_env({}), MemoryPendingConversations)
    chosen = pending_from_env(
        {
            "LOCK_STORE_TYPE": "server.lock_store.AtomicRedisLockStore",
            "LOCK_STORE_HOST": "redis.internal",
            "LOCK_STORE_PORT": "6380",
            "PENDING_CONVERSATION_SECONDS": "600",
        }
    )
    assert isinstance(chosen, RedisPendingConversations)
    assert (chosen.host, chosen.port, chosen.keep_seconds) == ("redis.internal", 6380, 600)


async def test_redis_shares_held_conversations_between_servers_and_expires_them() -> None:
    require_redis()
    one = RedisPendingConversations(REDIS_HOST, int(REDIS_PORT), keep_seconds=30)
    other = RedisPendingConversations(REDIS_HOST, int(REDIS_PORT), keep_seconds=30)
    sender = f"test-{uuid.uuid4().hex}"
    await one.put(sender, '[{"event": "user"}]')
    assert await other.get(sender) == '[{"event": "user"}]' and await other.holds(sender)
    assert sender in await other.senders()
    expiry = redis.Redis(host=REDIS_HOST, port=int(REDIS_PORT), db=REDIS_DB).ttl(
        REDIS_PREFIX + sender
    )
    assert 0 < expiry <= 30
    await other.discard(sender)
    assert await one.get(sender) is None and not await one.holds(sender)
