"""Strict JSON request bodies, shared by the control plane and the vendor adapters."""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.requests import Request

from booking_sandbox.core.jsonsteps import Scanner


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


def parse_json_in_steps(raw: bytes) -> Any:
    """`parse_json`, element by element (`jsonsteps`): for megabytes on a worker thread."""
    try:
        text = raw.decode(json.detect_encoding(raw), "surrogatepass")  # as json.loads does
        return _STEPS.parse(text)
    except (ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise BadJson(reason) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of the range of a double")
    return value


_STEPS = Scanner(json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite))

MAX_BODY = 1024 * 1024  # the vendors' body parsers (AdonisJS, Symfony) refuse more by default


class BodyTooLarge(ValueError):
    """The body is over the limit; it was not read to the end."""


BODY_KEY = "sandbox.body"  # (the scope key of a body read ahead by `buffer_body`)


async def buffer_body(request: Request, limit: int = MAX_BODY) -> None:
    """Read the whole body now, before the handler picks its namespace.

    A namespace picked before a slow or large body has arrived may be reset or replaced by
    the time the write commits: the client would get a 2xx for a write nobody can read. Read
    first, and the rest of the handler runs without giving the loop up, so its write lands
    in the namespace that exists when it commits. Past `limit` nothing is kept: `read_body`
    then refuses, as it would have.
    """
    if BODY_KEY not in request.scope:
        try:
            body = await _stream(request, limit)
        except BodyTooLarge:
            request.scope[BODY_KEY] = None
            return
        request.scope[BODY_KEY] = body
        # Where Starlette's own `body()` keeps it, so a handler may still use `request.json()`
        # (a vendor adapter is free to): its stream has been read.
        request._body = body


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    """The body, streamed and refused as soon as it passes `limit` bytes."""
    if BODY_KEY in request.scope:
        read: bytes | None = request.scope[BODY_KEY]
        if read is None or len(read) > limit:
            raise BodyTooLarge(f"the body is over {limit} bytes")
        return read
    return await _stream(request, limit)


async def _stream(request: Request, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"the body is over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
