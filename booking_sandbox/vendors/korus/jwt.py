"""Compact JWTs (RFC 7519) signed RS256, as Keycloak signs them, with the server's RSA key.

The key (core/signing.py) is configured or made at start, never derived from the seed, and
published at the realm's JWKS (`keycloak.py`), so a client library can verify what it is given.
Only RS256 under the key's own `kid` is accepted: HS256, `none` and unknown keys are not ours.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from booking_sandbox.core.signing import SigningKey, b64url


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _json(value: dict[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def sign(claims: dict[str, Any], key: SigningKey) -> str:
    head = _json({"alg": "RS256", "typ": "JWT", "kid": key.kid})  # Keycloak's header order
    body = _json(claims)
    return f"{head}.{body}.{b64url(key.sign(f'{head}.{body}'.encode()))}"


def verify(token: str, key: SigningKey) -> Mapping[str, Any] | None:
    """The claims of a token this server signed, or None (expiry is the caller's business).

    Cached: a client sends the same token with every request for 30 minutes, and the answer
    depends on the token and key alone. Read-only, as every caller shares it.
    """
    return _verified(token, key)


@lru_cache(maxsize=1024)
def _verified(token: str, key: SigningKey) -> Mapping[str, Any] | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    head, body, signature = parts
    try:
        header = json.loads(_unb64(head))
        if not isinstance(header, dict) or (header.get("alg"), header.get("kid")) != (
            "RS256",
            key.kid,
        ):
            return None
        if not key.verifies(_unb64(signature), f"{head}.{body}".encode()):
            return None
        claims = json.loads(_unb64(body))
    except (ValueError, UnicodeError):
        return None
    return MappingProxyType(claims) if isinstance(claims, dict) else None
