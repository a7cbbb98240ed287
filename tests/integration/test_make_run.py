"""`make run` serves a working assistant, and Ctrl-C stops every process it started."""

import os
import signal
import subprocess
import time

import requests

from tests.integration.driver import triage_of
from tests.integration.servers import ROOT, free_port, project_env


def test_make_run_answers_over_rest_and_stops_on_ctrl_c(tmp_path):
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    env = project_env(
        RASA_PORT=str(rasa_port),
        WEB_PORT=str(web_port),
        WEB_DB=str(tmp_path / "web.db"),
        ACTION_PORT=str(action_port),
        ACTION_ENDPOINT_URL=f"http://127.0.0.1:{action_port}/webhook",
        TRACKER_STORE_URL=f"sqlite:///{tmp_path / 'tracker.db'}",
    )
    log = (tmp_path / "make-run.log").open("wb")
    run = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook"

    def output_tail() -> str:
        return (tmp_path / "make-run.log").read_text(errors="replace")[-3000:]

    try:
        # `make run` checks the model is current, then waits for Rasa to load it.
        deadline = time.monotonic() + 720
        while "The clinic assistant is running" not in output_tail():
            assert run.poll() is None, output_tail()
            assert time.monotonic() < deadline, f"make run did not come up:\n{output_tail()}"
            time.sleep(1)
        text = "my back is really sore and I can't control my bladder"
        try:
            replies = requests.post(url, json={"sender": "make-run", "message": text}, timeout=60)
        except requests.ConnectionError as error:
            raise AssertionError(f"{error}\n{output_tail()}") from error
        assert triage_of(replies.json())["level"] == "emergency"
        page = requests.get(f"http://127.0.0.1:{web_port}/", timeout=10)
        assert page.status_code == 200 and "01564 330773" in page.text
    finally:
        # Ctrl-C in a terminal signals the whole foreground process group.
        os.killpg(run.pid, signal.SIGINT)
        try:
            run.wait(timeout=60)
        finally:
            if run.poll() is None:
                os.killpg(run.pid, signal.SIGKILL)
    output = (tmp_path / "make-run.log").read_text()
    assert f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook" in output
    leftovers = subprocess.run(
        ["pgrep", "-g", str(run.pid)], capture_output=True, text=True
    ).stdout.split()
    assert leftovers == [], f"processes left running: {leftovers}"
    for port in (rasa_port, action_port, web_port):
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=2)
            raise AssertionError(f"port {port} still answers")
        except requests.ConnectionError:
            pass
