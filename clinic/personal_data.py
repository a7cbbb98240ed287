"""Phone numbers and email addresses in free text, found the same way wherever
they are removed: from log lines (server/log_format.py) and from messages copied
into training data or test stories (web/staff/redaction.py)."""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Digits with spaces, hyphens or brackets between them; no dots (IP addresses,
# versions, decimals) and not inside a word or an identifier such as a UUID.
PHONE = re.compile(r"(?<![\w.\-+])\+?\(?\d[\d \t()\-]{6,}\d(?![\w\-])")
_DATE = re.compile(r"(?:19|20)\d\d-?\d\d-?\d\d")  # 2026-11-24 and 20261124-231334


def is_phone_number(found: str) -> bool:
    """A PHONE match with the digits of a phone number (9 to 15), not a date."""
    digits = sum(char.isdigit() for char in found)
    return 9 <= digits <= 15 and (found.startswith("+") or not _DATE.match(found))


def replace_contacts(text: str, phone: str, email: str) -> str:
    """``text`` with every email address and phone number replaced."""
    text = EMAIL.sub(email, text)
    return PHONE.sub(lambda m: phone if is_phone_number(m.group(0)) else m.group(0), text)
