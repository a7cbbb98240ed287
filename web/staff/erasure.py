"""Erasure of one person's conversation, and retention: purge what is too old.

``python -m web.staff.erasure erase SENDER_ID`` and ``python -m web.staff.erasure
purge`` (``make purge``) do the same as the console, from the command line. Both
delete the tracker store's events, the booking hand-offs of the conversation's
references and the console's review of it.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from clinic.settings import load_settings
from web.handoffs import HandoffStore
from web.staff.conversations import TrackerStoreReader
from web.staff.store import StaffStore


@dataclass
class Stores:
    tracker: TrackerStoreReader
    handoffs: HandoffStore
    staff: StaffStore

    @classmethod
    def from_environment(cls) -> Stores:
        web_db = Path(os.environ.get("WEB_DB", "var/web.db"))
        stores = cls(
            TrackerStoreReader(os.environ.get("TRACKER_STORE_URL", "sqlite:///var/tracker.db")),
            HandoffStore(web_db),
            StaffStore(web_db),
        )
        stores.handoffs.create()
        stores.staff.create()
        return stores


def erase(stores: Stores, sender_id: str) -> int:
    """Delete everything kept about one conversation; returns the events deleted."""
    conversation = stores.tracker.conversation(sender_id)
    references = []
    if conversation:
        references = sorted(
            {str(t.slots["reference"]) for t in conversation.turns if t.slots.get("reference")}
        )
    if references:
        stores.handoffs.erase(references)
    stores.staff.forget_review(sender_id)
    return stores.tracker.erase(sender_id)


def purge(stores: Stores, retention_days: int, now: datetime | None = None) -> list[str]:
    """Erase every conversation whose last message is older than ``retention_days``."""
    cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=retention_days)
    expired = stores.tracker.expired_senders(cutoff)
    for sender_id in expired:
        erase(stores, sender_id)
    return expired


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("purge", help="erase conversations older than retention_days")
    erase_parser = commands.add_parser("erase", help="erase one conversation")
    erase_parser.add_argument("sender_id")
    args = parser.parse_args()
    stores = Stores.from_environment()
    if args.command == "erase":
        deleted = erase(stores, args.sender_id)
        stores.staff.audit("command line", "erase", args.sender_id)
        print(f"Erased conversation {args.sender_id} ({deleted} events).")
    else:
        days = load_settings().retention_days
        expired = purge(stores, days)
        stores.staff.audit("command line", "purge", f"{len(expired)} conversations")
        print(f"Purged {len(expired)} conversations older than {days} days.")


if __name__ == "__main__":
    main()
