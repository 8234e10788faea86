"""Booqable's bytes: compact Rails JSON, JSON:API media types, seed-era timestamps.

Rails (ActiveSupport) escapes `<`, `>` and `&` as `\\u003c \\u003e \\u0026` and the JavaScript
line terminators U+2028/U+2029, and writes every other character as raw UTF-8.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from starlette.responses import Response

from booking_sandbox.core.jsonwire import Plain, repr_float

JSONAPI = "application/vnd.api+json; charset=utf-8"
# Real DELETE answers and the 400 for an unknown attribute came back as plain JSON (CASS).
PLAIN_JSON = "application/json; charset=utf-8"

_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)

# What every answer of the real server carries besides Content-Type (CASS, 2025-07-09).
HEADERS = {
    "cache-control": "max-age=0, private, must-revalidate",
    "referrer-policy": "strict-origin-when-cross-origin",
    "vary": "Accept-Encoding, Origin",
    "x-content-type-options": "nosniff",
    "x-frame-options": "SAMEORIGIN",
    "x-permitted-cross-domain-policies": "none",
    "x-xss-protection": "0",
}


# json.dumps writes floats with repr; orjson agrees on these (NaN is refused, as json does).
_PLAIN = Plain(repr_float)
# The UTF-8 of U+2028 and U+2029: a UTF-8 sequence is never found inside another character's.
_LS, _PS = "\u2028".encode(), "\u2029".encode()


def encode(document: Any) -> bytes:
    """`encode_reference`'s bytes, through orjson for a plain document."""
    raw = _PLAIN.dumps(document)
    if raw is None:
        return encode_reference(document)
    # "<>&" occur only inside strings in JSON text, as in `encode_reference`.
    if b"<" in raw or b">" in raw or b"&" in raw or _LS in raw or _PS in raw:
        raw = raw.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")
        raw = raw.replace(_LS, b"\\u2028").replace(_PS, b"\\u2029")
    return raw


def encode_reference(document: Any) -> bytes:
    """Rails' bytes by json.dumps: the definition `encode` must match, and its fallback."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # Rare in an answer: five substring searches cost a tenth of translating every one.
    if any(c in text for c in "<>&\u2028\u2029"):
        text = text.translate(_ESCAPES)
    # Lone surrogates (from \\ud800 escapes in a request) cannot be UTF-8: Ruby's JSON
    # generator writes them escaped, so they round-trip as the client sent them.
    return text.encode("utf-8", "backslashreplace")


def respond(document: Any, status: int = 200, content_type: str = JSONAPI) -> Response:
    response = Response(encode(document), status_code=status, headers=HEADERS)
    response.headers["content-type"] = content_type
    return response


def timestamp(moment: datetime) -> str:
    """`2022-01-12T14:03:25+00:00`: whole seconds, as in the 2022 docs of seed 003."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def charge_time(moment: datetime) -> str:
    """`1980-04-02T00:00:00.000Z`: the price-rule breakdown's JavaScript-style instants."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
