"""The staff console over HTTP, on conversations Rasa's own SQL tracker store wrote."""

import asyncio
import re

import pytest
import requests
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tests.integration.servers import free_port
from tests.web.webapp import PASSWORD, STAFF_USER, staff_console
from web.staff.store import LOCKOUT_FAILURES

REFERENCE = "K7QX-M3PA"


def user(text, intent, confidence, channel="rest", entities=(), concepts=None):
    return UserUttered(
        text,
        {"name": intent, "confidence": confidence},
        list(entities),
        {"clinical_concepts": concepts} if concepts else None,
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
            concepts=[
                {"concept": "location", "value": "lower_back", "status": "present"},
                {"concept": "sensation", "value": "tingling", "status": "negated"},
            ],
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
    "unsure-4": [
        user(
            "Im Priya, back went twang on my long run, ring me on 07911 123456",
            "greet",
            0.41,
            entities=[{"entity": "pain_while_running", "value": True}],
        ),
        BotUttered("Hello!"),
    ],
}


async def write_trackers(url: str) -> None:
    store = SQLTrackerStore(dialect="sqlite", db=url.removeprefix("sqlite:///"))
    for sender, events in CONVERSATIONS.items():
        await store.save(DialogueStateTracker.from_events(sender, events))


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("staff")
    asyncio.run(write_trackers(f"sqlite:///{workdir / 'tracker.db'}"))
    with staff_console(workdir, f"http://127.0.0.1:{free_port()}") as app:
        yield app


def login(console, username=STAFF_USER, password=PASSWORD):
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
    ("GET", "/staff/inbox"),
    ("POST", "/staff/inbox/0123456789abcdef"),
    ("GET", "/staff/models"),
    ("POST", "/staff/models/retrain"),
    ("POST", "/staff/models/model-1/rollback"),
    ("POST", "/staff/logout"),
    ("POST", "/staff/conversations/assessed-1/review"),
    ("POST", "/staff/conversations/assessed-1/erase"),
    ("POST", "/staff/conversations/assessed-1/story"),
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
    placeholders = {
        "assessed-1": "<sender_id:str>",
        "0123456789abcdef": "<item_id:str>",
        "model-1": "<name:str>",
    }
    covered = set()
    for _, path in ANONYMOUS:
        for example, placeholder in placeholders.items():
            path = path.replace(example, placeholder)
        covered.add(path.split("?")[0].strip("/"))
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
    assert "where: lower back" in page.text and "tingling" not in page.text
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


def inbox_form(page: str, sender: str) -> dict:
    form = re.search(
        r'<form method="post" action="(/staff/inbox/\w+)".*?name="sender_id" value="'
        + re.escape(sender)
        + '".*?</form>',
        page,
        re.S,
    )
    assert form, f"no inbox item of {sender}"
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.group(0)).group(1)
    facts = re.search(r'<textarea name="facts"[^>]*>(.*?)</textarea>', form.group(0), re.S)
    return {"action": form.group(1), "csrf": csrf, "facts": facts.group(1), "text": form.group(0)}


def test_inbox_lists_fallbacks_and_low_confidence_messages_redacted(console):
    session, _ = login(console)
    page = session.get(f"{console.url}/staff/inbox", timeout=10).text
    assert "qwzx blorp" in page and "fallback" in page
    unsure = inbox_form(page, "unsure-4")
    assert "low confidence (0.41)" in unsure["text"]
    assert "07911" not in page and "Priya" not in page
    assert "ring me on 07700 900000" in unsure["text"] and "Im Sam" in unsure["text"]
    assert unsure["facts"] == "pain_while_running true present"
    assert "assessed-1" not in page  # understood with confidence 0.97


def test_approving_writes_valid_sorted_rasa_data_and_the_corrected_facts(console):
    from rasa.shared.nlu.training_data.loading import load_data

    session, _ = login(console)
    unsure = inbox_form(session.get(f"{console.url}/staff/inbox", timeout=10).text, "unsure-4")
    answer = session.post(
        f"{console.url}{unsure['action']}",
        data={
            "csrf": unsure["csrf"],
            "sender_id": "unsure-4",
            "decision": "approve",
            "intent": "describe_symptoms",
            "facts": "pain_while_running true present\nleg_symptoms none negated",
        },
        timeout=10,
    )
    assert answer.status_code == 200 and "Added to the training data" in answer.text
    assert "corrected facts were saved" in answer.text
    assert "unsure-4" not in answer.text  # decided: out of the inbox

    reviewed = console.project / "data" / "nlu" / "reviewed.yml"
    examples = load_data(str(reviewed)).intent_examples
    assert [(m.get("intent"), m.get("text")) for m in examples] == [
        (
            "describe_symptoms",
            "Im Sam, back went twang on my long run, ring me on 07700 900000",
        )
    ]
    cases = yaml.safe_load((console.project / "tests" / "nlu_reviewed.yml").read_text())
    assert cases["utterances"][0]["facts"] == [
        ["pain_while_running", True, "present"],
        ["leg_symptoms", "none", "negated"],
    ]


def test_irrelevant_messages_leave_the_inbox_and_duplicates_are_not_added(console):
    session, _ = login(console)
    page = session.get(f"{console.url}/staff/inbox", timeout=10).text
    xss = inbox_form(page, "xss-3")
    answer = session.post(
        f"{console.url}{xss['action']}",
        data={"csrf": xss["csrf"], "sender_id": "xss-3", "decision": "irrelevant"},
        timeout=10,
    )
    assert "Marked irrelevant" in answer.text and 'value="xss-3"' not in answer.text
    fallback = inbox_form(answer.text, "fallback-2")
    bad_intent = session.post(
        f"{console.url}{fallback['action']}",
        data={
            "csrf": fallback["csrf"],
            "sender_id": "fallback-2",
            "decision": "approve",
            "intent": "made_up",
        },
        timeout=10,
    )
    assert bad_intent.status_code == 400
    (console.project / "data" / "nlu" / "extra.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: out_of_scope\n  examples: |\n    - QWZX blorp\n'
    )
    duplicate = session.post(
        f"{console.url}{fallback['action']}",
        data={
            "csrf": fallback["csrf"],
            "sender_id": "fallback-2",
            "decision": "approve",
            "intent": "out_of_scope",
            "facts": "",
        },
        timeout=10,
    )
    assert "already in the training data" in duplicate.text
    assert "qwzx blorp" not in (console.project / "data" / "nlu" / "reviewed.yml").read_text()
