"""Re-delivered provider messages are recognised (server/deliveries.py)."""

from __future__ import annotations

import uuid

from server.deliveries import (
    MemoryDeliveries,
    RedisDeliveries,
    deliveries_from_env,
)
from tests.integration.servers import free_port
from tests.integration.services import redis_address


async def test_memory_knows_a_message_it_has_seen() -> None:
    seen = MemoryDeliveries()
    assert await seen.first("telegram:1") is True
    assert await seen.first("telegram:1") is False
    assert await seen.first("telegram:2") is True


async def test_memory_is_bounded_in_count_and_time() -> None:
    seen = MemoryDeliveries(keep_ids=2)
    for message_id in ("a", "b", "c"):
        assert await seen.first(message_id)
    assert await seen.first("a") is True  # forgotten: the oldest of three
    assert len(seen._seen) == 2
    expiring = MemoryDeliveries(keep_seconds=0)
    assert await expiring.first("a") and await expiring.first("a")


def test_redis_when_the_lock_store_is_redis() -> None:
    assert isinstance(deliveries_from_env({}), MemoryDeliveries)
    assert isinstance(deliveries_from_env({"LOCK_STORE_TYPE": "in_memory"}), MemoryDeliveries)
    chosen = deliveries_from_env(
        {"LOCK_STORE_TYPE": "redis", "LOCK_STORE_HOST": "redis.internal", "LOCK_STORE_PORT": "6380"}
    )
    assert isinstance(chosen, RedisDeliveries)
    assert (chosen.host, chosen.port) == ("redis.internal", 6380)
    atomic = deliveries_from_env({"LOCK_STORE_TYPE": "server.lock_store.AtomicRedisLockStore"})
    assert isinstance(atomic, RedisDeliveries) and (atomic.host, atomic.port) == ("127.0.0.1", 6379)


async def test_redis_shares_what_it_has_seen_between_servers() -> None:
    one, other = RedisDeliveries(*redis_address()), RedisDeliveries(*redis_address())
    message_id = f"test:{uuid.uuid4().hex}"
    assert await one.first(message_id) is True
    assert await other.first(message_id) is False


async def test_unreachable_redis_lets_the_message_through() -> None:
    nobody_listens = free_port()
    assert await RedisDeliveries("127.0.0.1", nobody_listens).first("twilio:SM1") is True
