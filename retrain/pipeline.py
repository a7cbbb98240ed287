"""`make retrain`: a new model goes live only when every gate passes.

1. `rasa data validate`: a broken training file stops everything.
2. Train: fine-tune the live model when Rasa allows it (same domain and
   config), full training otherwise.
3. Gates: every test story passes (`rasa test core`), and on the held-out NLU
   set the new model is not worse than the live one: red-flag recall never
   lower, negation errors never more, intent macro-F1 down by at most the
   tolerance.
4. Activate through Rasa's HTTP API (`PUT /model`, with the token): no downtime.
5. Record it in the model history, refused models too, with the reason.

The live model stays live whenever a step fails.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import requests

from retrain.history import ModelHistory, ModelRecord

ROOT = Path(__file__).resolve().parents[1]
RASA = ROOT / ".venv" / "bin" / "rasa"
# Files of previous models kept for a rollback (their records are all kept).
KEEP_PREVIOUS_MODELS = 5
Say = Callable[[str], None]


class Refused(Exception):
    """A gate failed: the message says which and why, in plain words."""


@dataclass(frozen=True)
class RetrainSettings:
    project_dir: Path
    models_dir: Path
    rasa_url: str
    token: str
    tolerance: float = 0.02
    epoch_fraction: float = 0.5

    @classmethod
    def from_environment(cls) -> RetrainSettings:
        host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("RASA_PORT", "5005")
        return cls(
            project_dir=Path(os.environ.get("CLINIC_PROJECT_DIR") or ROOT),
            models_dir=Path(os.environ.get("MODELS_DIR") or ROOT / "models"),
            rasa_url=os.environ.get("RASA_API_URL") or f"http://{host}:{port}",
            token=os.environ.get("RASA_AUTH_TOKEN", ""),
            tolerance=float(os.environ.get("RETRAIN_TOLERANCE", "0.02")),
            epoch_fraction=float(os.environ.get("RETRAIN_EPOCH_FRACTION", "0.5")),
        )

    def project_file(self, relative: str) -> Path:
        """The project's copy of a file, or the repository's when it has none."""
        path = self.project_dir / relative
        return path if path.exists() else ROOT / relative

    @property
    def history(self) -> ModelHistory:
        return ModelHistory(self.models_dir / "history" / "history.json")


def _rasa(args: list[str], timeout: float = 3600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [str(RASA), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def _problem(run: subprocess.CompletedProcess[str]) -> str:
    """The lines of Rasa's output that say what is wrong, without the noise."""
    output = re.sub(r"\x1b\[[0-9;]*m", "", run.stdout + "\n" + run.stderr)  # colours
    lines = output.splitlines()
    keep = [
        line.strip()
        for line in lines
        if any(word in line for word in ("Error", "ERROR", "Exception", "invalid", "Failed"))
        and "Warning" not in line
    ]
    return " ".join(keep[-3:])[:600] or "see the retraining log"


def live_model(settings: RetrainSettings) -> Path:
    answer = requests.get(
        f"{settings.rasa_url}/status", params={"token": settings.token}, timeout=30
    )
    answer.raise_for_status()
    # Rasa reports the archive's file name only; find the file where models are kept.
    reported = Path(answer.json()["model_file"])
    if reported.is_absolute():
        return reported
    for folder in (settings.models_dir / "history", settings.models_dir, ROOT / "models"):
        if (folder / reported.name).exists():
            return folder / reported.name
    return reported


def activate(settings: RetrainSettings, model: Path) -> None:
    """Load ``model`` into the running Rasa server and check that it took."""
    answer = requests.put(
        f"{settings.rasa_url}/model",
        params={"token": settings.token},
        json={"model_file": str(model.resolve())},
        timeout=600,
    )
    if answer.status_code != 204:
        raise Refused(f"the Rasa server did not load the model ({answer.status_code})")
    if live_model(settings).resolve() != model.resolve():
        raise Refused("the Rasa server still runs another model")


def validate(settings: RetrainSettings) -> None:
    run = _rasa(
        [
            "data", "validate", "--fail-on-warnings",
            "--domain", str(settings.project_file("domain.yml")),
            "--data", str(settings.project_dir / "data"),
            "--config", str(settings.project_file("config.yml")),
        ],
        timeout=600,
    )  # fmt: skip
    if run.returncode != 0:
        raise Refused(f"the training data is not valid: {_problem(run)}")


def train(settings: RetrainSettings, live: Path, name: str, say: Say) -> tuple[Path, str]:
    out = settings.models_dir / "history"
    common = [
        "train",
        "--domain", str(settings.project_file("domain.yml")),
        "--data", str(settings.project_dir / "data"),
        "--config", str(settings.project_file("config.yml")),
        "--out", str(out),
        "--fixed-model-name", name,
    ]  # fmt: skip
    fraction = str(settings.epoch_fraction)
    run = _rasa([*common, "--finetune", str(live), "--epoch-fraction", fraction])
    if run.returncode == 0 and (out / f"{name}.tar.gz").exists():
        return out / f"{name}.tar.gz", f"fine-tuned from {live.name}"
    say(f"Fine-tuning was not possible ({_problem(run)}); training from scratch.")
    run = _rasa(common)
    if run.returncode != 0:
        raise Refused(f"training failed: {_problem(run)}")
    return out / f"{name}.tar.gz", "full training"


def test_stories(settings: RetrainSettings, model: Path) -> float:
    stories = settings.project_dir / "tests" / "stories"
    if not stories.exists():
        stories = ROOT / "tests" / "stories"
    with tempfile.TemporaryDirectory() as out:
        run = _rasa(
            [
                "test", "core", "--model", str(model), "--stories", str(stories),
                "--endpoints", str(ROOT / "endpoints.yml"), "--out", out, "--no-plot",
                "--fail-on-prediction-errors",
            ],
            timeout=1800,
        )  # fmt: skip
        failed = Path(out) / "failed_test_stories.yml"
        names = [
            line.split("story:", 1)[1].strip()
            for line in (failed.read_text().splitlines() if failed.exists() else [])
            if "story:" in line
        ]
        if run.returncode != 0 or names:
            which = ", ".join(names[:5]) or _problem(run)
            raise Refused(f"test stories failed: {which}")
        report = json.loads((Path(out) / "story_report.json").read_text())
    return float(report["conversation_accuracy"]["accuracy"])


def nlu_figures(settings: RetrainSettings, models: dict[str, Path]) -> dict[str, dict[str, Any]]:
    """Held-out figures of each model, parsed in this process as `make eval` does."""
    from scripts.evaluate_nlu import (
        Prediction,
        _parse_all,
        _quiet_rasa,
        intent_label,
        load_heldout,
        score,
        triples_from_entities,
    )

    items = load_heldout(settings.project_file("tests/nlu_heldout.yml"))
    _quiet_rasa()  # Rasa logs every parsed text at debug level: patients' words stay out
    parsed = asyncio.run(_parse_all(models, [item.text for item in items]))
    figures = {}
    for name, results in parsed.items():
        predictions = [
            Prediction(intent_label(p), triples_from_entities(p.get("entities") or []))
            for p, _ in results
        ]
        scores = score(items, predictions)
        figures[name] = {
            "intent_macro_f1": round(scores["intent_macro_f1"], 4),
            "red_flag_recall": round(scores["red_flag"]["recall"], 4),
            "negation_errors": scores["negation"]["count"],
        }
    return figures


def gate(new: dict[str, Any], live: dict[str, Any], tolerance: float) -> None:
    problems = []
    if new["red_flag_recall"] < live["red_flag_recall"]:
        problems.append(
            f"red-flag recall fell from {live['red_flag_recall']:.2f}"
            f" to {new['red_flag_recall']:.2f}"
        )
    if new["negation_errors"] > live["negation_errors"]:
        problems.append(
            f"negation errors rose from {live['negation_errors']} to {new['negation_errors']}"
        )
    if new["intent_macro_f1"] < live["intent_macro_f1"] - tolerance:
        problems.append(
            f"intent macro-F1 fell from {live['intent_macro_f1']:.3f} to"
            f" {new['intent_macro_f1']:.3f} (tolerance {tolerance})"
        )
    if problems:
        raise Refused("the new model is worse: " + "; ".join(problems))


def retrain(settings: RetrainSettings, say: Say = print) -> ModelRecord:
    """Run every step; returns the new model's record (active, or refused with the reason)."""
    history = settings.history
    live = live_model(settings)
    if history.get(live.name.removesuffix(".tar.gz")) is None:
        history.add(ModelRecord(live.name.removesuffix(".tar.gz"), str(live), "", "active", "live"))
    name = "model-" + datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    record = ModelRecord(name, "", datetime.now(timezone.utc).isoformat(timespec="seconds"), "")
    try:
        say("1/5 Checking the training data")
        validate(settings)
        say("2/5 Training")
        model, record.how = train(settings, live, name, say)
        record.path = str(model)
        say("3/5 Running the test stories")
        record.metrics["test_stories"] = test_stories(settings, model)
        say("4/5 Comparing with the live model on the held-out messages")
        figures = nlu_figures(settings, {"new": model, "live": live})
        record.metrics.update(figures["new"])
        gate(figures["new"], figures["live"], settings.tolerance)
        say("5/5 Putting the new model live")
        activate(settings, model)
    except Refused as refusal:
        record.status, record.reason = "refused", str(refusal)
        history.add(record)
        history.prune(KEEP_PREVIOUS_MODELS)
        say(f"Refused: {refusal}. The live model stays live.")
        return record
    record.status = "candidate"
    history.add(record)
    history.activate(name)
    history.prune(KEEP_PREVIOUS_MODELS)
    say(f"Done: {name} is live.")
    return history.get(name) or record


def rollback(settings: RetrainSettings, name: str) -> None:
    """Put a previous model back live."""
    record = settings.history.get(name)
    if record is None or not Path(record.path).exists():
        raise Refused(f"there is no model {name} to roll back to")
    activate(settings, Path(record.path))
    settings.history.activate(name)
