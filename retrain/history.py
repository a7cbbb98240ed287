"""The model history: every candidate, its figures, and which one is live.

Kept as JSON next to the models (``models/history/history.json``). A model is
``active`` (live), ``previous`` (was live, can be rolled back to), ``refused``
(failed a gate: the reason says which) or ``retired`` (an older previous one).
Only the files of the live model and the last few previous ones are kept; the
records, with their figures and reasons, stay.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class ModelRecord:
    name: str
    path: str
    created: str
    status: str  # active | previous | refused | candidate
    how: str = ""  # fine-tuned from ... | full training
    metrics: dict[str, Any] = field(default_factory=dict)
    reason: str = ""


class ModelHistory:
    def __init__(self, path: Path) -> None:
        self.path = path

    def records(self) -> list[ModelRecord]:
        if not self.path.exists():
            return []
        return [ModelRecord(**item) for item in json.loads(self.path.read_text(encoding="utf-8"))]

    def _save(self, records: list[ModelRecord]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps([asdict(r) for r in records], indent=2), encoding="utf-8")
        os.replace(temporary, self.path)  # readers never see half a file

    def active(self) -> ModelRecord | None:
        return next((r for r in self.records() if r.status == "active"), None)

    def get(self, name: str) -> ModelRecord | None:
        return next((r for r in self.records() if r.name == name), None)

    def add(self, record: ModelRecord) -> None:
        self._save([r for r in self.records() if r.name != record.name] + [record])

    def prune(self, keep_previous: int) -> list[Path]:
        """Delete the files of refused models and of all but the ``keep_previous``
        newest previous ones (retired); returns the files deleted."""
        records = self.records()
        # The model that was live before any retraining (how "live", e.g. make
        # model's models/clinic.tar.gz) is never deleted.
        previous = sorted(
            (r for r in records if r.status == "previous" and r.how != "live"),
            key=lambda r: r.created,
            reverse=True,
        )
        deleted = []
        for record in records:
            if record in previous[keep_previous:]:
                record.status = "retired"
            if record.status in ("refused", "retired") and record.path:
                model = Path(record.path)
                if model.exists():
                    model.unlink()
                    deleted.append(model)
                record.path = ""
        self._save(records)
        return deleted

    def activate(self, name: str) -> None:
        records = self.records()
        for record in records:
            if record.status == "active":
                record.status = "previous"
            if record.name == name:
                record.status, record.reason = "active", ""
        self._save(records)


def main() -> None:
    """``python -m retrain.history active-path``: the live model's file, if any."""
    import sys

    history = ModelHistory(
        Path(os.environ.get("MODELS_DIR", "models")) / "history" / "history.json"
    )
    if sys.argv[1:] == ["active-path"]:
        active = history.active()
        if active and Path(active.path).exists():
            print(active.path)


if __name__ == "__main__":
    main()
