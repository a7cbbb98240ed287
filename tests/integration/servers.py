"""Starts the real action server and Rasa server on free loopback ports."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
MODEL = ROOT / "models" / "clinic.tar.gz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def project_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        PYTHONPATH=str(ROOT),
        TF_CPP_MIN_LOG_LEVEL="2",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        LOCK_STORE_TYPE=env.get("LOCK_STORE_TYPE", "in_memory"),
        LOCK_STORE_HOST=env.get("LOCK_STORE_HOST", "127.0.0.1"),
        LOCK_STORE_PORT=env.get("LOCK_STORE_PORT", "6379"),
    )
    env.update(extra)
    return env


def process_stats() -> Iterator[tuple[Path, list[str]]]:
    """Each live process's /proc folder and the fields of its stat after the command
    name: [1] is the parent's pid, [2] the process group, [11] and [12] the user and
    system CPU ticks. A process that ends meanwhile is left out."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            yield entry, (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue


@dataclass
class Process:
    name: str
    args: list[str]
    env: dict[str, str]
    log: Path
    popen: subprocess.Popen | None = field(default=None, repr=False)

    def start(self) -> None:
        handle = self.log.open("ab")
        self.popen = subprocess.Popen(
            self.args,
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.popen and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()

    def children(self) -> list[int]:
        """The pids of the processes this one started (Sanic's workers, for instance)."""
        if not self.popen:
            return []
        return [
            int(entry.name) for entry, fields in process_stats() if fields[1] == str(self.popen.pid)
        ]

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def wait_for(url: str, process: Process, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen and process.popen.poll() is not None:
            raise RuntimeError(f"{process.name} exited:\n{process.tail()}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{process.name} did not answer {url} in {timeout}s:\n{process.tail()}")


class Servers:
    """The action server and Rasa server(s); the tracker store is SQLite in ``workdir``
    unless ``env`` names another (TRACKER_STORE_URL, LOCK_STORE_TYPE, ...)."""

    def __init__(self, workdir: Path, credentials: Path | None = None, **env: str) -> None:
        if not MODEL.exists():
            raise RuntimeError(f"no trained model at {MODEL}: run `make model` first")
        self.workdir = workdir
        # The Rasa server's channels: credentials.yml unless a test writes its own.
        self.credentials = credentials or ROOT / "credentials.yml"
        self.action_port, self.rasa_port = free_port(), free_port()
        self.env = project_env(
            **{
                "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.action_port}/webhook",
                "TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.db'}",
                "SANIC_HOST": "127.0.0.1",
                "REPLY_TIMEOUT_SECONDS": "8",
                **env,
            }
        )
        self.token = secrets.token_urlsafe(16)
        self.actions = Process(
            "action server",
            [
                str(BIN / "rasa"),
                "run",
                "actions",
                "--actions",
                "actions",
                "--port",
                str(self.action_port),
            ],
            self.env,
            workdir / "actions.log",
        )
        self.rasa = self._rasa_process(self.rasa_port)
        self.more_rasa: list[Process] = []

    def _rasa_process(self, port: int, **env: str) -> Process:
        return Process(
            f"rasa server :{port}",
            [
                str(BIN / "python"),
                "-m",
                "server.rasa_server",  # `rasa run`, the token from RASA_AUTH_TOKEN
                "run",
                "--model",
                str(MODEL),
                "--endpoints",
                "endpoints.yml",
                "--credentials",
                str(self.credentials),
                "--interface",
                "127.0.0.1",
                "--port",
                str(port),
                "--enable-api",
            ],
            # Only the public server refuses large requests; the action server
            # takes whole trackers.
            {**self.env, "SANIC_REQUEST_MAX_SIZE": "65536", "RASA_AUTH_TOKEN": self.token, **env},
            self.workdir / f"rasa-{port}.log",
        )

    def add_rasa_server(self, **env: str) -> str:
        """Starts one more Rasa server on the same stores (``env`` added to its
        environment); returns its URL."""
        port = free_port()
        process = self._rasa_process(port, **env)
        self.more_rasa.append(process)
        process.start()
        wait_for(f"http://127.0.0.1:{port}/", process)
        return f"http://127.0.0.1:{port}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    def start(self) -> None:
        self.actions.start()
        self.rasa.start()
        wait_for(f"{self.action_url}/health", self.actions)
        wait_for(f"{self.url}/", self.rasa)

    def restart_rasa(self) -> None:
        self.rasa.stop()
        self.rasa.start()
        wait_for(f"{self.url}/", self.rasa)

    def stop(self) -> None:
        for process in [*self.more_rasa, self.rasa, self.actions]:
            process.stop()

    def tracker(self, sender: str) -> dict[str, Any]:
        """The conversation's tracker, through Rasa's HTTP API with the token."""
        response = requests.get(
            f"{self.url}/conversations/{sender}/tracker", params={"token": self.token}, timeout=30
        )
        response.raise_for_status()
        return response.json()

    def send(self, sender: str, message: Any, url: str | None = None) -> list[dict[str, Any]]:
        """One turn through the REST channel: the bot's messages in reply."""
        response = requests.post(
            f"{url or self.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()


def rasa_test_core(stories: Path, env: dict[str, str], workdir: Path) -> tuple[bool, str]:
    """`rasa test core` with the trained model on ``stories``: whether every story
    passed, and what failed (the failed stories, or the end of Rasa's output)."""
    out = workdir / "results"
    run = subprocess.run(
        [
            str(BIN / "rasa"), "test", "core", "--model", str(MODEL), "--stories", str(stories),
            "--endpoints", "endpoints.yml", "--out", str(out), "--fail-on-prediction-errors",
            "--no-plot",
        ],
        cwd=ROOT,
        env={**env, "TRACKER_STORE_URL": f"sqlite:///{workdir / 'test.db'}"},
        capture_output=True,
        text=True,
        timeout=900,
    )  # fmt: skip
    failed = out / "failed_test_stories.yml"
    detail = failed.read_text() if failed.exists() else ""
    return run.returncode == 0, detail + run.stdout[-3000:] + run.stderr[-3000:]
