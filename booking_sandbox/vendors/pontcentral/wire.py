"""Pont Central on the wire: `JSON.stringify` bytes, `success` envelopes, its error body.

The vendor runs on AdonisJS (reference §1): compact JSON, non-ASCII raw, no `\\/` escaping,
integral numbers without a fraction (`75`, never `75.0`).
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

from starlette.responses import Response

from booking_sandbox.core.jsonwire import Plain

MEDIA_TYPE = "application/json; charset=utf-8"


class PontError(Exception):
    """One answer in the vendor's error envelope; raised anywhere, rendered once."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


# Python writes these numbers differently from JavaScript: exponents outside [1e-4, 1e16)
# (`1e-06` vs `0.000001`), integers past 2**53 (a double in JS: `1e+30`), integral floats (`75.0`).
_SAFE_INT = 2**53


def js_number(value: float) -> str:
    """Number::toString, the text JSON.stringify writes for a double."""
    if isinstance(value, int) and abs(value) <= _SAFE_INT:
        return str(value)
    try:
        number = float(value)
    except OverflowError:
        return "null"  # past 1.8e308 JSON.parse gives Infinity, which JSON.stringify writes as null
    if not math.isfinite(number):
        return "null"
    if number == 0:
        return "0"
    sign, digits, exponent = Decimal(repr(number)).normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    k, n = len(text), exponent + len(text)  # value = 0.<text> x 10**n
    if k <= n <= 21:
        body = text + "0" * (n - k)
    elif 0 < n <= 21:
        body = f"{text[:n]}.{text[n:]}"
    elif -6 < n <= 0:
        body = "0." + "0" * -n + text
    else:
        mantissa = text[0] + (f".{text[1:]}" if k > 1 else "")
        body = f"{mantissa}e{'+' if n > 0 else '-'}{abs(n - 1)}"
    return ("-" if sign else "") + body


def _python_agrees(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return True
    if isinstance(value, int):
        return abs(value) <= _SAFE_INT
    return math.isfinite(value) and not value.is_integer() and 1e-4 <= abs(value) < 1e16


def _needs_js(value: Any) -> bool:
    """Whether some number in the document is one Python writes otherwise.

    Every answer is checked, so the common members (exact str, int, float...) are tested
    inline, without a call or generator each; anything else takes `_needs_js_any`.
    """
    kind = type(value)
    if kind is dict:
        members: Any = value.values()
    elif kind is list:
        members = value
    else:
        return _needs_js_any(value)
    for member in members:
        kind = type(member)
        if kind is str or kind is bool or member is None:
            continue
        if kind is int:
            if not -_SAFE_INT <= member <= _SAFE_INT:
                return True
        elif kind is float:
            if not 1e-4 <= abs(member) < 1e16 or member.is_integer():  # (NaN fails the range)
                return True
        elif _needs_js(member):
            return True
    return False


def _needs_js_any(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_needs_js(v) for v in value.values())
    if isinstance(value, list):
        return any(_needs_js(v) for v in value)
    return not _python_agrees(value)


def _js(value: Any) -> str:
    """The slow path, for documents holding a number Python would write otherwise."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{_string(k)}:{_js(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_js(v) for v in value) + "]"
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return js_number(value)


def _string(key: Any) -> str:
    return json.dumps(str(key), ensure_ascii=False)


def _orjson_float(value: float) -> bool:
    # What `_python_agrees` accepts (repr is Number::toString there) and orjson writes as repr.
    return 1e-4 <= abs(value) < 1e16 and not value.is_integer()


_PLAIN = Plain(_orjson_float, int_limit=_SAFE_INT)


def encode(document: Any) -> bytes:
    """`encode_reference`'s bytes, through orjson for a plain document (no lone surrogate)."""
    raw = _PLAIN.dumps(document)
    return encode_reference(document) if raw is None else raw


def encode_reference(document: Any) -> bytes:
    """JSON.stringify's bytes by json.dumps: the definition `encode` must match, its fallback."""
    if _needs_js(document):
        text = _js(document)
    else:
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    # Lone surrogates a client sent come back as `\udXXX`, as well-formed JSON.stringify does.
    return text.encode("utf-8", errors="backslashreplace")


def respond(document: Any, status: int = 200) -> Response:
    return Response(encode(document), status_code=status, media_type=MEDIA_TYPE)


def error_body(error: PontError) -> dict[str, Any]:
    body: dict[str, Any] = {"code": error.code, "message": error.message}
    if error.details:
        body["details"] = error.details
    return {"success": False, "error": body}


def error_response(error: PontError) -> Response:
    return respond(error_body(error), error.status)


UNAUTHORIZED = PontError(401, "UNAUTHORIZED", "Unauthorized - Partner not authenticated")
