"""Real servers, the web app pointed at them, and Debian's Chromium through Playwright."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, sync_playwright

from clinic.settings import DEFAULT_SETTINGS_PATH
from tests.integration.servers import ROOT, free_port
from tests.web.webapp import WebApp

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Nothing leaves the machine: only loopback names resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
SCREENSHOTS = ROOT / "reports" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 375, "height": 740}


class BookingSite(ThreadingHTTPServer):
    """Stands in for the clinic's booking site on loopback; keeps the paths asked for."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append(self.path)
                body = b"<!doctype html><title>Booking</title><h1>Book (stub)</h1>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/book"


@pytest.fixture(scope="session")
def booking_site():
    site = BookingSite()
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    yield site
    site.shutdown()
    site.server_close()


@pytest.fixture(scope="session")
def web(servers, booking_site, tmp_path_factory):
    """The web app, pointed at the servers; /book redirects to the stub booking site."""
    workdir = tmp_path_factory.mktemp("web")
    settings = yaml.safe_load(DEFAULT_SETTINGS_PATH.read_text(encoding="utf-8"))
    settings["booking_url"] = booking_site.url
    (workdir / "clinic.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    app = WebApp(workdir, servers.url, CLINIC_SETTINGS=str(workdir / "clinic.yml"))
    try:
        app.start()
        yield app
    finally:
        app.stop()


@pytest.fixture(scope="session")
def web_without_rasa(tmp_path_factory):
    """The web app with its widget pointed at a port where nothing listens."""
    app = WebApp(tmp_path_factory.mktemp("web-offline"), f"http://127.0.0.1:{free_port()}")
    try:
        app.start()
        yield app
    finally:
        app.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def new_page(browser: Browser, viewport: dict[str, int]) -> Page:
    """A page in a fresh context (its own localStorage) that records any dialog."""
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    return page


@pytest.fixture
def desktop(browser):
    page = new_page(browser, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture
def mobile(browser):
    page = new_page(browser, MOBILE)
    yield page
    page.context.close()


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
