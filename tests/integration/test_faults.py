"""Faults: the person always gets a safe answer, and the next message works again."""

import os
import signal

from tests.integration.driver import question_in
from tests.integration.servers import wait_for

SAFE = ("01564 330773", "999")


def reply_text(replies) -> str:
    return " ".join(reply.get("text") or "" for reply in replies)


def test_action_server_down_gives_the_phone_number_and_999(servers, sender):
    servers.actions.stop()
    try:
        text = reply_text(servers.send(sender, "my lower back hurts after running"))
        assert all(part in text for part in SAFE), text
    finally:
        servers.actions.start()
        wait_for(f"{servers.action_url}/health", servers.actions)
    assert question_in(servers.send(sender, "my lower back still hurts")), "no recovery"


def test_action_server_hanging_gives_the_phone_number_and_999(servers, sender):
    os.killpg(servers.actions.popen.pid, signal.SIGSTOP)
    try:
        text = reply_text(servers.send(sender, "my back is sore"))
        assert all(part in text for part in SAFE), text
    finally:
        os.killpg(servers.actions.popen.pid, signal.SIGCONT)
    assert question_in(servers.send(sender, "my back is still sore")), "no recovery"
