"""`create_app(settings)` builds one complete sandbox; nothing lives at module level.

The top layer: it assembles the core (namespaces over the fixtures), the registered vendors,
the QA plane around their requests and the control plane, and maps what no handler answered
(an unknown path, a bug) to the envelope of the vendor that owns the path.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from booking_sandbox import control
from booking_sandbox.control.http import ControlError, ControlSchemas, error_response
from booking_sandbox.core.catalog_snapshot import CatalogSnapshots
from booking_sandbox.core.cors import Cors
from booking_sandbox.core.fixtures import FixtureError, collector_paused, load_fixtures
from booking_sandbox.core.namespaces import Namespaces
from booking_sandbox.core.phases import phase
from booking_sandbox.core.retention import RetentionPolicy
from booking_sandbox.core.routing import IndexedRouter
from booking_sandbox.core.runtime import Sandbox
from booking_sandbox.core.settings import Settings
from booking_sandbox.traffic.disconnect import Disconnected
from booking_sandbox.traffic.gate import VENDOR_KEY, VendorGate
from booking_sandbox.traffic.middleware import Traffic
from booking_sandbox.traffic.plane import QaPlane
from booking_sandbox.vendors import VENDORS, Vendor, owner, vendors_of
from booking_sandbox.vendors.adapter import cross_reference_problems

log = logging.getLogger("sandbox")


class SandboxApp(Starlette):
    """Starlette for the control plane (and the fallback); vendor paths take the raw dispatch
    (`traffic/gate.py`) inside CORS and the vendors' own middleware, as before, with this
    class standing in for Starlette's error middleware around them."""

    vendor_stack: ASGIApp | None = None  # None: vendor paths go through Starlette too

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        stack = self.vendor_stack
        if stack is None or scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        vendor = owner(self.state.vendors, scope["path"])
        if vendor is None:
            await super().__call__(scope, receive, send)
            return
        scope["app"] = self
        scope[VENDOR_KEY] = vendor
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await stack(scope, receive, tracked)
        except Exception as exc:  # Starlette's ServerErrorMiddleware: answer, then raise on
            response = await _server_error(Request(scope), exc)
            if not started:
                await response(scope, receive, send)
            raise


# Throughout: once the catalog is loaded, every collection the app's set-up would trigger
# walks its millions of young objects again (seconds on a big catalog, nothing to free).
@collector_paused()
def create_app(
    settings: Settings | None = None, vendors: tuple[Vendor, ...] = VENDORS, *, raw: bool = True
) -> SandboxApp:
    """Load and validate the fixtures (raising FixtureError), then wire the routes.

    `vendors`: the registry by default; a test may add a vendor of its own. `raw`: vendor
    paths take the raw dispatch (False: Starlette's stack, the fallback the router test
    compares it with).
    """
    settings = settings or Settings()
    with collector_paused():  # loading builds millions of acyclic objects on a big catalog
        with phase("reading fixtures and checking them against their schemas"):
            snapshots = _snapshots(settings)
            fixtures = load_fixtures(settings.fixtures, settings.schemas, snapshots)
        catalogs = fixtures.catalogs()  # the shared documents: read by the checks and bindings
        namespaces = Namespaces(
            fixtures,
            vendors,
            catalogs,
            seed=settings.seed,
            start_time=settings.start_time,
            wall=settings.wall,
            limit=settings.max_namespaces,
            idle=settings.namespace_idle,
            retention=RetentionPolicy(settings.retain_finished),
        )
        checked = snapshots.recalled if snapshots is not None else set()
        unchecked = {s: c for s, c in catalogs.items() if s not in checked}
        _check_catalogs(vendors, namespaces, unchecked)
        if snapshots is not None:
            # Every check passed: the next start may skip them, for the sections checked.
            snapshots.commit({v.section for v in vendors})
    # CORS outermost: a preflight is answered before any vendor or the QA plane sees it.
    # The vendors' own next (path rewrites): the QA plane then sees the route the router picks.
    outer = [*_cors(settings, vendors), *(m for v in vendors for m in v.middleware)]
    app = SandboxApp(
        routes=[*control.routes(), *(route for v in vendors for route in v.routes())],
        middleware=[*outer, Middleware(Traffic)],
        exception_handlers={
            ControlError: _control_error,
            HTTPException: _http_error,
            ClientDisconnect: _client_gone,
            Exception: _server_error,
        },
    )
    # No 307 to the slash-less path: a vendor answers an unknown path in its own envelope.
    app.router = IndexedRouter(app.router.routes, redirect_slashes=False)
    app.state.vendors = vendors
    app.state.sandbox = Sandbox(settings, fixtures, namespaces)
    app.state.qa = QaPlane(
        namespaces,
        [v.name for v in vendors],
        seed=settings.seed,
        journal_size=settings.journal_size,
    )
    namespaces.on_evict = app.state.qa.drop  # an evicted namespace's journal and rules go too
    app.state.control_schemas = ControlSchemas(settings.schemas / "control.openapi.json")
    if raw:
        app.vendor_stack = _wrapped(VendorGate(vendors), outer)
    return app


def _wrapped(app: ASGIApp, middleware: list[Middleware]) -> ASGIApp:
    """`app` inside `middleware` (the first outermost), as Starlette builds its stack."""
    for cls, args, kwargs in reversed(middleware):
        app = cls(app, *args, **kwargs)
    return app


def _cors(settings: Settings, vendors: tuple[Vendor, ...]) -> list[Middleware]:
    """None unless asked for: no CORS header at all, OPTIONS reaches its route as before."""
    if not settings.cors_origins:
        return []

    def vendor_path(path: str) -> bool:
        return owner(vendors, path) is not None

    return [Middleware(Cors, origins=settings.cors_origins, vendor_path=vendor_path)]


def _snapshots(settings: Settings) -> CatalogSnapshots | None:
    if not settings.catalog_snapshots:
        return None
    if settings.snapshot_cache is None:
        return CatalogSnapshots()
    return CatalogSnapshots(settings.snapshot_cache)


def _check_catalogs(
    vendors: tuple[Vendor, ...], namespaces: Namespaces, catalogs: dict[str, Any]
) -> None:
    """Cross-reference checks the JSON Schemas cannot express (on `catalogs`: those not taken
    from a checked snapshot), and pools that must build."""
    with phase("checking cross-references"):
        problems = cross_reference_problems(vendors, catalogs)
    if problems:
        raise FixtureError([f"{section}: {path}: {message}" for section, path, message in problems])
    try:
        with phase("building pools"):
            # Pools are built on first use; a catalog that has not passed every check before
            # (`catalogs`: not from a checked snapshot) must show now that its pools build.
            if catalogs:
                namespaces.base_pools().build_all()
            namespaces.get("default")  # prepares the vendors' records: a bad catalog fails here
    except ValueError as exc:  # a vendor could not set its fixtures up (prepare)
        raise FixtureError([str(exc)]) from None


async def _control_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ControlError)
    return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    vendor = owner(vendors_of(request), request.url.path)
    if vendor is not None:  # each vendor answers in its own envelope
        return vendor.route_error(request, exc.status_code, (exc.headers or {}).get("Allow"))
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    message = f"{request.method} {request.url.path}: {exc.detail}"
    response = error_response(exc.status_code, code, message)
    response.headers.update(exc.headers or {})  # 405 carries `Allow` (RFC 9110)
    return response


async def _client_gone(request: Request, exc: Exception) -> Response:
    """The client left while sending its body: nobody to answer, and no bug either."""
    log.info("client disconnected during %s %s", request.method, request.url.path)
    return Response(status_code=400)  # (recorded in the journal; nobody reads it on the wire)


async def _server_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, Disconnected):  # a disconnect fault in-process: no bug to report
        return Response(status_code=500)
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    vendor = owner(vendors_of(request), request.url.path)
    if vendor is not None:
        return vendor.server_error(request)
    return error_response(500, "internal_error", "the sandbox failed on this request")
