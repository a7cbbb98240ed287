"""The console's side of retraining: start `python -m retrain` in the background,
read its progress, roll back. The pipeline itself is retrain/pipeline.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from retrain.__main__ import STATUS
from retrain.history import ModelRecord
from retrain.pipeline import RetrainSettings

ROOT = Path(__file__).resolve().parents[2]


def status() -> dict[str, Any]:
    try:
        return json.loads(STATUS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _alive(pid: object) -> bool:
    if not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def running() -> bool:
    current = status()
    return current.get("state") == "running" and _alive(current.get("pid"))


def start() -> bool:
    """Start a retraining unless one runs; False when one already does."""
    if running():
        return False
    STATUS.parent.mkdir(parents=True, exist_ok=True)
    log = (STATUS.parent / "retrain.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "retrain"],
        cwd=ROOT,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # outlives a restart of the web app
    )
    STATUS.write_text(
        json.dumps({"state": "running", "pid": process.pid, "steps": ["Starting"]}),
        encoding="utf-8",
    )
    return True


def history() -> list[ModelRecord]:
    return list(reversed(RetrainSettings.from_environment().history.records()))
