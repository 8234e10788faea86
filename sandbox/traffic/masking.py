"""Secrets never reach the journal: credentials in headers, and secret fields in bodies.

Bodies are masked as text (JSON members and url-encoded fields by name), so the rest of what
the client sent stays byte for byte.
"""

from __future__ import annotations

import re

MASK = "***"
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)
_NAMES = (
    "client_secret|clientSecret|password|secret|access_token|accessToken|refresh_token|"
    "refreshToken|id_token|token|api_key|apiKey|key"
)
_JSON_MEMBER = re.compile(rf'("(?:{_NAMES})"\s*:\s*)"(?:[^"\\]|\\.)*"')
_FORM_FIELD = re.compile(rf"(?:(?<=^)|(?<=&))((?:{_NAMES})=)[^&]*")


def header(name: str, value: str) -> str:
    if name not in SECRET_HEADERS:
        return value
    scheme, space, _ = value.partition(" ")
    # Keep the scheme: "was it Bearer or Basic?" is a fair question for a test to ask.
    return f"{scheme} {MASK}" if space and name.endswith("authorization") else MASK


def body(text: str) -> str:
    text = _JSON_MEMBER.sub(rf'\1"{MASK}"', text)
    return _FORM_FIELD.sub(rf"\1{MASK}", text)
