"""The staff loop end to end, through the console's HTTP routes as a logged-in user:
conversations the live model gets wrong, annotated in the NLU inbox, a retraining
started from the console (fine-tuning, a fast fraction of the epochs), the new model
live without a restart, a broken training file refused with the old model still
live, and a rollback.

Its own Rasa server, so that changing the model does not touch other tests.
"""

import re
import shutil
import time

import pytest
import requests

from tests.integration.driver import misunderstood_greeting, parse, review_below, start_interview
from tests.integration.servers import ROOT, Servers
from tests.web.test_staff import inbox_form, login
from tests.web.webapp import staff_console


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("retraining")
    servers = Servers(workdir)
    console = None
    try:
        servers.start()
        # The console lists what the live model read with less confidence than this
        # greeting, so it is set once the model is up.
        misunderstood, confidence = misunderstood_greeting(servers)
        console = staff_console(
            workdir,
            "http://127.0.0.1:1",
            "config.yml",
            "tests/nlu_heldout.yml",
            STAFF_REVIEW_BELOW=review_below(confidence),
            TRACKER_STORE_URL=servers.env["TRACKER_STORE_URL"],
            MODELS_DIR=str(workdir / "models"),
            RASA_API_URL=servers.url,
            RASA_AUTH_TOKEN=servers.token,
            RETRAIN_STATUS=str(workdir / "retrain" / "status.json"),
            # The default fraction of the epochs: at 0.25 the fine-tuned model read a
            # negated red flag as an emergency, and the gate rightly refused it.
            RETRAIN_EPOCH_FRACTION="0.5",
            RETRAIN_TOLERANCE="0.1",
        )
        for story in (ROOT / "tests" / "stories").glob("*.yml"):
            shutil.copy(story, console.project / "tests" / "stories")
        console.start()
        yield servers, console, misunderstood
    finally:
        if console:
            console.stop()
        servers.stop()


def intent_of(servers, text):
    return parse(servers, text)["intent"]["name"]


def live_model(servers):
    status = requests.get(f"{servers.url}/status", params={"token": servers.token}, timeout=30)
    return status.json()["model_file"]


def retrain_and_wait(session, console):
    page = session.get(f"{console.url}/staff/models", timeout=10).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    started = session.post(f"{console.url}/staff/models/retrain", data={"csrf": csrf}, timeout=30)
    assert started.status_code == 200 and "Retraining now" in started.text
    deadline = time.monotonic() + 1500
    while "Retraining now" in (page := session.get(f"{console.url}/staff/models", timeout=10).text):
        assert time.monotonic() < deadline, "the retraining did not finish"
        time.sleep(5)
    return page


def test_staff_teach_retrain_activate_refuse_and_roll_back(loop):
    servers, console, misunderstood = loop
    original = live_model(servers)
    # Only a conversation with consent is kept, and so reaches the inbox.
    start_interview(servers, "visitor", "my lower back has been sore for a week")
    servers.send("visitor", misunderstood)

    session, _ = login(console)
    item = inbox_form(session.get(f"{console.url}/staff/inbox", timeout=10).text, "visitor")
    assert misunderstood in item["text"]
    approved = session.post(
        f"{console.url}{item['action']}",
        data={"csrf": item["csrf"], "sender_id": "visitor", "decision": "approve",
              "intent": "greet", "facts": ""},
        timeout=10,
    )  # fmt: skip
    assert "Added to the training data as greet" in approved.text

    page = retrain_and_wait(session, console)
    assert "Last retraining: active" in page, page
    new_model = live_model(servers)
    assert new_model != original
    assert intent_of(servers, misunderstood) == "greet"
    hello = servers.send("another-visitor", misunderstood)
    assert hello and "999" in " ".join(m.get("text", "") for m in hello)  # the greeting

    (console.project / "data" / "nlu" / "broken.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: [this is not, a list of texts\n'
    )
    page = retrain_and_wait(session, console)
    assert "Last retraining: refused" in page and "training data is not valid" in page
    assert live_model(servers) == new_model

    previous = original.removesuffix(".tar.gz")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    rolled = session.post(
        f"{console.url}/staff/models/{previous}/rollback", data={"csrf": csrf}, timeout=600
    )
    assert f"{previous} is live again" in rolled.text
    assert live_model(servers) == original
    assert intent_of(servers, misunderstood) != "greet"
