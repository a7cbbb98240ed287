"""This machine kind's PostgreSQL and Redis, for the tests that need them.

TEST_POSTGRES_URL and TEST_REDIS_HOST/PORT override where they are. A test that
cannot reach one skips, saying why, and fails instead under REQUIRE_SERVICES=1
(as .ci/run sets).
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg2
import pytest
import redis

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_HOST = os.environ.get("TEST_REDIS_HOST", "127.0.0.1")
REDIS_PORT = os.environ.get("TEST_REDIS_PORT", "6379")


def unreachable(service: str, error: Exception) -> None:
    reason = f"{service} is unreachable ({error.__class__.__name__}: {error})"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason}, and REQUIRE_SERVICES=1")
    pytest.skip(reason)


def require_redis() -> redis.Redis:
    client = redis.Redis(host=REDIS_HOST, port=int(REDIS_PORT), socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        unreachable("Redis", error)
    return client


def redis_address() -> tuple[str, int]:
    """Host and port of a Redis that answers (skips or fails as above otherwise)."""
    require_redis().close()
    return REDIS_HOST, int(REDIS_PORT)


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new PostgreSQL database for one test module, dropped afterwards: its URL."""
    name = f"clinic_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg2.connect(POSTGRES_URL, connect_timeout=5)
    except psycopg2.OperationalError as error:
        unreachable("PostgreSQL", error)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
