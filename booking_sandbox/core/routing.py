"""Route helpers shared by the control plane and the vendor adapters."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette._utils import get_route_path
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route, Router
from starlette.types import Receive, Scope, Send

Endpoint = Callable[[Request], Awaitable[Response]]


def by_method(**handlers: Endpoint) -> Endpoint:
    """One route per path, so a 405 lists every method of the path in `Allow`; HEAD is GET."""

    async def dispatch(request: Request) -> Response:
        return await handlers["GET" if request.method == "HEAD" else request.method](request)

    return dispatch


# The scope key where a routing done ahead of the router waits for it (`Routed`).
ROUTED_KEY = "sandbox.routed"


class Routed:
    """What routing found: a route that takes the request (`full`), one that knows the path
    but not the method (a 405, with its `Allow`), or none (a 404). `operation` is the route's
    name: what fault rules, the journal and metrics call the request."""

    __slots__ = ("full", "operation", "route")

    def __init__(self, route: BaseRoute | None, *, full: bool) -> None:
        self.route = route
        self.full = full
        name = getattr(route, "name", None)
        self.operation: str | None = name if isinstance(name, str) else None

    def allow(self) -> str | None:
        """A 405's `Allow`, written as Starlette's `Route.handle` writes it."""
        methods = getattr(self.route, "methods", None) if not self.full else None
        return ", ".join(methods) if methods else None


class _Node:
    """Routes whose literal path segments end here, with those of every node above."""

    __slots__ = ("candidates", "children", "routes")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.routes: list[tuple[int, BaseRoute]] = []  # (position in the router, route)
        self.candidates: tuple[BaseRoute, ...] = ()


class IndexedRouter(Router):
    """Starlette's router, trying only the routes whose literal path prefix fits the path.

    Starlette matches each route's regex in turn: with ~150 routes, a path late in the list
    costs more than the whole handler. Here a tree of literal path segments gives the routes
    that can match, in their order, and Starlette's own `matches` decides among them, so the
    answer (FULL first, else the first PARTIAL: a 405) is the one the plain router gives.
    """

    _index: _Node | None = None
    _indexed: list[BaseRoute] | None = None  # the list the index was built from, and its size
    _count = 0

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.redirect_slashes:
            await super().app(scope, receive, send)
            return
        # Routed already (the traffic plane routes a vendor request once, before its faults).
        routed: Routed | None = scope.pop(ROUTED_KEY, None)
        if routed is None:
            routed = self.route(scope)
        if routed.route is None:
            await self.default(scope, receive, send)
        else:  # a FULL match, or a known path with another method: its 405
            await routed.route.handle(scope, receive, send)

    def route(self, scope: Scope) -> Routed:
        """Route `scope` once, as Starlette's router does (the first FULL match, else the first
        PARTIAL one, else none), and leave what it found in the scope (`route`, `endpoint`,
        `path_params`, `router`), as the router does before it calls the route."""
        if "router" not in scope:
            scope["router"] = self
        partial: BaseRoute | None = None
        partial_scope: Scope = {}
        for route in self.candidates(get_route_path(scope)):
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                scope["route"] = route
                scope.update(child_scope)
                return Routed(route, full=True)
            if match is Match.PARTIAL and partial is None:
                partial, partial_scope = route, child_scope
        if partial is not None:
            scope["route"] = partial
            scope.update(partial_scope)
            return Routed(partial, full=False)
        return Routed(None, full=False)

    def candidates(self, path: str) -> tuple[BaseRoute, ...]:
        """The routes that may match `path`, in the router's order."""
        node = self._index
        if node is None or self._indexed is not self.routes or len(self.routes) != self._count:
            node = self._build()
        for segment in path.split("/")[1:]:
            child = node.children.get(segment)
            if child is None:
                break
            node = child
        return node.candidates

    def _build(self) -> _Node:
        root = _Node()
        for position, route in enumerate(self.routes):
            node = root
            for segment in _literal_segments(route):
                node = node.children.setdefault(segment, _Node())
            node.routes.append((position, route))

        def settle(node: _Node, above: list[tuple[int, BaseRoute]]) -> None:
            mine = sorted([*above, *node.routes], key=lambda pair: pair[0])
            node.candidates = tuple(route for _, route in mine)
            for child in node.children.values():
                settle(child, mine)

        settle(root, [])
        self._index, self._indexed, self._count = root, self.routes, len(self.routes)
        return root


def _literal_segments(route: BaseRoute) -> list[str]:
    """The whole path segments every path the route matches starts with; none if unknown."""
    if not isinstance(route, Route):  # a Mount, a Host: tried for every path
        return []
    head, brace, _ = route.path.partition("{")
    segments = head.split("/")[1:]
    return segments if not brace else segments[:-1]  # the last one holds a parameter
