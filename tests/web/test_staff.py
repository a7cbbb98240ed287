"""The staff console over HTTP, on conversations Rasa's own SQL tracker store wrote."""

import asyncio
import re

import pytest
import requests
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tests.integration.servers import free_port
from tests.web.webapp import WebApp
from web.staff.passwords import hash_password
from web.staff.store import LOCKOUT_FAILURES

PASSWORD = "correct horse battery staple"
REFERENCE = "K7QX-M3PA"


def user(text, intent, confidence, channel="rest", entities=()):
    return UserUttered(
        text,
        {"name": intent, "confidence": confidence},
        list(entities),
        input_channel=channel,
    )


CONVERSATIONS = {
    "assessed-1": [
        BotUttered("Hello, this is not a diagnosis."),
        user(
            "sore lower back for 3 weeks",
            "describe_symptoms",
            0.97,
            entities=[{"entity": "duration_days", "value": 21}],
        ),
        ActionExecuted("action_extract_facts"),
        SlotSet("duration_days", 21),
        SlotSet("leg_symptoms", "none"),
        SlotSet("triage_level", "assessment"),
        SlotSet("reference", REFERENCE),
        BotUttered("You told me: pain for 3 weeks."),
    ],
    "fallback-2": [
        user("qwzx blorp", "nlu_fallback", 0.31, channel="socketio"),
        ActionExecuted("action_default_fallback"),
        BotUttered("Sorry, I didn't understand. Call us on 01564 330773."),
    ],
    "xss-3": [user("<script>alert(1)</script>", "out_of_scope", 0.5)],
}


async def write_trackers(url: str) -> None:
    store = SQLTrackerStore(dialect="sqlite", db=url.removeprefix("sqlite:///"))
    for sender, events in CONVERSATIONS.items():
        await store.save(DialogueStateTracker.from_events(sender, events))


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("staff")
    asyncio.run(write_trackers(f"sqlite:///{workdir / 'tracker.db'}"))
    app = WebApp(
        workdir,
        f"http://127.0.0.1:{free_port()}",
        STAFF_USERNAME="reception",
        STAFF_PASSWORD_HASH=hash_password(PASSWORD),
    )
    try:
        app.start()
        yield app
    finally:
        app.stop()


def login(console, username="reception", password=PASSWORD):
    session = requests.Session()
    page = session.get(f"{console.url}/staff/login", timeout=10)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{console.url}/staff/login",
        data={"csrf": csrf, "username": username, "password": password},
        allow_redirects=False,
        timeout=10,
    )
    return session, answer


def csrf_of(session, console, path="/staff/conversations"):
    page = session.get(f"{console.url}{path}", timeout=10)
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


ANONYMOUS = [
    ("GET", "/staff"),
    ("GET", "/staff/conversations"),
    ("GET", "/staff/conversations/assessed-1"),
    ("GET", f"/staff/summary?ref={REFERENCE}"),
    ("GET", "/staff/audit"),
    ("POST", "/staff/logout"),
    ("POST", "/staff/conversations/assessed-1/review"),
    ("POST", "/staff/conversations/assessed-1/erase"),
]


@pytest.mark.parametrize(("method", "path"), ANONYMOUS)
def test_anonymous_requests_are_refused(console, method, path):
    answer = requests.request(
        method, f"{console.url}{path}", data={"confirm": "yes"}, allow_redirects=False, timeout=10
    )
    if method == "GET" and path != "/staff":
        assert answer.status_code == 303 and answer.headers["Location"] == "/staff/login"
    else:
        assert answer.status_code in (303, 403)
    assert "sore lower back" not in answer.text and REFERENCE not in answer.text


def test_every_staff_route_is_in_the_anonymous_list(console):
    from clinic.settings import load_settings
    from web.app import create_app

    app = create_app(load_settings(), "http://127.0.0.1:1", console.db, name="route_listing")
    paths = {route.path for route in app.router.routes if route.path.startswith("staff")}
    covered = {
        re.sub(r"assessed-1", "<sender_id:str>", p.split("?")[0]).strip("/") for _, p in ANONYMOUS
    }
    assert paths - {"staff/login"} <= covered, paths


def test_wrong_password_and_forged_login_form_are_refused(console):
    _, answer = login(console, password="not the password")
    assert answer.status_code == 401 and "Wrong user name or password" in answer.text
    forged = requests.post(
        f"{console.url}/staff/login",
        data={"csrf": "made-up", "username": "reception", "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert forged.status_code == 403 and "staff_session" not in forged.cookies


def test_login_shows_conversations_with_filters(console):
    session, answer = login(console)
    assert answer.status_code == 303 and answer.headers["Location"] == "/staff/conversations"
    page = session.get(f"{console.url}/staff/conversations", timeout=10).text
    assert page.count("<tr>") == 1 + len(CONVERSATIONS)
    fallback = session.get(f"{console.url}/staff/conversations?fallback=yes", timeout=10).text
    assert "socketio" in fallback and "assessment" not in fallback.split("<tbody>")[1]
    level = session.get(f"{console.url}/staff/conversations?level=assessment", timeout=10).text
    assert level.count("<tr>") == 2
    future = session.get(f"{console.url}/staff/conversations?since=2999-01-01", timeout=10).text
    assert "No conversations match" in future


def test_conversation_view_shows_turns_escaped_and_review_needs_csrf(console):
    session, _ = login(console)
    page = session.get(f"{console.url}/staff/conversations/assessed-1", timeout=10).text
    assert "sore lower back for 3 weeks" in page
    assert "describe_symptoms 0.97" in page and "duration_days=21" in page
    xss = session.get(f"{console.url}/staff/conversations/xss-3", timeout=10).text
    assert "<script>alert(1)</script>" not in xss and "&lt;script&gt;" in xss
    no_csrf = session.post(
        f"{console.url}/staff/conversations/assessed-1/review",
        data={"tags": "good"},
        allow_redirects=False,
        timeout=10,
    )
    assert no_csrf.status_code == 403
    csrf = csrf_of(session, console)
    reviewed = session.post(
        f"{console.url}/staff/conversations/assessed-1/review",
        data={"tags": "good  duration", "csrf": csrf},
        timeout=10,
    )
    assert "Reviewed by reception" in reviewed.text and 'value="good duration"' in reviewed.text
    listed = session.get(f"{console.url}/staff/conversations?reviewed=yes", timeout=10).text
    assert listed.count("<tr>") == 2 and "good duration" in listed


def test_pre_visit_summary_by_booking_reference(console):
    session, _ = login(console)
    page = session.get(f"{console.url}/staff/summary", params={"ref": REFERENCE}, timeout=10)
    assert page.status_code == 200
    assert "assessment" in page.text and "for 3 weeks" in page.text
    missing = session.get(f"{console.url}/staff/summary", params={"ref": "AAAA-BBBB"}, timeout=10)
    assert missing.status_code == 404 and "No conversation has the reference" in missing.text
    audit = session.get(f"{console.url}/staff/audit", timeout=10).text
    assert "looked up summary" in audit and REFERENCE in audit


def test_logout_ends_the_session(console):
    session, _ = login(console)
    csrf = csrf_of(session, console)
    session.post(f"{console.url}/staff/logout", data={"csrf": csrf}, timeout=10)
    again = session.get(f"{console.url}/staff/conversations", allow_redirects=False, timeout=10)
    assert again.status_code == 303


def test_repeated_failures_lock_the_user_out_even_with_the_right_password(console):
    for _ in range(LOCKOUT_FAILURES):
        _, answer = login(console, username="locked-user", password="guess")
        assert answer.status_code == 401
    _, answer = login(console, username="locked-user", password=PASSWORD)
    assert answer.status_code == 429 and "Too many failed attempts" in answer.text


def test_console_is_off_without_a_password_hash(web):
    answer = requests.get(f"{web.url}/staff/conversations", allow_redirects=False, timeout=10)
    assert answer.status_code == 503 and "STAFF_PASSWORD_HASH" in answer.text
