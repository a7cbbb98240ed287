"""The /staff routes: login with lock-out, sessions, CSRF on every form.

Every route but the login page refuses anyone not logged in: a browser is sent
to the login page (303), anything else that is not a GET gets 403.
"""

from __future__ import annotations

import asyncio
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

import requests
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from clinic.settings import ClinicSettings
from retrain.pipeline import Refused, RetrainSettings, rollback
from web.staff import retraining, views
from web.staff.conversations import ConversationFilter
from web.staff.erasure import Stores, erase
from web.staff.inbox import inbox_items, parse_facts
from web.staff.passwords import verify_password
from web.staff.store import ADDRESS_LOCKOUT_FAILURES, LOCKOUT_FAILURES, Session
from web.staff.stories import export_story
from web.staff.training_data import (
    DuplicateExample,
    add_example,
    add_fact_case,
    intent_choices,
)

PROJECT_DIR = Path(__file__).resolve().parents[2]
SESSION_COOKIE = "staff_session"
LOGIN_CSRF_COOKIE = "staff_login_csrf"
REFERENCE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; form-action 'self'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


@dataclass(frozen=True)
class StaffConfig:
    username: str
    password_hash: str | None
    secure_cookies: bool
    # Where approved examples are written: the project's data/ and tests/.
    project_dir: Path = PROJECT_DIR
    # Messages understood with less confidence than this go to the NLU inbox.
    review_below: float = 0.6

    @classmethod
    def from_environment(cls) -> StaffConfig:
        return cls(
            username=os.environ.get("STAFF_USERNAME", "staff"),
            password_hash=os.environ.get("STAFF_PASSWORD_HASH") or None,
            secure_cookies=os.environ.get("STAFF_SECURE_COOKIES", "0") == "1",
            project_dir=Path(os.environ.get("CLINIC_PROJECT_DIR") or PROJECT_DIR),
            review_below=float(os.environ.get("STAFF_REVIEW_BELOW", "0.6")),
        )


def _date(text: str | None, end_of_day: bool = False) -> datetime | None:
    try:
        day = datetime.strptime(text or "", "%Y-%m-%d").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return day + timedelta(days=1) if end_of_day else day


def _yes_no(text: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(text or "")


def staff_blueprint(settings: ClinicSettings, stores: Stores, config: StaffConfig) -> Blueprint:
    bp = Blueprint("staff", url_prefix="/staff")

    def html(
        title: str,
        body: str,
        session: Session | None = None,
        status: int = 200,
        refresh: bool = False,
    ) -> HTTPResponse:
        user, csrf = (session.user, session.csrf) if session else (None, "")
        return response.html(
            views.page(settings, title, body, user, csrf, refresh),
            status=status,
            headers=PAGE_HEADERS,
        )

    def client(request: Request) -> str:
        return request.remote_addr or request.ip or ""

    def set_cookie(resp: HTTPResponse, name: str, value: str, max_age: int) -> None:
        resp.cookies[name] = value
        cookie = resp.cookies[name]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = "/staff"
        cookie["max-age"] = max_age
        if config.secure_cookies:
            cookie["secure"] = True

    def login_page(request: Request, problem: str = "", status: int = 200) -> HTTPResponse:
        csrf = secrets.token_urlsafe(24)
        resp = html("Log in", views.login_form(csrf, problem), status=status)
        set_cookie(resp, LOGIN_CSRF_COOKIE, csrf, 3600)
        return resp

    @bp.on_request
    async def require_login(request: Request) -> HTTPResponse | None:
        request.ctx.staff = None
        if not config.password_hash:
            return html("Staff console off", views.console_off(), status=503)
        if request.path in ("/staff/login", "/staff/login/"):
            return None
        session = stores.staff.session(request.cookies.get(SESSION_COOKIE))
        if session is None:
            if request.method == "GET":
                return response.redirect("/staff/login", status=303)
            return response.text("Forbidden: log in first", status=403)
        if request.method == "POST" and not hmac.compare_digest(
            str(request.form.get("csrf", "")), session.csrf
        ):
            return response.text("Forbidden: the form has expired; reload the page", status=403)
        request.ctx.staff = session
        return None

    @bp.get("/login")
    async def login(request: Request) -> HTTPResponse:
        return login_page(request)

    @bp.post("/login")
    async def login_submit(request: Request) -> HTTPResponse:
        form_csrf = str(request.form.get("csrf", ""))
        cookie_csrf = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not cookie_csrf or not hmac.compare_digest(form_csrf, cookie_csrf):
            return login_page(request, "The form expired. Please try again.", status=403)
        username = str(request.form.get("username", ""))[:100]
        password = str(request.form.get("password", ""))[:1000]
        limits = {
            f"user:{username.lower()}": LOCKOUT_FAILURES,
            f"ip:{client(request)}": ADDRESS_LOCKOUT_FAILURES,
        }
        keys = list(limits)
        wait = stores.staff.locked_for(limits)
        if wait > 0:
            stores.staff.audit(username, "login refused: locked out", "", client(request))
            minutes = int(wait // 60) + 1
            problem = f"Too many failed attempts. Try again in {minutes} minutes."
            return login_page(request, problem, status=429)
        if not (
            hmac.compare_digest(username, config.username)
            and verify_password(password, config.password_hash or "")
        ):
            stores.staff.record_failure(keys)
            stores.staff.audit(username, "login failed", "", client(request))
            return login_page(request, "Wrong user name or password.", status=401)
        stores.staff.clear_failures(keys)
        token, _ = stores.staff.open_session(username)
        stores.staff.audit(username, "logged in", "", client(request))
        resp = response.redirect("/staff/conversations", status=303)
        set_cookie(resp, SESSION_COOKIE, token, 8 * 3600)
        set_cookie(resp, LOGIN_CSRF_COOKIE, "", 0)
        return resp

    @bp.post("/logout")
    async def logout(request: Request) -> HTTPResponse:
        stores.staff.close_session(request.cookies.get(SESSION_COOKIE, ""))
        stores.staff.audit(request.ctx.staff.user, "logged out", "", client(request))
        resp = response.redirect("/staff/login", status=303)
        set_cookie(resp, SESSION_COOKIE, "", 0)
        return resp

    @bp.get("/")
    async def home(request: Request) -> HTTPResponse:
        return response.redirect("/staff/conversations", status=303)

    @bp.get("/conversations")
    async def conversations(request: Request) -> HTTPResponse:
        filters = ConversationFilter(
            since=_date(request.args.get("since")),
            until=_date(request.args.get("until"), end_of_day=True),
            channel=request.args.get("channel") or None,
            level=request.args.get("level") or None,
            had_fallback=_yes_no(request.args.get("fallback")),
        )
        reviewed = _yes_no(request.args.get("reviewed"))
        reviews = stores.staff.reviews()
        found = [
            c
            for c in stores.tracker.conversations(filters)
            if reviewed is None
            or bool(reviews.get(c.sender_id) and reviews[c.sender_id].reviewed_by) == reviewed
        ]
        body = views.conversation_list(found, reviews, filters, reviewed)
        return html("Conversations", body, request.ctx.staff)

    @bp.get("/conversations/<sender_id>")
    async def conversation(request: Request, sender_id: str) -> HTTPResponse:
        found = stores.tracker.conversation(sender_id)
        if found is None:
            return html("Not found", "<p>No such conversation.</p>", request.ctx.staff, 404)
        stores.staff.audit(
            request.ctx.staff.user, "viewed conversation", sender_id, client(request)
        )
        review = stores.staff.reviews().get(sender_id)
        body = views.conversation_view(found, review, request.ctx.staff.csrf)
        return html("Conversation", body, request.ctx.staff)

    @bp.post("/conversations/<sender_id>/review")
    async def review(request: Request, sender_id: str) -> HTTPResponse:
        tags = " ".join(str(request.form.get("tags", "")).split())[:200]
        stores.staff.mark_reviewed(sender_id, request.ctx.staff.user, tags)
        stores.staff.audit(request.ctx.staff.user, "reviewed", sender_id, client(request))
        return response.redirect("/staff/conversations/" + quote(sender_id, safe=""), status=303)

    @bp.post("/conversations/<sender_id>/erase")
    async def erase_conversation(request: Request, sender_id: str) -> HTTPResponse:
        if request.form.get("confirm") != "yes":
            return html("Not erased", "<p>Tick the box to confirm.</p>", request.ctx.staff, 400)
        deleted = erase(stores, sender_id)
        stores.staff.audit(
            request.ctx.staff.user, "erased conversation", sender_id, client(request)
        )
        body = f"<p>Erased {deleted} events and the hand-offs of this conversation.</p>"
        return html("Erased", body, request.ctx.staff)

    @bp.post("/conversations/<sender_id>/story")
    async def story(request: Request, sender_id: str) -> HTTPResponse:
        events = stores.tracker.events(sender_id)
        if not events:
            return html("Not found", "<p>No such conversation.</p>", request.ctx.staff, 404)
        review = stores.staff.reviews().get(sender_id)
        path = export_story(
            config.project_dir / "tests" / "stories",
            sender_id,
            events,
            review.tags if review else "",
        )
        stores.staff.audit(
            request.ctx.staff.user, "exported test story", sender_id, client(request)
        )
        shown = path.relative_to(config.project_dir)
        body = (
            f"<p>Saved as the test story <code>{shown}</code>. The next retraining checks"
            " that the assistant still handles this conversation the same way.</p>"
        )
        return html("Test story saved", body, request.ctx.staff)

    @bp.get("/summary")
    async def summary(request: Request) -> HTTPResponse:
        reference = (request.args.get("ref") or "").strip().upper()
        if not reference:
            return html("Pre-visit summary", views.summary_form(), request.ctx.staff)
        sender_id = (
            stores.tracker.sender_for_reference(reference) if REFERENCE.match(reference) else None
        )
        stores.staff.audit(request.ctx.staff.user, "looked up summary", reference, client(request))
        found = stores.tracker.conversation(sender_id) if sender_id else None
        if found is None:
            body = views.summary_form(reference, f"No conversation has the reference {reference}.")
            return html("Pre-visit summary", body, request.ctx.staff, 404)
        body = views.summary_form(reference) + views.pre_visit_summary(found, settings)
        return html("Pre-visit summary", body, request.ctx.staff)

    def inbox_page(request: Request, notice: str = "", status: int = 200) -> HTTPResponse:
        items = inbox_items(
            stores.tracker.conversations(ConversationFilter(), limit=500),
            config.review_below,
            stores.staff.decided_items(),
        )
        intents = intent_choices(config.project_dir)
        body = views.inbox(items, intents, request.ctx.staff.csrf, notice)
        return html(f"NLU inbox ({len(items)})", body, request.ctx.staff, status)

    @bp.get("/inbox")
    async def inbox(request: Request) -> HTTPResponse:
        return inbox_page(request)

    @bp.post("/inbox/<item_id>")
    async def inbox_decision(request: Request, item_id: str) -> HTTPResponse:
        user = request.ctx.staff.user
        conversation = stores.tracker.conversation(str(request.form.get("sender_id", "")))
        items = inbox_items(
            [conversation] if conversation else [],
            config.review_below,
            stores.staff.decided_items(),
        )
        item = next((i for i in items if i.item_id == item_id), None)
        if item is None:
            return inbox_page(request, "That message is no longer there.", 404)
        decision = request.form.get("decision")
        if decision == "irrelevant":
            stores.staff.decide(item_id, "irrelevant", None, user)
            stores.staff.audit(user, "inbox: irrelevant", item_id, client(request))
            return inbox_page(request, "Marked irrelevant.")
        intent = str(request.form.get("intent", ""))
        if decision != "approve" or intent not in intent_choices(config.project_dir):
            return inbox_page(request, "Choose what the person meant, then approve.", 400)
        try:
            facts = parse_facts(str(request.form.get("facts", "")))
        except ValueError as error:
            return inbox_page(request, f"Facts not saved: {error}.", 400)
        notice = f"Added to the training data as {intent}."
        try:
            add_example(config.project_dir / "data" / "nlu", intent, item.text)
        except DuplicateExample as error:
            notice = f"{error}; nothing added."
        except ValueError as error:
            return inbox_page(request, f"Not added: {error}.", 400)
        found = parse_facts("\n".join(" ".join(fact) for fact in item.facts))
        if sorted(facts, key=str) != sorted(found, key=str):
            add_fact_case(
                config.project_dir / "tests" / "nlu_reviewed.yml", item.text, intent, facts
            )
            notice += " The corrected facts were saved for the engineers."
        stores.staff.decide(item_id, "approved", intent, user)
        stores.staff.audit(user, f"inbox: approved as {intent}", item_id, client(request))
        return inbox_page(request, notice)

    def models_page(request: Request, notice: str = "", status: int = 200) -> HTTPResponse:
        busy = retraining.running()
        body = views.models_page(
            retraining.history(), retraining.status(), busy, request.ctx.staff.csrf, notice
        )
        return html("Models", body, request.ctx.staff, status, refresh=busy)

    @bp.get("/models")
    async def models(request: Request) -> HTTPResponse:
        return models_page(request)

    @bp.post("/models/retrain")
    async def retrain_now(request: Request) -> HTTPResponse:
        if not retraining.start():
            return models_page(request, "A retraining is already running.", 409)
        stores.staff.audit(request.ctx.staff.user, "started retraining", "", client(request))
        return response.redirect("/staff/models", status=303)

    @bp.post("/models/<name>/rollback")
    async def roll_back(request: Request, name: str) -> HTTPResponse:
        try:
            await asyncio.to_thread(rollback, RetrainSettings.from_environment(), name)
        except (Refused, requests.RequestException) as problem:
            return models_page(request, f"Not rolled back: {problem}.", 400)
        stores.staff.audit(request.ctx.staff.user, "rolled back to", name, client(request))
        return models_page(request, f"{name} is live again.")

    @bp.get("/audit")
    async def audit(request: Request) -> HTTPResponse:
        body = views.audit_table(stores.staff.audit_log())
        return html("Audit log", body, request.ctx.staff)

    return bp
