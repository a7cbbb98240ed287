"""``python -m retrain`` (`make retrain`) and ``python -m retrain rollback NAME``.

Progress goes to the terminal and to var/retrain/status.json, which the staff
console shows while a retraining it started runs in the background.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import requests

from retrain.pipeline import Refused, RetrainSettings, retrain, rollback

STATUS = Path(os.environ.get("RETRAIN_STATUS", "var/retrain/status.json"))


def write_status(**status: object) -> None:
    STATUS.parent.mkdir(parents=True, exist_ok=True)
    temporary = STATUS.with_suffix(".tmp")
    temporary.write_text(json.dumps({**status, "updated": time.time()}), encoding="utf-8")
    os.replace(temporary, STATUS)


def main() -> int:
    parser = argparse.ArgumentParser(description="Retrain with gates, or roll back.")
    parser.add_argument("command", nargs="?", default="retrain", choices=["retrain", "rollback"])
    parser.add_argument("name", nargs="?", help="the model to roll back to")
    args = parser.parse_args()
    settings = RetrainSettings.from_environment()
    if args.command == "rollback":
        try:
            rollback(settings, args.name or "")
        except Refused as refusal:
            print(f"Not rolled back: {refusal}.")
            return 1
        print(f"{args.name} is live again.")
        return 0

    steps: list[str] = []

    def say(message: str) -> None:
        print(message, flush=True)
        steps.append(message)
        write_status(state="running", pid=os.getpid(), steps=steps)

    try:
        record = retrain(settings, say)
    except requests.ConnectionError:
        reason = (
            f"the Rasa server does not answer at {settings.rasa_url}: start it (make run) and"
            " set RASA_AUTH_TOKEN to its token"
        )
        write_status(state="failed", steps=steps, reason=reason)
        print(f"Not retrained: {reason}.")
        return 2
    except Exception as error:  # the console must show that it stopped, and why
        write_status(state="failed", steps=steps, reason=f"{error.__class__.__name__}: {error}")
        raise
    write_status(state=record.status, steps=steps, reason=record.reason, model=record.name)
    return 0 if record.status == "active" else 1


if __name__ == "__main__":
    raise SystemExit(main())
