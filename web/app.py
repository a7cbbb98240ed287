"""The web app: demo page with the widget, /static, /book and /healthz."""

from __future__ import annotations

import html
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from clinic.settings import ClinicSettings
from web.booking import InvalidHandoff, booking_redirect, parse_handoff
from web.handoffs import HandoffStore
from web.page import render_page
from web.staff.conversations import TrackerStoreReader
from web.staff.erasure import Stores
from web.staff.routes import StaffConfig, staff_blueprint
from web.staff.store import StaffStore

STATIC_DIR = Path(__file__).resolve().parent / "static"
HANDOFF_FIELDS = ("ref", "level", "priority", "channel")


def content_security_policy(rasa_url: str, nonce: str) -> str:
    """Scripts and styles from this app only; sockets to the Rasa server."""
    parts = urlsplit(rasa_url)
    socket_scheme = "wss" if parts.scheme == "https" else "ws"
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            f"connect-src 'self' {parts.scheme}://{parts.netloc} {socket_scheme}://{parts.netloc}",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def is_static_file(relative_url: str) -> bool:
    """Whether ``relative_url`` (after /static/, still quoted) names a file in STATIC_DIR."""
    try:
        path = (STATIC_DIR / unquote(relative_url).lstrip("/")).resolve()
        return path.is_relative_to(STATIC_DIR) and path.is_file()
    except (OSError, ValueError):  # a name too long, a NUL byte, ...
        return False


def bad_link_page(settings: ClinicSettings) -> str:
    name, phone = html.escape(settings.name), html.escape(settings.phone)
    booking, phone_link = html.escape(settings.booking_url), html.escape(settings.phone_link)
    return (
        '<!doctype html><html lang="en-GB"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Booking link not recognised: {name}</title>"
        "<h1>Sorry, we couldn't use this booking link</h1>"
        "<p>It may be incomplete or have been changed. You can still "
        f'<a href="{booking}">book online</a> or call {name} on '
        f'<a href="{phone_link}">{phone}</a>.</p>'
        "<p>In an emergency, call 999.</p></html>"
    )


def create_app(
    settings: ClinicSettings,
    rasa_url: str,
    db_path: Path = Path("var/web.db"),
    name: str = "clinic_web",
    tracker_store_url: str = "sqlite:///var/tracker.db",
    staff: StaffConfig | None = None,
) -> Sanic:
    """The app for ``settings``; the widget talks to the Rasa server at ``rasa_url``
    (as the visitor's browser reaches it) and hand-offs go to SQLite at ``db_path``.
    The staff console reads conversations from the tracker store."""
    handoffs = HandoffStore(db_path)
    handoffs.create()
    staff_store = StaffStore(db_path)
    staff_store.create()
    stores = Stores(TrackerStoreReader(tracker_store_url), handoffs, staff_store)

    app = Sanic(name)
    app.static("/static", str(STATIC_DIR), name="static")
    app.blueprint(staff_blueprint(settings, stores, staff or StaffConfig.from_environment()))

    @app.on_request
    async def static_files_only(request: Request) -> HTTPResponse | None:
        # Sanic 21.12's static handler answers 500 to a directory, a NUL byte, a name
        # too long or a path through a file: only existing files reach it.
        if request.path.startswith("/static/") and not is_static_file(
            request.path.removeprefix("/static/")
        ):
            return response.text("Not Found", status=404)
        return None

    @app.get("/")
    async def index(request: Request) -> HTTPResponse:
        nonce = secrets.token_urlsafe(16)
        return response.html(
            render_page(settings, rasa_url, nonce),
            headers={"Content-Security-Policy": content_security_policy(rasa_url, nonce)},
        )

    @app.get("/book")
    async def book(request: Request) -> HTTPResponse:
        try:
            handoff = parse_handoff({key: request.args.get(key) for key in HANDOFF_FIELDS})
        except InvalidHandoff:
            return response.html(bad_link_page(settings), status=400)
        handoffs.record(handoff)
        return response.redirect(
            booking_redirect(settings.booking_url, handoff),
            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
        )

    @app.get("/healthz")
    async def healthz(request: Request) -> HTTPResponse:
        handoffs.ping()
        return response.json({"status": "ok"})

    @app.on_response
    async def security_headers(request: Request, resp: HTTPResponse) -> None:
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")

    return app
