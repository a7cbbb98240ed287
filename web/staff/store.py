"""The staff console's own records in the web app's SQLite database.

Sessions (only a hash of each session token is kept), failed logins for the
lock-out, the audit log of staff actions, and conversation reviews and tags.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from web.sqlite import SQLiteStore

SESSION_SECONDS = 8 * 3600
LOCKOUT_FAILURES = 5
# Receptionists may share one address, so it takes more failures to lock that out.
ADDRESS_LOCKOUT_FAILURES = 20
LOCKOUT_SECONDS = 15 * 60


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Session:
    user: str
    csrf: str


@dataclass(frozen=True)
class Review:
    sender_id: str
    reviewed_by: str | None
    tags: str


class StaffStore(SQLiteStore):
    SCHEMA = """
    CREATE TABLE IF NOT EXISTS staff_sessions (
        token_hash TEXT PRIMARY KEY, user TEXT NOT NULL, csrf TEXT NOT NULL,
        expires_at REAL NOT NULL);
    CREATE TABLE IF NOT EXISTS staff_login_failures (
        key TEXT NOT NULL, at REAL NOT NULL);
    CREATE INDEX IF NOT EXISTS staff_login_failures_key ON staff_login_failures (key, at);
    CREATE TABLE IF NOT EXISTS staff_audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, user TEXT NOT NULL,
        action TEXT NOT NULL, target TEXT NOT NULL DEFAULT '', ip TEXT NOT NULL DEFAULT '');
    CREATE TABLE IF NOT EXISTS staff_inbox (
        item_id TEXT PRIMARY KEY, decision TEXT NOT NULL, intent TEXT,
        decided_by TEXT NOT NULL, decided_at REAL NOT NULL);
    CREATE TABLE IF NOT EXISTS staff_reviews (
        sender_id TEXT PRIMARY KEY, reviewed_by TEXT, reviewed_at REAL,
        tags TEXT NOT NULL DEFAULT '');
    """

    # Sessions
    def open_session(self, user: str) -> tuple[str, Session]:
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self._connect() as db:
            db.execute("DELETE FROM staff_sessions WHERE expires_at < ?", (time.time(),))
            db.execute(
                "INSERT INTO staff_sessions VALUES (?, ?, ?, ?)",
                (_token_hash(token), user, csrf, time.time() + SESSION_SECONDS),
            )
        return token, Session(user, csrf)

    def session(self, token: str | None) -> Session | None:
        if not token:
            return None
        with self._connect() as db:
            row = db.execute(
                "SELECT user, csrf FROM staff_sessions WHERE token_hash = ? AND expires_at > ?",
                (_token_hash(token), time.time()),
            ).fetchone()
        return Session(row["user"], row["csrf"]) if row else None

    def close_session(self, token: str) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM staff_sessions WHERE token_hash = ?", (_token_hash(token),))

    # Lock-out: by user name and by address, so neither guessing pattern gets far.
    def locked_for(self, limits: dict[str, int]) -> float:
        """Seconds until a login is allowed again (0: now), given the most failures
        allowed per key within LOCKOUT_SECONDS, e.g. {"user:anna": 5, "ip:10.0.0.9": 20}."""
        since = time.time() - LOCKOUT_SECONDS
        wait = 0.0
        with self._connect() as db:
            for key, most in limits.items():
                rows = db.execute(
                    "SELECT at FROM staff_login_failures WHERE key = ? AND at > ? ORDER BY at",
                    (key, since),
                ).fetchall()
                if len(rows) >= most:
                    wait = max(wait, rows[-most]["at"] + LOCKOUT_SECONDS - time.time())
        return wait

    def record_failure(self, keys: list[str]) -> None:
        now = time.time()
        with self._connect() as db:
            db.execute("DELETE FROM staff_login_failures WHERE at < ?", (now - LOCKOUT_SECONDS,))
            db.executemany(
                "INSERT INTO staff_login_failures VALUES (?, ?)", [(k, now) for k in keys]
            )

    def clear_failures(self, keys: list[str]) -> None:
        with self._connect() as db:
            db.executemany("DELETE FROM staff_login_failures WHERE key = ?", [(k,) for k in keys])

    # Audit log
    def audit(self, user: str, action: str, target: str = "", ip: str = "") -> None:
        with self._connect() as db:
            db.execute(
                "INSERT INTO staff_audit (at, user, action, target, ip) VALUES (?, ?, ?, ?, ?)",
                (time.time(), user, action, target, ip),
            )

    def audit_log(self, limit: int = 200) -> list[dict]:
        with self._connect() as db:
            rows = db.execute("SELECT * FROM staff_audit ORDER BY id DESC LIMIT ?", (limit,))
            return [dict(row) for row in rows]

    # Reviews and tags
    def reviews(self) -> dict[str, Review]:
        with self._connect() as db:
            rows = db.execute("SELECT sender_id, reviewed_by, tags FROM staff_reviews")
            return {row["sender_id"]: Review(**dict(row)) for row in rows}

    def mark_reviewed(self, sender_id: str, user: str, tags: str) -> None:
        with self._connect() as db:
            db.execute(
                "INSERT INTO staff_reviews VALUES (?, ?, ?, ?) ON CONFLICT (sender_id) DO UPDATE"
                " SET reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at,"
                " tags = excluded.tags",
                (sender_id, user, time.time(), tags),
            )

    def forget_review(self, sender_id: str) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM staff_reviews WHERE sender_id = ?", (sender_id,))

    # NLU inbox decisions
    def decided_items(self) -> set[str]:
        with self._connect() as db:
            return {row["item_id"] for row in db.execute("SELECT item_id FROM staff_inbox")}

    def decide(self, item_id: str, decision: str, intent: str | None, user: str) -> None:
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO staff_inbox VALUES (?, ?, ?, ?, ?)",
                (item_id, decision, intent, user, time.time()),
            )
