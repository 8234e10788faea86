"""The indexed router picks exactly what Starlette's plain loop over the routes picks, and
the raw vendor dispatch (traffic/gate.py) answers exactly what Starlette's stack answers.

The router only skips routes whose literal path segments cannot fit; this compares both choices
(the first FULL match, else the first PARTIAL one, a 405, else none, a 404) over every route of
the app, with each route's parameters filled in, near-misses and other methods; then the raw
dispatch against Starlette's whole stack, request by request, on every vendor route.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Message, Receive

from booking_sandbox.app import create_app
from booking_sandbox.core.routing import IndexedRouter
from booking_sandbox.core.settings import Settings
from booking_sandbox.vendors import owner

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
PARAM = re.compile(r"{([^}:]+)(?::([^}]+))?}")


def _fill(template: str, value: str) -> str:
    return PARAM.sub(lambda m: "7" if m.group(2) == "int" else value, template)


def _paths(routes: list[BaseRoute]) -> Iterator[str]:
    for route in routes:
        if not isinstance(route, Route):
            continue
        for value in ("x1", "new", "a.jsonld", "%2F"):
            path = _fill(route.path, value)
            yield from (path, path + "/", path + "/extra", path.upper(), "/" + path.lstrip("/"))
            yield path.rsplit("/", 1)[0] or "/"
    yield from ("/", "", "//", "/nowhere", "/api", "/api/v1/", "/_sandbox/")


def _pick(routes: Iterable[BaseRoute], scope: dict[str, object]) -> BaseRoute | None:
    """Starlette's choice among `routes`: the first FULL match, else the first PARTIAL one."""
    partial = None
    for route in routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return route
        if match is Match.PARTIAL and partial is None:
            partial = route
    return partial


@pytest.fixture(scope="module")
def router() -> IndexedRouter:
    found = create_app().router
    assert isinstance(found, IndexedRouter)
    return found


def test_every_route_and_near_miss_picks_what_the_plain_router_picks(
    router: IndexedRouter,
) -> None:
    checked = 0
    for path in set(_paths(router.routes)):
        for method in METHODS:
            scope: dict[str, object] = {"type": "http", "path": path, "method": method}
            scope["root_path"] = ""
            indexed = _pick(router.candidates(path), scope)
            assert indexed is _pick(router.routes, scope), (method, path)
            checked += 1
    assert checked > 5000  # every route was tried, not an empty list


def test_routing_once_picks_what_the_plain_router_picks(router: IndexedRouter) -> None:
    """`route` (the one routing pass the QA plane makes for faults, metrics and the raw
    dispatch) chooses Starlette's route, tells a FULL match from a 405, and leaves the
    route's parameters in the scope as the router does."""
    checked = 0
    for path in set(_paths(router.routes)):
        for method in METHODS:
            scope: dict[str, object] = {"type": "http", "path": path, "method": method}
            scope["root_path"] = ""
            routed = router.route(scope)
            plain = _pick(router.routes, {**scope})
            assert routed.route is plain, (method, path)
            if plain is not None:
                match, child = plain.matches({**scope})
                assert routed.full is (match is Match.FULL), (method, path)
                assert scope["path_params"] == child["path_params"], (method, path)
                assert routed.operation == getattr(plain, "name", None)
            checked += 1
    assert checked > 5000


# ----- the raw vendor dispatch against Starlette's own stack, end to end ---------------------

_VOLATILE = {b"date", b"x-runtime", b"x-request-id", b"server-timing"}  # per-request values


def _request(method: str, path: str, auth: bytes = b"") -> dict[str, object]:
    headers = [(b"host", b"127.0.0.1:8000"), (b"accept", b"*/*")]
    if auth:
        headers.append((b"authorization", auth))
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "method": method,
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers,
    }


async def _call(app: ASGIApp, method: str, path: str, auth: bytes) -> tuple[int, list[Any], bytes]:
    messages = [{"type": "http.request", "body": b"", "more_body": False}]
    sent: list[Message] = []

    async def receive() -> Message:
        return messages.pop() if messages else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    with contextlib.suppress(Exception):  # a 500: both answer it, then raise (Starlette's way)
        await app(_request(method, path, auth), receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = sorted((k, v) for k, v in start["headers"] if k.lower() not in _VOLATILE)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], headers, body


def test_the_raw_dispatch_answers_every_vendor_path_as_starlette_does(tmp_path: Path) -> None:
    """Every vendor route (parameters filled), near misses and every method: the same status,
    headers (`Allow` on a 405 included) and bytes from the raw dispatch as from Starlette's
    stack (the fallback), two apps on one seed and key answering the same requests in the same
    order, without a credential and with Booqable's demo API key (its handlers then run)."""
    moment = datetime(2030, 1, 1, tzinfo=UTC)
    key = tmp_path / "key.pem"
    key.write_bytes(
        rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    raw = create_app(Settings(start_time=moment, signing_key=key))
    fallback = create_app(Settings(start_time=moment, signing_key=key), raw=False)
    assert raw.vendor_stack is not None
    assert fallback.vendor_stack is None
    vendors = raw.state.vendors
    paths = sorted(
        {
            p
            for route in raw.router.routes
            if isinstance(route, Route)
            for p in (_fill(route.path, "x1"), _fill(route.path, "x1") + "/extra")
            if owner(vendors, p) is not None
        }
    )
    kinds: Counter[int] = Counter()

    async def compare() -> None:
        for path in paths:
            for method in ("GET", "HEAD", "POST", "PATCH", "DELETE"):
                for auth in (b"", b"Bearer demo-api-key"):
                    for app in (raw, fallback):  # (the clock moves with the wall: set it)
                        await app(
                            {**_request("PUT", "/_sandbox/clock"), "headers": []},
                            _json_body({"now": "2030-01-01T00:00:00Z", "frozen": True}),
                            _ignore,
                        )
                    mine = await _call(raw, method, path, auth)
                    theirs = await _call(fallback, method, path, auth)
                    assert mine == theirs, (method, path, auth)
                    kinds[mine[0]] += 1

    asyncio.run(compare())
    # Routing errors, refused credentials and handlers that ran were all compared.
    assert kinds[404]
    assert kinds[405]
    assert kinds[401]
    assert kinds[200]
    assert sum(kinds.values()) > 1000


def _json_body(document: object) -> Receive:
    messages = [{"type": "http.request", "body": json.dumps(document).encode()}]

    async def receive() -> Message:
        return messages.pop() if messages else {"type": "http.disconnect"}

    return receive


async def _ignore(message: Message) -> None:
    pass
