"""The form of a session cookie's value: a short id of the key that sealed it, then the Fernet
token (see triage.web.state). The id lets a server tell a cookie sealed with a key it does not
have (the session ended: it restarted with a key made at start, or its key was changed) from
one that was changed; it is derived from the key and reveals nothing of it."""

from __future__ import annotations

import base64
import hashlib
import math
import re

KEY_ID_CHARS = 8  # base64 characters (48 bits) naming the key a cookie was sealed with


def derive(secret: str, label: bytes) -> bytes:
    return base64.urlsafe_b64encode(hashlib.sha256(label + b"\0" + secret.encode()).digest())


def key_id(secret: str) -> str:
    return derive(secret, b"triage-web-key-id").decode("ascii")[:KEY_ID_CHARS]


def fernet_token_bytes(payload_bytes: int) -> int:
    """The length of the Fernet token that seals ``payload_bytes`` bytes: version, time and
    IV (25 bytes), the data padded to whole 16-byte blocks (always at least one byte of
    padding), the HMAC (32), all in base64 with padding."""
    raw = 1 + 8 + 16 + (payload_bytes // 16 + 1) * 16 + 32
    return 4 * math.ceil(raw / 3)


def sealed_bytes(payload_bytes: int) -> int:
    """The length of the cookie value that seals ``payload_bytes`` bytes: the key id, then
    the Fernet token."""
    return KEY_ID_CHARS + fernet_token_bytes(payload_bytes)


_FERNET_TEXT = re.compile(r"[A-Za-z0-9_-]+={0,2}", re.ASCII)


def fernet_shaped(text: str) -> bool:
    """Whether ``text`` has the form of a Fernet token (base64 of the version byte, time, IV,
    whole 16-byte blocks and the HMAC): what a key this server lacks would have sealed."""
    if not _FERNET_TEXT.fullmatch(text):
        return False
    try:
        raw = base64.urlsafe_b64decode(text)
    except ValueError:  # binascii.Error: wrong padding
        return False
    return len(raw) >= 73 and raw[0] == 0x80 and (len(raw) - 57) % 16 == 0
