"""JSON log lines with personal data and secrets redacted (plain Python, no Rasa).

Used by server/logging.yml for the Rasa server, the action server and the web app:
one JSON object per line with ``time``, ``level``, ``logger`` and ``message`` (or
Rasa's structlog ``event`` and its fields), plus any ``extra`` fields (Sanic's
access log: ``request``, ``status``, ...) and ``exception``.

Redacted in every string at every level: phone numbers, email addresses, secrets in
URLs and headers (``?token=...``, ``user:password@``, ``Bearer ...``) and the values
of secret environment variables (``*TOKEN*``, ``*SECRET*``, ``*PASSWORD*``, ``*KEY*``).
Rasa's fields that carry what people wrote (``text``, ``user_text``, ...) and
socket.io's packet data are dropped at info level and above: patients' messages are
health data.
"""

from __future__ import annotations

import json
import logging
import logging.config
import os
import re
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from clinic.personal_data import replace_contacts

REDACTED = "[redacted]"
PHONE = "[phone]"
EMAIL = "[email]"

_URL_SECRET = re.compile(
    r"(?i)([?&;](?:token|access_token|auth_token|auth|jwt|key|api_key|apikey|secret|"
    r"password|passwd|pwd|signature|sig|sid|session_id|code)=)[^&;\s\"'#]+"
)
_USERINFO = re.compile(r"(?i)(\b[a-z][a-z0-9+.\-]*://[^/\s:@\"']+:)[^@\s/\"']+@")
# SQLAlchemy puts a failed statement's parameters in its error: events hold texts.
_SQL_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\s*(?:\(Background|$))", re.S | re.M)
_BEARER = re.compile(r"(?i)\b(bearer\s+)[\w\-.~+/]+=*")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# python-engineio logs every packet, what people wrote included, at info level.
_PACKET_DATA = re.compile(r"(packet \w+ data ).*", re.DOTALL)
_SECRET_NAMES = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL", re.IGNORECASE)

# Rasa's structlog fields that can carry what a person wrote (rasa.utils.log_utils).
TEXT_FIELDS = frozenset(
    {
        "text",
        "response_text",
        "user_text",
        "slot_values",
        "parse_data_text",
        "parse_data_entities",
        "prediction_events",
        "tracker_latest_message",
        "prefilled_slots",
        "message",
        "response",
        "slot_candidates",
        "rasa_event",
        "rasa_events",
        "tracker_states",
        "current_states",
        "old_states",
        "successes",
        "current_entity",
        "next_entity",
        "states",
        "entity",
        "token_text",
        "user_message",
        "json_message",
    }
)
# The attributes every LogRecord has; anything else came in through ``extra``.
_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def secret_values(environ: dict[str, str] | None = None) -> list[str]:
    """Values of secret-looking environment variables, longest first."""
    environ = os.environ if environ is None else environ
    values = {
        value for name, value in environ.items() if _SECRET_NAMES.search(name) and len(value) >= 8
    }
    return sorted(values, key=len, reverse=True)


def redact(text: str, secrets: Sequence[str] = ()) -> str:
    """``text`` without phone numbers, emails, secrets or terminal colours."""
    text = _ANSI.sub("", text)
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    text = _USERINFO.sub(rf"\1{REDACTED}@", text)
    text = _URL_SECRET.sub(rf"\1{REDACTED}", text)
    text = _BEARER.sub(rf"\1{REDACTED}", text)
    text = _SQL_PARAMETERS.sub(f"[parameters: {REDACTED}]", text)
    return replace_contacts(text, PHONE, EMAIL)


def redact_value(value: Any, secrets: Sequence[str] = ()) -> Any:
    """Redacts every string inside ``value`` (numbers stay numbers: JSON stays valid)."""
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {str(k): redact_value(v, secrets) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [redact_value(v, secrets) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return redact(str(value), secrets)


def _structlog_event(message: str) -> dict[str, Any] | None:
    """Rasa's structlog renders each event as JSON before stdlib logging sees it."""
    if not (message.startswith("{") and message.endswith("}")):
        return None
    try:
        event = json.loads(message)
    except ValueError:
        return None
    return event if isinstance(event, dict) and "event" in event else None


class JsonFormatter(logging.Formatter):
    """One redacted JSON object per record."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read when logging is configured, not at import.
        self.secrets = secret_values()

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        message = record.getMessage()
        if record.levelno >= logging.INFO and record.name.startswith("engineio"):
            message = _PACKET_DATA.sub(rf"\1{REDACTED}", message)
        event = _structlog_event(message)
        if event is None:
            entry["message"] = message
        else:
            for key, value in event.items():
                if key in TEXT_FIELDS and record.levelno >= logging.INFO:
                    value = REDACTED
                entry.setdefault(key, value)
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and not key.startswith("_"):
                entry.setdefault(key, value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(redact_value(entry, self.secrets), ensure_ascii=False)


class DropAll(logging.Filter):
    """Lets nothing through (see the ``coloredlogs`` handler in server/logging.yml)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return False


class _Stdout:
    """Whatever ``sys.stdout`` is when a line is written."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


class StdoutHandler(logging.StreamHandler):
    """Writes to standard output through a proxy: Rasa's CLI calls
    ``coloredlogs.install()`` after applying the logging file, which replaces the
    first handler writing to ``sys.stdout``/``sys.stderr`` themselves."""

    def __init__(self) -> None:
        super().__init__(_Stdout())
        # Python warnings (Rasa raises many) as log records, not raw stderr text.
        logging.captureWarnings(True)


SANIC_LOGGERS = ("sanic.root", "sanic.error", "sanic.access")
# python-engineio and python-socketio give their loggers a text handler of their own.
SOCKETIO_LOGGERS = ("engineio.server", "socketio.server")


def adopt_library_loggers() -> None:
    """Points Sanic's and socket.io's loggers at JSON, if the root logger has a JSON handler.

    ``Sanic()`` applies Sanic's own logging defaults when the Rasa server creates its
    app, and socket.io's server adds its own handler when the channel creates it, both
    after the logging file: the channels call this once those exist. Sanic gets a
    handler of its own: Rasa adds a filter dropping repeated messages to the root's
    handlers, and every access log record has the same (empty) message."""
    ours = [h for h in logging.getLogger().handlers if isinstance(h, StdoutHandler)]
    if not ours:
        return  # JSON logging is not in use: leave Rasa's and Sanic's set-up alone
    handler = StdoutHandler()
    handler.setFormatter(ours[0].formatter)
    for name in SANIC_LOGGERS + SOCKETIO_LOGGERS:
        library_logger = logging.getLogger(name)
        for old in list(library_logger.handlers):
            library_logger.removeHandler(old)
        if name in SANIC_LOGGERS:
            library_logger.addHandler(handler)
            library_logger.propagate = False
        else:
            library_logger.propagate = True


def configure_logging(path: str | os.PathLike[str] | None) -> None:
    """Applies a logging file such as server/logging.yml (nothing if ``path`` is empty)."""
    if path:
        logging.config.dictConfig(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
