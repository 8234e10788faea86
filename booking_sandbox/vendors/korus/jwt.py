"""Compact JWTs (RFC 7519) signed HS256 with a key derived from the server's seed.

Keycloak signs with RS256; clients treat the token as opaque, so a symmetric key is enough here
and keeps tokens identical for the same seed, requests and clock.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@lru_cache(maxsize=16)
def signing_key(seed: int) -> bytes:
    return hashlib.sha256(f"booking-sandbox:korus:jwt:{seed}".encode()).digest()


def sign(claims: dict[str, Any], key: bytes) -> str:
    header = {"alg": "HS256", "typ": "JWT", "kid": "booking-sandbox"}
    head = _b64(json.dumps(header, separators=(",", ":")).encode())
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    mac = hmac.new(key, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(mac)}"


def verify(token: str, key: bytes) -> Mapping[str, Any] | None:
    """The claims of a token this server signed, or None (expiry is the caller's business).

    Cached: a client sends the same token with every request for 30 minutes, and the answer
    depends on the token and key alone. Read-only, as every caller shares it.
    """
    return _verified(token, key)


@lru_cache(maxsize=1024)
def _verified(token: str, key: bytes) -> Mapping[str, Any] | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    head, body, mac = parts
    try:
        expected = hmac.new(key, f"{head}.{body}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(mac)):
            return None
        claims = json.loads(_unb64(body))
    except (ValueError, UnicodeError):
        return None
    return MappingProxyType(claims) if isinstance(claims, dict) else None
