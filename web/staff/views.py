"""HTML for the staff console: plain server-rendered pages, everything escaped."""

from __future__ import annotations

import json
from html import escape
from typing import Any
from urllib.parse import quote

from clinic.described import described_text
from clinic.facts import Facts
from clinic.settings import ClinicSettings
from clinic.summary import summarise
from clinic.triage import LEVELS, triage
from retrain.history import ModelRecord
from web.staff.conversations import Conversation, ConversationFilter, when
from web.staff.inbox import InboxItem
from web.staff.store import Review

CHANNELS = ("rest", "socketio", "telegram", "twilio", "facebook")


def page(
    settings: ClinicSettings,
    title: str,
    body: str,
    user: str | None = None,
    csrf: str = "",
    refresh: bool = False,
) -> str:
    nav = ""
    if user:
        nav = (
            '<nav aria-label="Staff console"><a href="/staff/conversations">Conversations</a>'
            ' <a href="/staff/inbox">NLU inbox</a> <a href="/staff/models">Models</a>'
            ' <a href="/staff/summary">Pre-visit summary</a> <a href="/staff/audit">Audit log</a>'
            f' <form method="post" action="/staff/logout" class="inline">{csrf_field(csrf)}'
            f'<button type="submit">Log out {escape(user)}</button></form></nav>'
        )
    return (
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        + ('<meta http-equiv="refresh" content="5">' if refresh else "")
        + f"<title>{escape(title)}: {escape(settings.name)} staff</title>"
        '<link rel="stylesheet" href="/static/staff.css"></head><body>'
        f"<header><p>{escape(settings.name)}: staff console</p>{nav}</header>"
        f'<main id="main"><h1>{escape(title)}</h1>{body}</main></body></html>'
    )


def csrf_field(csrf: str) -> str:
    return f'<input type="hidden" name="csrf" value="{escape(csrf)}">'


def login_form(csrf: str, problem: str = "") -> str:
    error = f'<p class="error" role="alert">{escape(problem)}</p>' if problem else ""
    return (
        f'{error}<form method="post" action="/staff/login">{csrf_field(csrf)}'
        '<label>User name <input name="username" autocomplete="username" required></label>'
        '<label>Password <input name="password" type="password"'
        ' autocomplete="current-password" required></label>'
        '<button type="submit">Log in</button></form>'
    )


def console_off() -> str:
    return (
        "<p>The staff console is off: no staff password is set. Set STAFF_PASSWORD_HASH "
        "(make a hash with <code>python -m web.staff.passwords</code>) and restart.</p>"
    )


def _options(name: str, values: tuple[str, ...], chosen: str | None, label: str) -> str:
    options = [f'<option value="">{escape(label)}</option>']
    for value in values:
        selected = " selected" if value == chosen else ""
        options.append(f'<option value="{escape(value)}"{selected}>{escape(value)}</option>')
    return f'<select name="{name}" aria-label="{escape(label)}">{"".join(options)}</select>'


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def conversation_list(
    conversations: list[Conversation],
    reviews: dict[str, Review],
    filters: ConversationFilter,
    reviewed: bool | None,
) -> str:
    since = filters.since.date().isoformat() if filters.since else ""
    until = filters.until.date().isoformat() if filters.until else ""
    form = (
        '<form method="get" action="/staff/conversations" class="filters">'
        f'<label>From <input type="date" name="since" value="{since}"></label>'
        f'<label>To <input type="date" name="until" value="{until}"></label>'
        + _options("channel", CHANNELS, filters.channel, "any channel")
        + _options("level", LEVELS, filters.level, "any level")
        + _options("fallback", ("yes", "no"), _yes_no(filters.had_fallback), "fallback?")
        + _options("reviewed", ("yes", "no"), _yes_no(reviewed), "reviewed?")
        + '<button type="submit">Filter</button></form>'
    )
    if not conversations:
        return form + "<p>No conversations match.</p>"
    rows = []
    for conversation in conversations:
        review = reviews.get(conversation.sender_id)
        link = "/staff/conversations/" + quote(conversation.sender_id, safe="")
        rows.append(
            "<tr>"
            f'<td><a href="{escape(link)}">{escape(when(conversation.last))}</a></td>'
            f"<td>{escape(conversation.channel or '')}</td>"
            f"<td>{escape(conversation.level or 'no outcome')}</td>"
            f"<td>{len(conversation.turns)}</td>"
            f"<td>{'yes' if conversation.had_fallback else ''}</td>"
            f"<td>{'yes' if review and review.reviewed_by else ''}</td>"
            f"<td>{escape(review.tags if review else '')}</td>"
            "</tr>"
        )
    return (
        form
        + "<table><caption>Most recent first</caption><thead><tr><th scope=col>Last message</th>"
        "<th scope=col>Channel</th><th scope=col>Outcome</th><th scope=col>Messages</th>"
        "<th scope=col>Fallback</th><th scope=col>Reviewed</th><th scope=col>Tags</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _entities(entities: list[dict[str, Any]]) -> str:
    parts = []
    for entity in entities:
        role = f" ({entity['role']})" if entity.get("role") else ""
        parts.append(f"{entity.get('entity')}={json.dumps(entity.get('value'))}{role}")
    return escape(", ".join(parts)) or "none"


def conversation_view(conversation: Conversation, review: Review | None, csrf: str) -> str:
    target = "/staff/conversations/" + quote(conversation.sender_id, safe="")
    turns = [f'<p class="bot">{escape(text)}</p>' for text in conversation.opening_bot]
    for turn in conversation.turns:
        confidence = "" if turn.confidence is None else f" {turn.confidence:.2f}"
        fallback = ' <strong class="flag">fallback</strong>' if turn.is_fallback else ""
        slots = escape(", ".join(f"{k}={json.dumps(v)}" for k, v in turn.slots.items()))
        turns.append(
            f'<div class="turn"><p class="user">{escape(turn.text)}</p>'
            f'<p class="meta">intent {escape(turn.intent or "none")}{confidence}{fallback};'
            f" entities {_entities(turn.entities)}"
            + (f"; slots {slots}" if slots else "")
            + "</p>"
            + "".join(f'<p class="bot">{escape(text)}</p>' for text in turn.bot)
            + "</div>"
        )
    tags = escape(review.tags if review else "")
    reviewed = (
        f"Reviewed by {escape(review.reviewed_by)}. " if review and review.reviewed_by else ""
    )
    return (
        f"<p>Conversation <code>{escape(conversation.sender_id)}</code>, channel "
        f"{escape(conversation.channel or 'unknown')}, outcome "
        f"{escape(conversation.level or 'none')}, reference "
        f"{escape(conversation.reference or 'none')}, {escape(when(conversation.started))}"
        f" to {escape(when(conversation.last))}.</p>"
        + "".join(turns)
        + f'<form method="post" action="{escape(target)}/review">{csrf_field(csrf)}'
        f'<p>{reviewed}<label>Tags <input name="tags" value="{tags}"'
        ' placeholder="e.g. missed duration, good"></label>'
        '<button type="submit">Mark reviewed</button></p></form>'
        f'<form method="post" action="{escape(target)}/story">{csrf_field(csrf)}'
        "<p>Handled well? Keep it that way: "
        '<button type="submit">Save as a test story</button></p></form>'
        f'<form method="post" action="{escape(target)}/erase">{csrf_field(csrf)}'
        '<p><label><input type="checkbox" name="confirm" value="yes" required> Erase everything'
        " kept about this conversation (the person asked us to)</label>"
        ' <button type="submit" class="danger">Erase</button></p></form>'
    )


def summary_form(reference: str = "", problem: str = "") -> str:
    error = f'<p class="error" role="alert">{escape(problem)}</p>' if problem else ""
    return (
        f'{error}<form method="get" action="/staff/summary"><label>Booking reference '
        f'<input name="ref" value="{escape(reference)}" placeholder="K7QX-M3PA" required>'
        '</label><button type="submit">Look up</button></form>'
    )


def pre_visit_summary(conversation: Conversation, settings: ClinicSettings) -> str:
    facts = Facts.from_slots(conversation.slots)
    result = triage(facts, settings.duration_threshold_days)
    link = "/staff/conversations/" + quote(conversation.sender_id, safe="")
    reasons = ", ".join(result.reasons) or "none"
    own_words = described_text(conversation.concepts) or "nothing more"
    return (
        f"<dl><dt>Reference</dt><dd>{escape(conversation.reference or '')}</dd>"
        f"<dt>Outcome</dt><dd>{escape(conversation.level or result.level)}</dd>"
        f"<dt>Why</dt><dd>{escape(reasons)}</dd>"
        f"<dt>What the patient reported</dt><dd>{escape(summarise(facts))}</dd>"
        f"<dt>In their own words</dt><dd>{escape(own_words)}</dd>"
        f"<dt>When</dt><dd>{escape(when(conversation.last))}</dd></dl>"
        f'<p><a href="{escape(link)}">The whole conversation</a></p>'
    )


def audit_table(entries: list[dict[str, Any]]) -> str:
    rows = "".join(
        f"<tr><td>{escape(when(e['at']))}</td><td>{escape(e['user'])}</td>"
        f"<td>{escape(e['action'])}</td><td>{escape(e['target'])}</td>"
        f"<td>{escape(e['ip'])}</td></tr>"
        for e in entries
    )
    return (
        "<table><thead><tr><th scope=col>When</th><th scope=col>Who</th><th scope=col>What</th>"
        f"<th scope=col>Of what</th><th scope=col>From</th></tr></thead><tbody>{rows}</tbody>"
        "</table>"
    )


def inbox(items: list[InboxItem], intents: list[str], csrf: str, notice: str = "") -> str:
    message = f'<p role="status" class="notice">{escape(notice)}</p>' if notice else ""
    if not items:
        return message + "<p>Nothing to review: every message was understood.</p>"
    cards = []
    for item in items:
        facts = "\n".join(" ".join(fact) for fact in item.facts)
        choices = _options("intent", tuple(intents), item.intent, "choose the intent")
        link = "/staff/conversations/" + quote(item.sender_id, safe="")
        cards.append(
            f'<form method="post" action="/staff/inbox/{escape(item.item_id)}" class="turn">'
            f"{csrf_field(csrf)}"
            f'<input type="hidden" name="sender_id" value="{escape(item.sender_id)}">'
            f'<p class="user">{escape(item.text)}</p>'
            f'<p class="meta">{escape(item.reason)}; understood as '
            f"{escape(item.intent or 'nothing')}, {escape(when(item.at))}, "
            f'<a href="{escape(link)}">conversation</a></p>'
            f"<p><label>The person meant {choices}</label></p>"
            "<p><label>Facts in this message, one per line as “fact value status”"
            f'<br><textarea name="facts" rows="3" cols="50">{escape(facts)}</textarea>'
            "</label></p>"
            '<p><button type="submit" name="decision" value="approve">Approve</button> '
            '<button type="submit" name="decision" value="irrelevant">Irrelevant</button></p>'
            "</form>"
        )
    return message + "".join(cards)


def _figures(metrics: dict[str, Any]) -> str:
    names = {
        "test_stories": "stories passed",
        "intent_macro_f1": "intent F1",
        "red_flag_recall": "red-flag recall",
        "negation_errors": "negation errors",
    }
    return ", ".join(f"{names.get(k, k)} {v}" for k, v in metrics.items()) or "not measured"


def models_page(
    records: list[ModelRecord], progress: dict[str, Any], running: bool, csrf: str, notice: str = ""
) -> str:
    message = f'<p role="status" class="notice">{escape(notice)}</p>' if notice else ""
    steps = "".join(f"<li>{escape(step)}</li>" for step in progress.get("steps", []))
    state = progress.get("state")
    if running:
        status = f'<section aria-live="polite"><h2>Retraining now</h2><ol>{steps}</ol></section>'
    elif state:
        reason = f"<p>{escape(progress.get('reason') or '')}</p>" if progress.get("reason") else ""
        status = (
            f"<section><h2>Last retraining: {escape(state)}</h2><ol>{steps}</ol>{reason}</section>"
        )
    else:
        status = ""
    button = (
        ""
        if running
        else f'<form method="post" action="/staff/models/retrain">{csrf_field(csrf)}'
        "<p>Retrain with everything approved so far. It takes several minutes; the live"
        ' model keeps answering meanwhile. <button type="submit">Retrain now</button></p></form>'
    )
    rows = []
    for record in records:
        action = ""
        if record.status == "previous":
            action = (
                f'<form method="post" action="/staff/models/{escape(record.name)}/rollback">'
                f'{csrf_field(csrf)}<button type="submit">Put back live</button></form>'
            )
        rows.append(
            f"<tr><td>{escape(record.name)}</td><td>{escape(record.created)}</td>"
            f"<td>{escape(record.status)}</td><td>{escape(record.how)}</td>"
            f"<td>{escape(_figures(record.metrics))}</td><td>{escape(record.reason)}</td>"
            f"<td>{action}</td></tr>"
        )
    table = (
        "<table><caption>Newest first</caption><thead><tr><th scope=col>Model</th>"
        "<th scope=col>Made</th><th scope=col>Status</th><th scope=col>How</th>"
        "<th scope=col>Figures</th><th scope=col>Why refused</th><th scope=col></th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
        if rows
        else "<p>No retraining yet.</p>"
    )
    return message + status + button + table
