"""Staff password hashes: scrypt, stored as one string in STAFF_PASSWORD_HASH.

``python -m web.staff.passwords`` asks for a password and prints its hash.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import secrets

# scrypt at these costs takes about 50 ms here: slow for guessing, fine for a login.
N, R, P = 2**14, 8, 1


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(
            password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate, _unb64(digest))


def main() -> None:
    password = getpass.getpass("New staff password: ")
    if len(password) < 12:
        raise SystemExit("Use at least 12 characters.")
    if getpass.getpass("Again: ") != password:
        raise SystemExit("The two passwords differ.")
    print(hash_password(password))


if __name__ == "__main__":
    main()
