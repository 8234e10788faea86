"""`X-Ratelimit-Limit/Period/Remaining` and the 429 past the limit, per credential.

The real server answers 50 per 60 s on the recorded dev server (reference §3.9, CASS); the
fixtures' `rate_limit` sets both, 10000 per 60 s by default so no test trips it by accident.

Counting is Rack::Attack's throttle: fixed windows of `period` seconds aligned on the epoch
(`now // period`), here on the namespace clock; every request that reaches the limiter counts,
the refused ones too, so `Remaining` never goes back up within a window. As with a limiter
that runs before the app, a request counts before it is authenticated, under the credential
it presents (the authentication method, `kid`, for a single-use JWT; the bearer string
otherwise) and in its namespace, if that namespace exists (a refused stranger creates none).

The counters live in `space.derived`: never exported, so a state import and a reset both
start a fresh window (they are traffic metering, as the request journal is, not state). They
are bounded, as unauthenticated strings pick the buckets: a long credential is kept by its
digest, and past `MAX_BUCKETS` credentials in one window a new one is counted (its headers
say so) but not kept, so a flood of garbage bearers cannot grow memory without end (the clock
may be frozen: the window then never ends).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.vendors.booqable.errors import BooqableError, entry

LIMIT, PERIOD = 10_000, 60  # the sandbox's defaults (the recorded server: 50 per 60)
_KEY = "booqable.rate"  # in space.derived: this namespace's current window
SCOPE_KEY = "booqable.rate"  # in the request scope: what the answer's headers report
DETAIL = "You're doing too many requests! Slow down!"  # the docs' words for 429 (§3.8)
MAX_BUCKETS = 1024  # credentials kept per namespace and window
_MAX_KEY = 64  # longer bucket names are kept by their SHA-256


@dataclass(frozen=True)
class Limit:
    limit: int = LIMIT
    period: int = PERIOD

    @classmethod
    def of(cls, doc: dict[str, Any]) -> Limit:
        given = doc.get("rate_limit") or {}
        return cls(given.get("limit", LIMIT), given.get("period", PERIOD))


@dataclass
class _Window:
    index: int  # now // period
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Usage:
    limit: int
    period: int
    remaining: int
    resets_in: int  # seconds to the window's end


def take(request: Request, space: Namespace, limit: Limit, bucket: str) -> None:
    """Count this request against `bucket`; 429 in the vendor's envelope past the limit.
    Once per request: a second call (after authentication made the namespace) is a no-op."""
    if SCOPE_KEY in request.scope:
        return
    moment = int(space.clock.now().timestamp())
    index = moment // limit.period
    window = space.derived.get(_KEY)
    if not isinstance(window, _Window) or window.index != index:
        window = space.derived[_KEY] = _Window(index)
    key = _key(bucket)
    count = window.counts.get(key, 0) + 1
    if count > 1 or len(window.counts) < MAX_BUCKETS:
        window.counts[key] = count
    resets_in = (index + 1) * limit.period - moment
    usage = Usage(limit.limit, limit.period, max(0, limit.limit - count), resets_in)
    request.scope[SCOPE_KEY] = usage
    if count > limit.limit:
        raise BooqableError(429, entry(429, "too_many_requests", "Too Many Requests", DETAIL))


def _key(bucket: str) -> str:
    if len(bucket) <= _MAX_KEY:
        return bucket
    return "sha256:" + hashlib.sha256(bucket.encode("utf-8", "surrogatepass")).hexdigest()


def write_headers(request: Request, response: Response) -> None:
    """The counted request's headers (none for one that was not counted); a 429 says when
    the window ends in `Retry-After` too."""
    usage = request.scope.get(SCOPE_KEY)
    if not isinstance(usage, Usage):
        return
    response.headers["x-ratelimit-limit"] = str(usage.limit)
    response.headers["x-ratelimit-period"] = str(usage.period)
    response.headers["x-ratelimit-remaining"] = str(usage.remaining)
    if response.status_code == 429:
        response.headers["retry-after"] = str(usage.resets_in)
