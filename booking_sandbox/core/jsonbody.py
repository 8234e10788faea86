"""Strict JSON request bodies, shared by the control plane and the vendor adapters."""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.requests import Request


class BadJson(ValueError):
    """The body is not one JSON document a server could accept."""


def parse_json(raw: bytes) -> Any:
    """NaN, Infinity, 1e400 and 5000-digit integers are refused; deep nesting too."""
    try:
        return json.loads(raw, parse_constant=_no_constant, parse_float=_finite)
    except (ValueError, RecursionError) as exc:
        # JSONDecodeError and UnicodeDecodeError are ValueErrors; so are NaN, 1e400 and
        # integers past Python's 4300-digit limit. Deep nesting is a RecursionError.
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise BadJson(reason) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of the range of a double")
    return value


MAX_BODY = 1024 * 1024  # the vendors' body parsers (AdonisJS, Symfony) refuse more by default


class BodyTooLarge(ValueError):
    """The body is over the limit; it was not read to the end."""


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    """The body, streamed and refused as soon as it passes `limit` bytes."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"the body is over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
