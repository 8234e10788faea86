"""Secrets never reach the journal: credentials in headers, queries and bodies.

Masking works on the text by field name (JSON members, url-encoded fields, signed-URL
parameters), names decoded first (`client%5Fsecret`, `"client\\u005fsecret"`), so the rest of
what the client sent stays byte for byte. Every pattern is linear: bodies come from clients.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote_plus

MASK = "***"
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)
SECRET_NAMES = frozenset(
    {
        "client_secret",
        "clientsecret",
        "password",
        "secret",
        "access_token",
        "accesstoken",
        "refresh_token",
        "refreshtoken",
        "id_token",
        "token",
        "api_key",
        "apikey",
        "key",
        "signature",
        "x-amz-signature",
    }
)
# A JSON member whose value is a string; a value cut off at the end of a capped body counts.
_MEMBER = re.compile(r'"((?:[^"\\]|\\.)*)"(\s*:\s*)"(?:[^"\\]|\\.)*("|\\?\Z)')
# Signed URLs inside answers (Korus's temporaryUrl): the signature is a credential.
_URL_SIGNATURE = re.compile(r"([?&](?:Signature|X-Amz-Signature)=)[^&\"\s\\]*")


def is_secret(name: str) -> bool:
    return name.strip().lower() in SECRET_NAMES


def header(name: str, value: str) -> str:
    if name not in SECRET_HEADERS:
        return value
    scheme, space, _ = value.partition(" ")
    # Keep the scheme: "was it Bearer or Basic?" is a fair question for a test to ask.
    return f"{scheme} {MASK}" if space and name.endswith("authorization") else MASK


def form(text: str) -> str:
    """`a=1&client_secret=x` -> `a=1&client_secret=***` (also a query string)."""
    parts = text.split("&")
    for i, part in enumerate(parts):
        name, equals, _ = part.partition("=")
        if equals and is_secret(unquote_plus(name)):
            parts[i] = f"{name}={MASK}"
    return "&".join(parts)


def _member(match: re.Match[str]) -> str:
    raw = match[1]
    try:
        name = json.loads(f'"{raw}"') if "\\" in raw else raw
    except ValueError:
        name = raw
    if not isinstance(name, str) or not is_secret(name):
        return match[0]
    return f'"{raw}"{match[2]}"{MASK}"'


def body(text: str) -> str:
    text = _URL_SIGNATURE.sub(rf"\1{MASK}", text)
    if text.lstrip()[:1] in ("{", "["):
        return _MEMBER.sub(_member, text)
    return form(text) if "=" in text else _MEMBER.sub(_member, text)
