"""The indexed router picks exactly what Starlette's plain loop over the routes picks.

It only skips routes whose literal path segments cannot fit; this compares both choices (the
first FULL match, else the first PARTIAL one, a 405, else none, a 404) over every route of the
app, with each route's parameters filled in, near-misses and other methods.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pytest
from starlette.routing import BaseRoute, Match, Route

from booking_sandbox.app import create_app
from booking_sandbox.core.routing import IndexedRouter

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
