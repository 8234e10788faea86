"""Pont Central on the wire: `JSON.stringify` bytes, `success` envelopes, its error body.

The vendor runs on AdonisJS (reference §1): compact JSON, non-ASCII raw, no `\\/` escaping,
integral numbers without a fraction (`75`, never `75.0`).
"""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.responses import Response

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


def js_number(value: float) -> int | float:
    """`JSON.stringify` prints 75.0 as 75; Python would print 75.0."""
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return js_number(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def encode(document: Any) -> bytes:
    text = json.dumps(_plain(document), ensure_ascii=False, separators=(",", ":"))
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
