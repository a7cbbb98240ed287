"""The HTTP API needs the token, and oversized requests are refused."""

from pathlib import Path

import requests


def test_anonymous_api_calls_are_refused(servers, sender):
    servers.send(sender, "hello")
    for path in (f"/conversations/{sender}/tracker", "/status", "/domain"):
        response = requests.get(servers.url + path, timeout=10)
        assert response.status_code in (401, 403), path
        wrong = requests.get(servers.url + path, params={"token": "wrong"}, timeout=10)
        assert wrong.status_code in (401, 403), path
    assert servers.tracker(sender)["sender_id"] == sender


def test_an_oversized_message_is_refused_and_the_server_keeps_serving(servers, sender):
    response = requests.post(
        f"{servers.url}/webhooks/rest/webhook",
        json={"sender": sender, "message": "x" * 100_000},
        timeout=30,
    )
    assert response.status_code == 413
    assert servers.send(sender, "hello")


def test_patients_messages_stay_out_of_the_logs(servers, sender):
    """Health data: no message text in the servers' logs at the default level."""
    marker = "numbness in my left calf since the Zanzibar half marathon"
    servers.send(sender, f"my back hurts and I have {marker}")
    logs = [servers.rasa.log, servers.actions.log]
    for log in logs:
        text = log.read_text(errors="replace")
        assert "Zanzibar" not in text, f"a patient's message reached {log.name}"


def test_the_api_token_is_not_on_any_command_line(servers):
    """Any user can read a process's command line; the token must not be there."""
    pids = [servers.rasa.popen.pid, *servers.rasa.children()]
    for pid in pids:
        command_line = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        assert "rasa" in command_line or "server" in command_line
        assert servers.token not in command_line, f"the token is on {pid}'s command line"
    assert requests.get(f"{servers.url}/status", params={"token": servers.token}, timeout=30).ok
