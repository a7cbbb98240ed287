"""The Rasa server's credentials file, generated from the environment (server/credentials.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from server import credentials

TELEGRAM = {
    "TELEGRAM_TOKEN": "123456:secret-token",
    "TELEGRAM_BOT_NAME": "clinic_bot",
    "TELEGRAM_WEBHOOK_URL": "https://chat.example/webhooks/telegram/webhook",
}
ALWAYS_ON = ["server.channels.FailSafeRestInput", "server.channels.FailSafeSocketIOInput"]


def test_without_variables_only_the_always_on_channels() -> None:
    assert list(credentials.credentials({})) == ALWAYS_ON
    line = credentials.status_line({})
    assert "\n" not in line
    assert line.startswith("Messaging channels off: telegram (set TELEGRAM_TOKEN, ")
    for var in ("TWILIO_AUTH_TOKEN", "TWILIO_WEBHOOK_URL", "FACEBOOK_APP_SECRET"):
        assert var in line


def test_a_configured_channel_names_its_variables_never_their_values() -> None:
    environ = {**TELEGRAM, "TELEGRAM_SECRET_TOKEN": "s3cret"}
    merged = credentials.credentials(environ)
    assert merged["server.messaging.TelegramInput"] == {
        "access_token": "${TELEGRAM_TOKEN}",
        "verify": "${TELEGRAM_BOT_NAME}",
        "webhook_url": "${TELEGRAM_WEBHOOK_URL}",
        "secret_token": "${TELEGRAM_SECRET_TOKEN}",
    }
    assert credentials.status_line(environ).startswith("Messaging channels on: telegram; off: ")
    assert "Warning" not in credentials.status_line(environ)


def test_a_partly_configured_channel_stays_off_and_says_what_is_missing() -> None:
    environ = {key: value for key, value in TELEGRAM.items() if key != "TELEGRAM_BOT_NAME"}
    assert "server.messaging.TelegramInput" not in credentials.credentials(environ)
    assert "telegram (set TELEGRAM_BOT_NAME)" in credentials.status_line(environ)
    assert "telegram (set TELEGRAM_BOT_NAME)" in credentials.status_line(
        {**environ, "TELEGRAM_BOT_NAME": ""}
    )


def test_telegram_without_a_secret_token_is_on_with_a_warning() -> None:
    assert "Warning: set TELEGRAM_SECRET_TOKEN" in credentials.status_line(TELEGRAM)


def test_written_file_loads_in_rasa_with_the_values_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasa.shared.utils.io import read_config_file

    environ = {
        **TELEGRAM,
        "FACEBOOK_VERIFY_TOKEN": "verify-me",
        "FACEBOOK_APP_SECRET": "app-secret",
        "FACEBOOK_PAGE_ACCESS_TOKEN": "EAApage",
    }
    out = tmp_path / "var" / "credentials.yml"
    credentials.write(out, environ)
    text = out.read_text()
    assert "secret-token" not in text and "app-secret" not in text  # no secret on disk
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    loaded = read_config_file(out)
    assert list(loaded) == [
        *ALWAYS_ON,
        "server.messaging.TelegramInput",
        "server.messaging.FacebookInput",
    ]
    assert loaded["server.messaging.TelegramInput"]["access_token"] == "123456:secret-token"
    assert loaded["server.messaging.FacebookInput"]["page-access-token"] == "EAApage"
    assert loaded["server.channels.FailSafeSocketIOInput"]["session_persistence"] is True


def test_main_writes_the_file_and_prints_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for channel in credentials.CHANNELS:
        for var in [*channel.required.values(), *channel.optional.values()]:
            monkeypatch.delenv(var, raising=False)
    out = tmp_path / "credentials.yml"
    assert credentials.main([str(out)]) == 0
    assert list(yaml.safe_load(out.read_text())) == ALWAYS_ON
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1 and printed.startswith("Messaging channels off:")
