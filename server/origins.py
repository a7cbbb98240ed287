"""Which web origins may use the chat from a browser (plain Python, no Rasa).

``ALLOWED_ORIGINS``: the clinic's site origins, comma-separated, e.g.
``https://www.clinic.example,https://clinic.example``. ``*`` is never honoured.
Unset or empty: pages served from this machine (http://127.0.0.1:8000, the web app,
or any other loopback port). A loopback origin can only be a page on the visitor's
own machine, never a stranger's site, and it keeps ``make run`` and the tests working
whatever port the web app is on.

Clients that send no ``Origin`` (servers, scripts, the REST channel's usual callers)
are not browsers on a foreign page and are let through.
"""

from __future__ import annotations

import logging
import os
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def normalise(origin: str) -> str:
    return origin.strip().rstrip("/").lower()


def configured_origins() -> set[str]:
    """The origins in ``ALLOWED_ORIGINS`` (empty: loopback pages only)."""
    origins = {normalise(o) for o in os.environ.get("ALLOWED_ORIGINS", "").split(",")}
    origins.discard("")
    if "*" in origins:
        logger.error("ALLOWED_ORIGINS may not contain '*': ignored it.")
        origins.discard("*")
    return origins


def is_loopback(origin: str) -> bool:
    try:
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.hostname in LOOPBACK_HOSTS
    except ValueError:
        return False


class OriginCheck:
    """Callable as python-engineio's ``cors_allowed_origins``: (origin) -> allowed."""

    def __init__(self, origins: set[str] | None = None) -> None:
        self.origins = configured_origins() if origins is None else origins

    def __call__(self, origin: str | None, environ: dict | None = None) -> bool:
        if not origin:
            return False  # engine.io asks only to decide on CORS headers: none needed
        origin = normalise(origin)
        return origin in self.origins if self.origins else is_loopback(origin)

    def allows_request(self, origin: str | None) -> bool:
        """For a plain HTTP request: no Origin header, or an allowed one."""
        return not origin or self(origin)
