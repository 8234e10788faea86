"""One request to the Pont Central API: its namespace, its partner, its body, its errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.core import calls
from booking_sandbox.core.headers import NAMESPACE_HEADER, NAMESPACE_KEY
from booking_sandbox.core.jsonbody import BadJson, BodyTooLarge, parse_json, read_body
from booking_sandbox.core.namespace import Namespace, NamespaceError
from booking_sandbox.core.runtime import Sandbox, sandbox_of
from booking_sandbox.engine.errors import DomainError
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.pontcentral import state, tokens
from booking_sandbox.vendors.pontcentral.catalog import PontCatalog, Record, catalog_of
from booking_sandbox.vendors.pontcentral.errors import from_domain
from booking_sandbox.vendors.pontcentral.records import IssuedToken
from booking_sandbox.vendors.pontcentral.validation import Vine
from booking_sandbox.vendors.pontcentral.wire import UNAUTHORIZED, PontError, error_response

FIRST_ISSUER = "sandbox.pontcentral.issuer"  # scope key: see `issuers`


@dataclass
class Call(calls.Call):
    partner: Record  # empty for the token endpoint, which authenticates by its body

    @property
    def catalog(self) -> PontCatalog:
        return catalog_of(self.space)


Handler = Callable[[Call], Awaitable[Response]]


def endpoint(handler: Handler, *, authenticated: bool = True) -> calls.Endpoint:
    return calls.endpoint(partial(_open, authenticated=authenticated), handler, _answer)


async def _open(request: Request, *, authenticated: bool) -> Call:
    sandbox = sandbox_of(request)
    if authenticated:
        space, partner = _authenticate(request, sandbox)
    else:
        space, partner = _space(request, sandbox, None), {}
    return Call(request, sandbox, space, space.clock.now(), partner)


def _answer(request: Request, exc: Exception) -> Response | None:
    if isinstance(exc, PontError):
        return error_response(exc)
    if isinstance(exc, DomainError | NamespaceError):
        return error_response(from_domain(exc))
    return None


def _space(request: Request, sandbox: Sandbox, credential: str | None) -> Namespace:
    header = request.headers.get(NAMESPACE_HEADER)
    name = sandbox.namespaces.resolve(header, state.VENDOR, credential)
    return sandbox.namespaces.get(name)


def space_for_client(call: Call, client_id: str) -> Namespace:
    """The token endpoint's namespace: the client's binding applies when no header is sent."""
    return _space(call.request, call.sandbox, client_id)


def _authenticate(request: Request, sandbox: Sandbox) -> tuple[Namespace, Record]:
    """The namespace that issued the Bearer token, and its partner; 401 for anything else.

    Read-only until the token is found: a bad token neither creates a namespace nor state.
    """
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise UNAUTHORIZED
    header = request.headers.get(NAMESPACE_HEADER)
    for space, issued in issuers(sandbox, header, token, request.scope):
        if space.clock.now() > parse_instant(issued["expiresAt"]):
            continue
        partner = catalog_of(space).partners_by_id.get(issued["partnerId"])
        if partner is not None and partner["active"]:
            return space, partner
    raise UNAUTHORIZED


def issuers(
    sandbox: Sandbox, header: str | None, token: str, scope: Mapping[str, Any] | None = None
) -> Iterator[tuple[Namespace, IssuedToken]]:
    """The existing namespaces that issued `token`, with its record; creates nothing.

    `scope` carries what the traffic middleware found for this request: the checked header's
    namespace, or the first issuer, tried first (if it fails the caller's checks, the others
    follow in order, so the answer is the same as without it).
    """
    spaces = sandbox.namespaces
    scope = scope or {}
    if header is not None:
        names = [scope.get(NAMESPACE_KEY) or spaces.resolve(header, state.VENDOR, None)]
    else:
        # Without the header, a token belongs to a bound client's namespace, or to default.
        names = [*spaces.bound(state.VENDOR), spaces.resolve(None, state.VENDOR, None)]
        first = scope.get(FIRST_ISSUER)
        if first is not None:
            names.insert(0, first)
    key = tokens.key_of(token)  # hashed once, looked up in each candidate
    for name in names:
        space = spaces.peek(name)
        issued = tokens.issued(space, key) if space is not None else None
        if space is not None and issued is not None:
            yield space, issued


async def body_of(request: Request) -> dict[str, Any]:
    """The body as AdonisJS's body parser reads it: by Content-Type, else nothing (`{}`).

    JSON (`application/json`, `application/*+json`) and url-encoded forms are parsed; any other
    or no Content-Type leaves the body unread, so the validators report the missing fields.
    """
    try:
        raw = await read_body(request)  # AdonisJS's body parser refuses over 1 MB
    except BodyTooLarge:
        raise PontError(413, "INVALID_REQUEST", "Request entity too large") from None
    return decode_body(raw, request.headers.get("content-type", ""))


def decode_body(raw: bytes, content_type: str) -> dict[str, Any]:
    """`body_of` once the bytes are read: PontError for what the vendor refuses."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/x-www-form-urlencoded":
        try:
            return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            raise PontError(400, "INVALID_REQUEST", "Malformed form body") from None
    if not (
        media == "application/json"
        or (media.startswith("application/") and media.endswith("+json"))
    ):
        return {}
    if not raw.strip():
        return {}
    try:
        body = parse_json(raw)
    except BadJson:
        raise PontError(400, "INVALID_JSON", "Malformed JSON body") from None
    if not isinstance(body, dict):
        raise PontError(400, "INVALID_REQUEST", "Request body must be a JSON object")
    return body


MAX_LIMIT = 100


def query_params(request: Request, vine: Vine, **rules: tuple[str, ...]) -> dict[str, Any]:
    """`page` and `limit` (VineJS-validated: `limit` at most 100), plus enum filters."""
    # A repeated key is an array, as AdonisJS's query-string parser reads it: VineJS refuses it.
    params = request.query_params
    query: dict[str, Any] = {
        k: (params.getlist(k) if len(params.getlist(k)) > 1 else params[k]) for k in params
    }
    page = vine.number(query, "page", "page", integer=True, minimum=1)
    # "max 100" (products-list, bookings-list): VineJS's `max` refuses more, it never clamps.
    limit = vine.number(query, "limit", "limit", integer=True, minimum=1, maximum=MAX_LIMIT)
    found: dict[str, Any] = {"page": int(page or 1), "limit": int(limit or 25)}
    for key, choices in rules.items():
        found[key] = (
            vine.enum(query, key, key, choices) if choices else vine.string(query, key, key)
        )
    if vine.details:
        raise validation_failed(vine)
    return found


def validation_failed(vine: Vine) -> PontError:
    return PontError(422, "VALIDATION_ERROR", "Request validation failed", vine.details)
