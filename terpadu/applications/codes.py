"""Tracking codes and document tokens.

A tracking code is 10 symbols of Crockford's base32 (50 random bits) written in
groups ``7K2Q-M4T-XP9``: no I, L, O or U, so it reads aloud without "is that an O
or a zero?"; input is forgiving (lower case, spaces, dashes, O→0, I/L→1).

A document token is ``<document id>.<signature>``, the signature being the first
15 bytes of HMAC-SHA256(DOCUMENT_KEY, "doc:<id>:<number>") in base32. Change one
character and it no longer verifies.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from django.conf import settings

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
_FORGIVE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(CROCKFORD) for _ in range(CODE_LENGTH))


def normalise_code(value: str) -> str:
    """``"7k2q m4t-xp9"`` -> ``"7K2QM4TXP9"``; anything that is not a code -> ``""``."""
    raw = re.sub(r"[\s\-.]", "", str(value or "")).upper().translate(_FORGIVE)
    if len(raw) != CODE_LENGTH or any(ch not in CROCKFORD for ch in raw):
        return ""
    return raw


def _signature(document_id: int, number: str) -> str:
    key = str(settings.DOCUMENT_KEY).encode()
    digest = hmac.new(key, f"doc:{document_id}:{number}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:15]).decode().rstrip("=")


def document_token(document_id: int, number: str) -> str:
    return f"{document_id}.{_signature(document_id, number)}"


def token_document_id(token: str) -> int | None:
    """The id a token claims (not yet verified), or None if it is malformed."""
    head, _, sig = str(token or "").partition(".")
    if not head.isdigit() or len(head) > 12 or len(sig) != 24:
        return None
    return int(head)


def token_matches(token: str, document_id: int, number: str) -> bool:
    _, _, sig = str(token or "").partition(".")
    return hmac.compare_digest(sig.encode(), _signature(document_id, number).encode())
