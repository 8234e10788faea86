"""Reading a Korus request: its JSON body, IRIs, money, titles and Symfony's constraint codes,
and the base URL the client reached (absolute IRIs, Link headers)."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from starlette.requests import Request

from booking_sandbox.core.jsonbody import BadJson, BodyTooLarge, parse_json, read_body
from booking_sandbox.vendors.korus.store import Record
from booking_sandbox.vendors.korus.wire import KorusError, Violation

# Symfony's constraint codes (reference §8.8) and Korus's own for an expired reservation.
NOT_BLANK = "c1051bb4-d103-4f74-8988-acbcafc7fdc3"
NOT_NULL = "ad32d13f-c3d4-423b-909a-857b961eb720"
POSITIVE = "778b7ae0-84d3-481a-9dec-35fdb64b1d78"
CHOICE = "8e179f1b-97aa-4560-a02f-2a8b42e49df7"
TOO_LONG = "d94b19cc-114f-4f44-9cc4-4138e80a87b9"
EXPIRED = "d53a91b0-def3-426a-83d7-269da7ab4200"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
REGEX = "de1e3db3-5ed4-4941-aae4-59f3667cc3a3"


def money(value: Decimal) -> str:
    """Korus money: a string with two decimals ("80.00")."""
    return f"{value.quantize(Decimal('0.01'))}"


def iri_id(value: Any, pattern: str) -> re.Match[str] | None:
    """The parts of an IRI (a path, or an absolute URL on any host) matching `pattern`."""
    if not isinstance(value, str):
        return None
    path = re.sub(r"^https?://[^/]+", "", value)
    return re.fullmatch(pattern, path)


async def json_body(request: Request) -> Record:
    """API Platform's deserialization: a JSON object or 400 ("Syntax error", type errors)."""
    try:
        raw = await read_body(request)
    except BodyTooLarge:
        raise KorusError(413, "Request Entity Too Large") from None
    try:
        body = parse_json(raw) if raw.strip() else None
    except BadJson:
        raise KorusError(400, "Syntax error") from None
    if not isinstance(body, dict):
        raise KorusError(400, "The input data is misformatted.")
    return body


def type_error(attribute: str, expected: str, value: Any) -> KorusError:
    """API Platform's strong typing message (features/security/strong_typing.feature)."""
    given = {bool: "bool", int: "int", float: "float", str: "string", list: "array", dict: "array"}
    name = "NULL" if value is None else given.get(type(value), type(value).__name__)
    return KorusError(
        400, f'The type of the "{attribute}" attribute must be "{expected}", "{name}" given.'
    )


TITLES = ("mr", "mrs", "mx")


def title(path: str, value: Any) -> list[Violation]:
    """Symfony's Choice over the documented titles; null is allowed."""
    if value is None or value in TITLES:
        return []
    return [Violation(path, "The value you selected is not a valid choice.", CHOICE)]


def base_url(request: Request) -> str:
    """The server's root as the client reached it, for absolute IRIs and Link headers."""
    # Kept in the scope: the handler, its views and its error answer each ask for it.
    scope = request.scope
    found: str | None = scope.get(_BASE_URL)
    if found is None:
        # Starlette's base_url reads these four alone; a client sends the same every time.
        host = next((value for key, value in scope["headers"] if key == b"host"), None)
        root = scope.get("app_root_path", scope.get("root_path", ""))
        server = scope.get("server")
        try:
            found = _base_url(scope.get("scheme", "http"), server, root, host)
        except TypeError:  # a server address that is not a tuple: not cacheable
            found = str(request.base_url).rstrip("/")
        scope[_BASE_URL] = found
    return found


_BASE_URL = "sandbox.korus.base_url"


@lru_cache(maxsize=64)
def _base_url(scheme: str, server: Any, root: str, host: bytes | None) -> str:
    scope = {
        "type": "http",
        "scheme": scheme,
        "server": server,
        "root_path": root,
        "path": "/",
        "headers": [] if host is None else [(b"host", host)],
    }
    return str(Request(scope).base_url).rstrip("/")


def blank(path: str) -> Violation:
    return Violation(path, "This value should not be blank.", NOT_BLANK)
