"""What Rails' middleware adds to every answer (reference §3.4, §3.9, CASS 2025-07-09).

- `Etag: W/"<digest>"` (Rack::ETag): 200 and 201 answers with a body only, as recorded (the
  400 and 404 carry none). Rack 2.2+ digests with SHA-256 cut to 32 hex digits, which has the
  recorded values' shape (Rack before 2.2 used MD5, also 32 digits).
- `X-Request-Id` (ActionDispatch::RequestId): the client's own `X-Request-Id` when it sends
  one (kept to letters, digits, `-`, `_` and `@`, at most 255 characters, as Rails keeps it),
  else a UUID from the namespace's own seeded sequence, apart from the id sequence of records
  so that answering never moves the ids a later write gets.
- `X-Runtime` (Rack::Runtime): seconds spent answering, with 6 decimals. It is the one value
  measured, not seeded: it is real elapsed time.
- The rate limit's headers (ratelimit.py) and the static ones (`wire.HEADERS`,
  `Cache-Control: max-age=0, private, must-revalidate` among them) are already on the answer.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.core.cached_route import SCOPE_KEY
from booking_sandbox.core.ids import IdFactory
from booking_sandbox.core.namespace import Namespace
from booking_sandbox.core.readcache import Answer
from booking_sandbox.core.runtime import sandbox_of
from booking_sandbox.vendors.booqable import ratelimit

SPACE_KEY = "booqable.space"  # in the request scope: the namespace the request ran in
_IDS = "booqable.request_ids"  # in space.derived: the namespace's request id sequence
_UNSAFE = re.compile(r"[^\w\-@]", re.ASCII)


def started() -> float:
    return time.perf_counter()


def finish(request: Request, response: Response, since: float) -> Response:
    ratelimit.write_headers(request, response)
    if response.status_code in (200, 201) and response.body:
        response.headers["etag"] = _etag(request, response.body)
    response.headers["x-request-id"] = request_id(request)
    response.headers["x-runtime"] = f"{time.perf_counter() - since:.6f}"
    return response


def _etag(request: Request, body: bytes | memoryview) -> str:
    """Rack::ETag's value; digested once per cached answer (core/cached_route.py)."""
    answer = request.scope.get(SCOPE_KEY)
    if isinstance(answer, Answer) and answer.body is body:
        etag: str | None = answer.memo.get("etag")
        if etag is None:
            etag = answer.memo["etag"] = _digest(body)
        return etag
    return _digest(body)


def _digest(body: bytes | memoryview) -> str:
    return f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def request_id(request: Request) -> str:
    given = _UNSAFE.sub("", request.headers.get("x-request-id", ""))[:255]
    if given:
        return given
    space = request.scope.get(SPACE_KEY)
    if isinstance(space, Namespace):
        ids = space.derived.get(_IDS)
        if not isinstance(ids, IdFactory):
            seed = sandbox_of(request).namespaces.seed
            ids = space.derived[_IDS] = IdFactory(seed, f"{space.name}:booqable-request-ids")
        return ids.uuid4()
    # No namespace (a refused stranger): derived from the request, the same for the same one.
    scope = request.scope
    seen = f"{scope['method']} {scope['path']} {request.headers.get('authorization', '')}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, seen))
