"""`rasa test` on the end-to-end test stories, with the real action server."""

import json

from tests.integration.servers import ROOT, rasa_test_core


def test_rasa_test_passes_every_story(servers, tmp_path):
    passed, detail = rasa_test_core(ROOT / "tests" / "stories", servers.env, tmp_path)
    assert passed, detail
    report = json.loads((tmp_path / "results" / "story_report.json").read_text())
    assert report["conversation_accuracy"]["accuracy"] == 1.0, report["conversation_accuracy"]
