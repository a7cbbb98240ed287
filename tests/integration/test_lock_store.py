"""Several processes take turns on one conversation through the Redis lock store.

Each worker is its own process with its own AtomicRedisLockStore, as several Rasa
servers are. Inside the lock a worker does a deliberately slow read-change-write
of a counter in Redis: it only adds up if no two workers were ever inside at once.
"""

import asyncio
import multiprocessing
import uuid

from rasa.utils.endpoints import EndpointConfig

from server.lock_store import AtomicRedisLockStore
from tests.integration.services import REDIS_HOST, REDIS_PORT, require_redis

WORKERS = 4
TURNS_PER_WORKER = 12


def lock_store() -> AtomicRedisLockStore:
    return AtomicRedisLockStore(EndpointConfig(url=REDIS_HOST, port=REDIS_PORT))


async def take_turns(conversation: str, counter: str) -> None:
    store = lock_store()
    for _ in range(TURNS_PER_WORKER):
        async with store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.01):
            seen = int(store.red.get(counter) or 0)
            await asyncio.sleep(0.005)
            store.red.set(counter, seen + 1, ex=300)


def worker(conversation: str, counter: str) -> None:
    asyncio.run(take_turns(conversation, counter))


def test_one_conversation_is_served_by_one_process_at_a_time():
    require_redis()
    conversation = f"lock-{uuid.uuid4().hex[:8]}"
    counter = f"test:counter:{conversation}"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=worker, args=(conversation, counter)) for _ in range(WORKERS)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
    assert [process.exitcode for process in workers] == [0] * WORKERS, "a worker failed"
    store = lock_store()
    assert int(store.red.get(counter)) == WORKERS * TURNS_PER_WORKER, "two workers overlapped"
    # The last one out deletes the lock: nothing is left behind in Redis.
    assert store.get_lock(conversation) is None
    store.red.delete(counter)
