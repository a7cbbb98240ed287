"""Rasa's Redis lock store, with every change to a conversation's lock made atomic.

Rasa 3.6's RedisLockStore reads a conversation's ticket lock, changes it in Python
and writes it back in separate calls. Two servers doing that at once overwrite
each other's tickets: both handle the same conversation together, or one finds
its lock deleted under it and drops the message with a LockError. Here each
read-change-write runs in a Redis transaction (WATCH/MULTI/EXEC) that Redis
retries when another server wrote the lock in between. The ticket algorithm and
the data in Redis stay Rasa's own.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.client import Pipeline

# Returns the lock to save, or None to delete it.
LockChange = Callable[[TicketLock], "TicketLock | None"]


class AtomicRedisLockStore(RedisLockStore):
    """endpoints.yml: ``lock_store: {type: server.lock_store.AtomicRedisLockStore, url, port}``."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    def _change(self, conversation_id: str, change: LockChange, create: bool = False) -> None:
        key = self.key_prefix + conversation_id

        def transaction(pipe: Pipeline) -> None:
            stored = pipe.get(key)
            if stored is None and not create:
                return
            lock = (
                TicketLock.from_dict(json.loads(stored))
                if stored is not None
                else self.create_lock(conversation_id)
            )
            changed = change(lock)
            pipe.multi()
            if changed is None:
                pipe.delete(key)
            else:
                pipe.set(key, changed.dumps())

        self.red.transaction(transaction, key)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        tickets: list[int] = []

        def issue(lock: TicketLock) -> TicketLock:
            tickets[:] = [lock.issue_ticket(lock_lifetime)]
            return lock

        try:
            self._change(conversation_id, issue, create=True)
        except Exception as error:  # Rasa's own contract: any failure is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        return tickets[0]

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock) -> TicketLock:
            lock.remove_expired_tickets()
            return lock

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def remove_ticket(lock: TicketLock) -> TicketLock:
            lock.remove_ticket_for(ticket_number)
            return lock

        self._change(conversation_id, remove_ticket)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # Deleting only when nobody waits must be decided in the same transaction:
        # a ticket issued in between would otherwise be deleted with the lock.
        def remove_ticket_or_lock(lock: TicketLock) -> TicketLock | None:
            lock.remove_ticket_for(ticket_number)
            return lock if lock.is_someone_waiting() else None

        self._change(conversation_id, remove_ticket_or_lock)
