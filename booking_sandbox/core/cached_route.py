"""A vendor read handler served from ready bytes (core/readcache.py), opt-in per route.

`cached(handler, ...)` wraps a handler that runs once the vendor has opened the call (namespace
resolved, credential checked): on a hit it answers the stored bytes without running the
handler; on a miss it runs it and keeps a 200 answer. The key is the route (the handler),
method, path, query, the body of a read-POST, the request headers named (those the answer
depends on: Accept...) and the caller's identity as the vendor tells it; the namespace's
serial, version and clock moves are added by the cache.

A handler whose answer changes with time alone (a session starting, a slot passing) says from
when with `fresh_until`; the engine's next hold expiry is added here for every cached route.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, MutableMapping
from datetime import datetime, timedelta
from typing import Any, TypeVar

from starlette.responses import Response

from booking_sandbox.core.calls import Call
from booking_sandbox.core.jsonbody import BODY_KEY
from booking_sandbox.core.readcache import Answer

C = TypeVar("C", bound=Call)
SCOPE_KEY = "sandbox.read_answer"  # in the request scope: the Answer served or just kept
_FRESH_KEY = "sandbox.fresh_before"  # in the request scope: the handler's own time boundary
_ORIGINAL_PATH = "sandbox.original_path"  # a path a vendor's middleware rewrote, as sent
_BODILESS = frozenset({"GET", "HEAD"})
_TICK = timedelta(microseconds=1)


def fresh_until(scope: MutableMapping[str, Any], instant: datetime) -> None:
    """The answer being built may differ from `instant` on (namespace clock), by time alone."""
    current = scope.get(_FRESH_KEY)
    if current is None or instant < current:
        scope[_FRESH_KEY] = instant


def cached(
    handler: Callable[[C], Awaitable[Response]],
    *,
    headers: tuple[str, ...] = (),
    identity: Callable[[C], Hashable] | None = None,
) -> Callable[[C], Awaitable[Response]]:
    """`handler`, its 200 answers kept and replayed while the namespace's state is the same."""
    names = tuple(name.lower().encode("latin-1") for name in headers)

    async def run(call: C) -> Response:
        cache = call.sandbox.reads
        if not cache.enabled:
            return await handler(call)
        scope = call.request.scope
        body = b"" if scope["method"] in _BODILESS else scope.get(BODY_KEY)
        if body is None:  # not buffered (too large): the handler answers that
            return await handler(call)
        raw = scope["headers"]
        key = (
            run,
            scope["method"],
            scope.get(_ORIGINAL_PATH) or scope["path"],
            scope.get("query_string", b""),
            body,
            identity(call) if identity is not None else None,
            *(tuple(v for k, v in raw if k == name) for name in names),
        )
        space = call.space
        hit = cache.get(space, key)
        if hit is not None:
            scope[SCOPE_KEY] = hit
            return _replay(hit)
        full_key = cache.full_key(space, key)
        response = await handler(call)
        if (
            type(response) is Response
            and response.status_code == 200
            and response.background is None
            and cache.full_key(space, key) == full_key  # nothing changed while it ran
        ):
            fresh = _fresh_before(call, scope.get(_FRESH_KEY))
            if fresh is None or fresh > call.now:
                answer = Answer(200, tuple(response.raw_headers), bytes(response.body), fresh)
                cache.put(full_key, answer)
                scope[SCOPE_KEY] = answer
        return response

    return run


def _fresh_before(call: Call, own: datetime | None) -> datetime | None:
    expiry = call.space.inventory.next_expiry(call.now)  # (the answer's instant, not later)
    held = expiry + _TICK if expiry is not None else None  # (live up to and including it)
    if own is None or held is None:
        return own if held is None else held
    return min(own, held)


def _replay(answer: Answer) -> Response:
    """The stored answer as a fresh Response (its headers a copy: callers add their own)."""
    response = Response.__new__(Response)
    response.status_code = answer.status
    response.body = answer.body
    response.background = None
    response.raw_headers = list(answer.headers)
    return response
