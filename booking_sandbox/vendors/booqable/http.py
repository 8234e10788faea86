"""One request to the Booqable API: its namespace, its credential (auth.py), its query and its
body; its answer with the headers every answer carries (answer_headers.py)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.core import calls
from booking_sandbox.core.jsonbody import BadJson, BodyTooLarge, parse_json, read_body
from booking_sandbox.core.namespace import NamespaceError
from booking_sandbox.core.runtime import sandbox_of
from booking_sandbox.engine.errors import DomainError
from booking_sandbox.vendors.booqable import answer_headers, auth, seeding
from booking_sandbox.vendors.booqable import nested as nested_form
from booking_sandbox.vendors.booqable import query as graphiti
from booking_sandbox.vendors.booqable.eras import era_of
from booking_sandbox.vendors.booqable.errors import (
    BooqableError,
    error_response,
    from_domain,
    request_error,
    too_large,
    unsupported_media_type,
)
from booking_sandbox.vendors.booqable.state import BooqableStore
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON

_JSON_TYPES = ("application/json", "application/vnd.api+json")
# The 2022 docs' GET answers write relationship links; its writes and actions do not.
_READS = frozenset({"GET", "HEAD"})


@dataclass
class Call(calls.Call):
    store: BooqableStore
    body: dict[str, Any] | None = None
    query: graphiti.Query = field(default_factory=graphiti.Query)

    @property
    def path_id(self) -> str:
        value: str = self.request.path_params["id"]
        return value


Handler = Callable[[Call], Awaitable[Response]]


def transient_id(call: Call, given: Any = None) -> str:
    """Action answers (bookings, transitions, fulfillments) are not stored; the docs show
    version 5 UUIDs for them (`5f71b3aa-413c-5287-…`), derived here from the seeded ids."""
    if isinstance(given, str):
        return given
    return str(uuid.uuid5(uuid.NAMESPACE_URL, call.space.ids.uuid4()))


def endpoint(handler: Handler, *, reads_body: bool = False, nested: bool = False) -> calls.Endpoint:
    """The route endpoint, its answers (errors too) with the headers Rails' middleware adds;
    `nested`: a `.json` path's, in the nested form (nested.py)."""
    inner = _endpoint(handler, reads_body=reads_body)

    async def run(request: Request) -> Response:
        since = answer_headers.started()
        response = await inner(request)
        if nested:
            response = nested_form.answer(request, response)
        elif request.scope["path"].endswith(nested_form.SUFFIX):  # `/orders/.json`: id `.json`
            response.headers["content-type"] = PLAIN_JSON
        return answer_headers.finish(request, response, since)

    return run


def _endpoint(handler: Handler, *, reads_body: bool) -> calls.Endpoint:
    if not reads_body:
        return calls.endpoint(_open, handler, _answer)

    async def write(call: Call) -> Response:
        # A refused write must not move the id sequence either: every later id would differ
        # from a run without the failed request.
        sequence = call.space.ids.to_json()
        try:
            return await handler(call)
        except (BooqableError, DomainError):
            call.space.ids.restore(sequence)
            raise

    return calls.endpoint(partial(_open, reads_body=True), write, _answer)


async def _open(request: Request, *, reads_body: bool = False) -> Call:
    sandbox = sandbox_of(request)
    space = await auth.authenticate(request, sandbox)
    body = await body_of(request) if reads_body else None
    store = BooqableStore(space, seeding.records(space))
    call = Call(request, sandbox, space, space.clock.now(), store, body)
    call.query = graphiti.parse(_query(request), body)
    call.query.era = era = era_of(request.scope["path"])
    call.query.links = era.lists_relationships and request.method in _READS
    request.scope[nested_form.INCLUDE_KEY] = call.query.include
    return call


def _answer(request: Request, exc: Exception) -> Response | None:
    if isinstance(exc, BooqableError):
        return error_response(exc)
    if isinstance(exc, DomainError | NamespaceError):
        return error_response(from_domain(exc))
    return None


def _query(request: Request) -> str:
    """`request.url.query` without building the URL: the query string, unless it holds what
    URL parsing would cut (`#`) or drop (tab, CR, LF); then the URL decides, as before."""
    text: str = request.scope.get("query_string", b"").decode()
    if "#" in text or "\t" in text or "\r" in text or "\n" in text:
        return request.url.query
    return text


async def body_of(request: Request) -> dict[str, Any]:
    """A JSON object sent as `application/json` or `application/vnd.api+json`."""
    try:
        raw = await read_body(request)
    except BodyTooLarge:
        raise too_large() from None
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if raw.strip() and media not in _JSON_TYPES:
        raise unsupported_media_type()
    if not raw.strip():
        raise request_error("The request body is missing a JSON:API document", "missing_body")
    try:
        body = parse_json(raw)
    except BadJson as exc:
        raise request_error(f"The request body is not valid JSON: {exc}", "invalid_json") from None
    if not isinstance(body, dict):
        raise request_error("The request body must be a JSON object", "invalid_document")
    return body
