"""Starts the web app (``python -m web``) on a free loopback port."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

from tests.integration.servers import BIN, ROOT, Process, free_port, project_env, wait_for
from web.staff.passwords import hash_password

STAFF_USER = "reception"
PASSWORD = "correct horse battery staple"


def project_copy(workdir: Path, *files: str) -> Path:
    """A copy of the project's data/ and domain.yml (plus ``files``) for the staff
    console to write approved examples and test stories into, never the repository."""
    project = workdir / "project"
    shutil.copytree(ROOT / "data", project / "data")
    (project / "tests" / "stories").mkdir(parents=True)
    for name in ("domain.yml", *files):
        shutil.copy(ROOT / name, project / name)
    return project


class WebApp:
    """The web app, its widget talking to ``rasa_url``, hand-offs in ``workdir``."""

    def __init__(self, workdir: Path, rasa_url: str, **env: str) -> None:
        self.port = free_port()
        self.db = workdir / "web.db"
        self.process = Process(
            "web app",
            [str(BIN / "python"), "-m", "web"],
            project_env(
                **{
                    "WEB_HOST": "127.0.0.1",
                    "WEB_PORT": str(self.port),
                    "WEB_DB": str(self.db),
                    "RASA_URL": rasa_url,
                    "TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.db'}",
                    **env,
                }
            ),
            workdir / "web.log",
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process.start()
        wait_for(f"{self.url}/healthz", self.process, timeout=60)

    def stop(self) -> None:
        self.process.stop()

    def __enter__(self) -> WebApp:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def handoffs(self) -> list[dict[str, Any]]:
        """Every recorded hand-off, oldest first."""
        db = sqlite3.connect(self.db)
        try:
            db.row_factory = sqlite3.Row
            return [dict(row) for row in db.execute("SELECT * FROM handoffs ORDER BY id")]
        finally:
            db.close()


def staff_console(workdir: Path, rasa_url: str, *project_files: str, **env: str) -> WebApp:
    """The web app with the staff console on (user STAFF_USER, password PASSWORD),
    writing into a project copy in ``workdir`` (``app.project``)."""
    project = project_copy(workdir, *project_files)
    app = WebApp(
        workdir,
        rasa_url,
        CLINIC_PROJECT_DIR=str(project),
        STAFF_USERNAME=STAFF_USER,
        STAFF_PASSWORD_HASH=hash_password(PASSWORD),
        **env,
    )
    app.project = project
    return app
