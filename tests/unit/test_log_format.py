"""JSON log lines: redaction of personal data and secrets, and Rasa's logging set-up."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import coloredlogs
import pytest

from server.log_format import (
    JsonFormatter,
    adopt_library_loggers,
    configure_logging,
    redact,
    secret_values,
)

LOGGING_FILE = Path(__file__).resolve().parents[2] / "server" / "logging.yml"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call me on 07700 900123 please", "call me on [phone] please"),
        ("my number is +44 (0)1564 330773.", "my number is [phone]."),
        ("mobile: 07700-900-123", "mobile: [phone]"),
        ("ring 01564330773", "ring [phone]"),
        ("email jo.bloggs+run@gmail.co.uk now", "email [email] now"),
        (
            "GET /conversations/x/tracker?token=abc.def-123 HTTP",
            "GET /conversations/x/tracker?token=[redacted] HTTP",
        ),
        (
            "/socket.io/?EIO=4&transport=polling&sid=AbC123",
            "/socket.io/?EIO=4&transport=polling&sid=[redacted]",
        ),
        ("postgresql://rasa:s3cret@db:5432/rasa", "postgresql://rasa:[redacted]@db:5432/rasa"),
        ("Authorization: Bearer eyJhbGciOi.x.y", "Authorization: Bearer [redacted]"),
        ("\x1b[93mwarning\x1b[0m", "warning"),
    ],
)
def test_redacted(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "call 999 now",
        "sore for 3 weeks after a 10k on 12/10",
        "listening on 127.0.0.1:5005 and 192.168.100.200",
        "Rasa 3.6.21, took 0.123456789 s",
        "model 20261124-231334-brisk-rain.tar.gz at 2026-11-24 23:13:34",
        "sender test-3f2a1b4c5d6e and 1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "conversation fuzz-123456789012",
    ],
)
def test_left_alone(text):
    assert redact(text) == text


def test_secret_values_from_the_environment():
    environ = {"RASA_AUTH_TOKEN": "a-long-token-value", "JWT_SECRET": "short", "HOME": "/root"}
    assert secret_values(environ) == ["a-long-token-value"]
    assert (
        redact("token a-long-token-value here", ["a-long-token-value"]) == "token [redacted] here"
    )


def record(message: str, level: int = logging.INFO, **extra: object) -> logging.LogRecord:
    made = logging.LogRecord("rasa.core.test", level, __file__, 1, message, None, None)
    made.__dict__.update(extra)
    return made


def test_one_json_object_per_line_with_extra_fields_redacted():
    line = JsonFormatter().format(
        record("two\nlines, 07700 900123", request="GET /x?token=secret123", status=200)
    )
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "info" and entry["logger"] == "rasa.core.test" and entry["time"]
    assert entry["message"] == "two\nlines, [phone]"
    assert entry["request"] == "GET /x?token=[redacted]" and entry["status"] == 200


def test_an_exception_is_kept_and_redacted():
    try:
        raise ValueError("bad input from jo@example.com")
    except ValueError:
        failed = record("failed", logging.ERROR, exc_info=sys.exc_info())
    entry = json.loads(JsonFormatter().format(failed))
    assert "ValueError: bad input from [email]" in entry["exception"]


def structlog_line(**fields: object) -> str:
    return json.dumps({"event": "processor.message.parse", **fields})


def test_message_texts_from_rasa_structlog_are_dropped_at_info_and_above():
    text = "my back hurts since the Zanzibar half"
    for level in (logging.INFO, logging.ERROR):
        line = JsonFormatter().format(record(structlog_line(text=text, count=3), level))
        entry = json.loads(line)
        assert "Zanzibar" not in line
        assert entry["event"] == "processor.message.parse" and entry["count"] == 3


def test_at_debug_texts_stay_but_phones_and_emails_do_not():
    text = "Zanzibar, call 07700 900123 or jo@example.com"
    entry = json.loads(JsonFormatter().format(record(structlog_line(text=text), logging.DEBUG)))
    assert entry["text"] == "Zanzibar, call [phone] or [email]"


@pytest.fixture
def saved_logging():
    """Restores the global logging set-up the test changes."""
    names = ["", "sanic.root", "sanic.error", "sanic.access", "engineio.server", "socketio.server"]
    saved = {
        name: (
            logging.getLogger(name).handlers[:],
            logging.getLogger(name).level,
            logging.getLogger(name).propagate,
        )
        for name in names
    }
    # configure_logging() (dictConfig) closes every handler in the process. absl's,
    # there once a test has imported TensorFlow through Rasa, then closes the stream
    # it took at import unless that is the current sys.stderr: under pytest, that
    # stream is pytest's own capture, and the whole run would end in a crash.
    absl_logging = sys.modules.get("absl.logging")
    if absl_logging is not None:
        absl_logging.get_absl_handler().python_handler.stream = sys.__stderr__
    yield
    logging.captureWarnings(False)
    for name, (handlers, level, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate


def test_json_survives_rasas_coloredlogs_and_sanics_defaults(saved_logging, capsys):
    """Rasa applies the logging file, then coloredlogs.install(), then Sanic() its own
    logging defaults: only JSON lines come out, on standard output."""
    configure_logging(LOGGING_FILE)
    coloredlogs.install(level="INFO", fmt="%(asctime)s %(levelname)-8s %(name)s  - %(message)s")
    sanic_logger = logging.getLogger("sanic.root")
    sanic_logger.handlers[:] = [logging.StreamHandler(sys.stdout)]  # as Sanic() does
    engineio_logger = logging.getLogger("engineio.server")
    engineio_logger.addHandler(logging.StreamHandler())  # as python-engineio does
    adopt_library_loggers()
    logging.getLogger("rasa.test").info("hello 07700 900123")
    sanic_logger.info("Goin' Fast")
    logging.getLogger("sanic.access").info("", extra={"request": "GET /t?token=x1"})
    engineio_logger.error("https://evil.example is not an accepted origin.")
    out, err = capsys.readouterr()
    assert err == ""
    entries = [json.loads(line) for line in out.splitlines()]
    assert [entry.get("message") for entry in entries] == [
        "hello [phone]",
        "Goin' Fast",
        "",
        "https://evil.example is not an accepted origin.",
    ]
    assert entries[2]["request"] == "GET /t?token=[redacted]"


def test_no_logging_file_changes_nothing(saved_logging):
    handlers = logging.getLogger().handlers[:]
    configure_logging(None)
    configure_logging("")
    adopt_library_loggers()  # not JSON logging: Sanic's set-up is left alone
    assert logging.getLogger().handlers == handlers


def test_sql_parameters_in_database_errors_are_redacted():
    error = (
        "(psycopg2.OperationalError) server closed the connection unexpectedly\n"
        "[SQL: INSERT INTO events (sender_id, data) VALUES (%(sender_id)s, %(data)s)]\n"
        "[parameters: {'sender_id': 'abc', 'data': '{\"text\": \"I can\\'t pee [sic]\"}'}]\n"
        "(Background on this error at: https://sqlalche.me/e/14/e3q8)"
    )
    redacted = redact(error)
    assert "pee" not in redacted and "[parameters: [redacted]]" in redacted
    assert "INSERT INTO events" in redacted and "Background on this error" in redacted
