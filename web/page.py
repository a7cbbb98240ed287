"""The demo clinic page: the clinic's details, the article in short, and the widget."""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

from clinic.settings import ClinicSettings

TEMPLATE = Path(__file__).resolve().parent / "templates" / "index.html"
COLOURS = {"primary": "#0b5563", "accent": "#8a2c0d"}


@cache
def _template() -> Template:
    return Template(TEMPLATE.read_text(encoding="utf-8"))


def widget_config(settings: ClinicSettings, rasa_url: str) -> dict[str, Any]:
    """The configuration object the widget reads from ``window.clinicChat``."""
    return {
        "serverUrl": rasa_url,
        "title": f"{settings.name} assistant",
        "subtitle": "Back pain and running",
        "clinicName": settings.name,
        "phone": settings.phone,
        "colours": COLOURS,
    }


def script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element (no "</script>", no "<!--")."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_page(settings: ClinicSettings, rasa_url: str, nonce: str) -> str:
    escape = html.escape
    return _template().substitute(
        name=escape(settings.name),
        phone=escape(settings.phone),
        phone_link=escape(settings.phone_link),
        booking_url=escape(settings.booking_url),
        opening_hours=escape(settings.opening_hours),
        threshold=escape(settings.threshold_text),
        nonce=escape(nonce),
        widget_config=script_json(widget_config(settings, rasa_url)),
    )
