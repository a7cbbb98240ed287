"""The staff console on a conversation held through the real Rasa server over REST:
the osteopath's pre-visit summary by booking reference, then erasure on request."""

import re
import sqlite3

import pytest
import requests

from tests.integration.driver import converse
from tests.integration.servers import rasa_test_core
from tests.web.test_staff import login
from tests.web.webapp import staff_console


@pytest.fixture(scope="module")
def console(servers, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("staff-console")
    env = {"TRACKER_STORE_URL": servers.env["TRACKER_STORE_URL"]}
    with staff_console(workdir, servers.url, **env) as app:
        yield app


def stored_events(servers, sender: str) -> int:
    path = servers.env["TRACKER_STORE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[
            0
        ]


def test_summary_by_reference_then_erasure_leaves_no_trace(servers, console, sender):
    text = "My lower back has ached for 3 weeks since my marathon block, no tingling in my legs"
    outcome = converse(servers, sender, text).triage
    assert outcome["level"] == "assessment"
    reference = outcome["booking"]["reference"]
    booked = requests.get(
        f"{console.url}/book",
        params={"ref": reference, "level": "assessment", "priority": "routine", "channel": "web"},
        allow_redirects=False,
        timeout=10,
    )
    assert booked.status_code == 302 and len(console.handoffs()) == 1

    session, _ = login(console)
    listed = session.get(f"{console.url}/staff/conversations?level=assessment", timeout=10).text
    assert sender in listed
    summary = session.get(f"{console.url}/staff/summary", params={"ref": reference}, timeout=10)
    assert summary.status_code == 200
    assert "for 3 weeks" in summary.text and "assessment" in summary.text
    # The extractor's concepts, stored with each message: present ones only.
    own_words = summary.text.split("In their own words", 1)[1].split("</dd>", 1)[0]
    assert "lower back" in own_words and "marathon block" in own_words, own_words
    assert "tingling" not in own_words, own_words

    view = session.get(f"{console.url}/staff/conversations/{sender}", timeout=10).text
    assert "marathon block" in view
    csrf = re.search(r'name="csrf" value="([^"]+)"', view).group(1)
    erased = session.post(
        f"{console.url}/staff/conversations/{sender}/erase",
        data={"csrf": csrf, "confirm": "yes"},
        timeout=10,
    )
    assert erased.status_code == 200 and "Erased" in erased.text
    assert stored_events(servers, sender) == 0
    assert console.handoffs() == []
    gone = session.get(f"{console.url}/staff/summary", params={"ref": reference}, timeout=10)
    assert gone.status_code == 404
    audit = session.get(f"{console.url}/staff/audit", timeout=10).text
    assert "erased conversation" in audit and sender in audit


def test_a_conversation_saved_as_a_test_story_passes_rasa_test(servers, console, sender, tmp_path):
    converse(servers, sender, "hi", "my lower back has been sore for 5 days after a tempo run")
    session, _ = login(console)
    view = session.get(f"{console.url}/staff/conversations/{sender}", timeout=10).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', view).group(1)
    saved = session.post(
        f"{console.url}/staff/conversations/{sender}/story", data={"csrf": csrf}, timeout=10
    )
    assert saved.status_code == 200 and "Saved as the test story" in saved.text
    story = console.project / "tests" / "stories" / f"conversation_{sender}.yml"
    assert "tempo run" in story.read_text()
    passed, detail = rasa_test_core(story, servers.env, tmp_path)
    assert passed, detail
