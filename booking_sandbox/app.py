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

from booking_sandbox import control
from booking_sandbox.control.http import ControlError, ControlSchemas, error_response
from booking_sandbox.core.cors import Cors
from booking_sandbox.core.fixtures import FixtureError, collector_paused, load_fixtures
from booking_sandbox.core.namespaces import Namespaces
from booking_sandbox.core.phases import phase
from booking_sandbox.core.routing import IndexedRouter
from booking_sandbox.core.runtime import Sandbox
from booking_sandbox.core.settings import Settings
from booking_sandbox.traffic.disconnect import Disconnected
from booking_sandbox.traffic.middleware import Traffic
from booking_sandbox.traffic.plane import QaPlane
from booking_sandbox.vendors import VENDORS, Vendor, owner, vendors_of
from booking_sandbox.vendors.adapter import cross_reference_problems

log = logging.getLogger("sandbox")


def create_app(
    settings: Settings | None = None, vendors: tuple[Vendor, ...] = VENDORS
) -> Starlette:
    """Load and validate the fixtures (raising FixtureError), then wire the routes.

    `vendors`: the registry by default; a test may add a vendor of its own.
    """
    settings = settings or Settings()
    with collector_paused():  # loading builds millions of acyclic objects on a big catalog
        with phase("reading fixtures and checking them against their schemas"):
            fixtures = load_fixtures(settings.fixtures, settings.schemas)
        catalogs = fixtures.fresh_copy()  # parsed once for the checks and the credential bindings
        namespaces = Namespaces(
            fixtures,
            vendors,
            catalogs,
            seed=settings.seed,
            start_time=settings.start_time,
            wall=settings.wall,
            limit=settings.max_namespaces,
            idle=settings.namespace_idle,
        )
        _check_catalogs(vendors, namespaces, catalogs)
    app = Starlette(
        routes=[*control.routes(), *(route for v in vendors for route in v.routes())],
        # CORS outermost: a preflight is answered before any vendor or the QA plane sees it.
        # The vendors' own next (path rewrites): Traffic then sees the route the router picks.
        middleware=[
            *_cors(settings, vendors),
            *(m for v in vendors for m in v.middleware),
            Middleware(Traffic),
        ],
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
    return app


def _cors(settings: Settings, vendors: tuple[Vendor, ...]) -> list[Middleware]:
    """None unless asked for: no CORS header at all, OPTIONS reaches its route as before."""
    if not settings.cors_origins:
        return []

    def vendor_path(path: str) -> bool:
        return owner(vendors, path) is not None

    return [Middleware(Cors, origins=settings.cors_origins, vendor_path=vendor_path)]


def _check_catalogs(
    vendors: tuple[Vendor, ...], namespaces: Namespaces, catalogs: dict[str, Any]
) -> None:
    """Cross-reference checks the JSON Schemas cannot express, and pools that must build."""
    with phase("checking cross-references"):
        problems = cross_reference_problems(vendors, catalogs)
    if problems:
        raise FixtureError([f"{section}: {path}: {message}" for section, path, message in problems])
    try:
        with phase("building pools"):
            namespaces.get("default")  # builds the pools once: a bad catalog fails at start-up
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
