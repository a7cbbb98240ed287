"""`rasa test` on the end-to-end test stories, with the real action server."""

import json
import subprocess

from tests.integration.servers import BIN, MODEL, ROOT


def test_rasa_test_passes_every_story(servers, tmp_path):
    out = tmp_path / "results"
    run = subprocess.run(
        [
            str(BIN / "rasa"),
            "test",
            "core",
            "--model",
            str(MODEL),
            "--stories",
            "tests/stories",
            "--endpoints",
            "endpoints.yml",
            "--out",
            str(out),
            "--fail-on-prediction-errors",
            "--no-plot",
        ],
        cwd=ROOT,
        env={**servers.env, "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'test.db'}"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    failed = out / "failed_test_stories.yml"
    detail = failed.read_text() if failed.exists() else run.stdout[-3000:] + run.stderr[-3000:]
    assert run.returncode == 0, detail
    report = json.loads((out / "story_report.json").read_text())
    assert report["conversation_accuracy"]["accuracy"] == 1.0, report["conversation_accuracy"]
