"""The `/_sandbox` control plane: JSON in, JSON out, described by schemas/control.openapi.json."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from booking_sandbox.control import (
    apidocs,
    dashboard,
    inventory,
    journal,
    operations,
    scenarios,
    state,
    traffic,
)
from booking_sandbox.control import handlers as h
from booking_sandbox.control.changes import bumping
from booking_sandbox.control.guard import guarded
from booking_sandbox.core.routing import by_method as dispatch_by

PREFIX = "/_sandbox"
Endpoint = Callable[[Request], Awaitable[Response]]


def _route(path: str, name: str, **by_method: Endpoint) -> Route:
    """One route per path, so a 405 lists every method of the path in `Allow`."""

    guarded_methods = {method: guarded(name, bumping(method, e)) for method, e in by_method.items()}
    return Route(
        f"{PREFIX}{path}", dispatch_by(**guarded_methods), methods=list(by_method), name=name
    )


def routes() -> list[Route]:
    return [
        _route("/health", "health", GET=h.health),
        _route("/namespaces", "namespaces", GET=h.list_namespaces),
        _route("/reset", "reset", POST=h.reset),
        _route("/clock", "clock", GET=h.get_clock, PUT=h.set_clock),
        _route("/clock/advance", "clock-advance", POST=h.advance_clock),
        _route("/state", "state", GET=state.export_state, PUT=state.import_state),
        _route(
            "/faults",
            "faults",
            GET=traffic.list_faults,
            POST=traffic.add_fault,
            DELETE=traffic.clear_faults,
        ),
        _route("/faults/{id}", "fault", GET=traffic.get_fault, DELETE=traffic.remove_fault),
        _route("/requests", "requests", GET=journal.list_requests, DELETE=journal.clear_requests),
        _route("/requests/count", "requests-count", POST=journal.count_requests),
        _route("/metrics", "metrics", GET=traffic.metrics),
        _route("/magic", "magic", GET=traffic.magic),
        _route("/inventory", "inventory", GET=inventory.inventory),
        _route("/operations", "operations", GET=operations.list_operations),
        _route("/scenarios", "scenarios", GET=scenarios.list_scenarios),
        _route("/scenarios/{name}", "scenario", POST=scenarios.apply_scenario),
        _route("/openapi.json", "openapi", GET=h.openapi),
        _route("/docs", "docs", GET=apidocs.index),
        _route("/docs/assets/{file}", "docs-asset", GET=apidocs.asset),
        # Before the page's route: `{name}` alone would take `korus.json` too.
        _route("/docs/{name}.json", "docs-document", GET=apidocs.document),
        _route("/docs/{name}", "docs-page", GET=apidocs.page),
        _route("/ui", "ui", GET=dashboard.page),
        _route("/ui/{file}", "ui-asset", GET=dashboard.asset),
        Route("/", dispatch_by(GET=dashboard.root), methods=["GET"], name="root"),
    ]
