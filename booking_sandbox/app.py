"""`create_app(settings)` builds one complete sandbox; nothing lives at module level."""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox import control
from booking_sandbox.control.http import ControlError, ControlSchemas, error_response
from booking_sandbox.fixtures import FixtureError, collector_paused, load_fixtures
from booking_sandbox.namespaces import Namespaces
from booking_sandbox.routing import IndexedRouter
from booking_sandbox.runtime import Sandbox
from booking_sandbox.settings import Settings
from booking_sandbox.traffic.disconnect import Disconnected
from booking_sandbox.traffic.middleware import Traffic
from booking_sandbox.vendors import VENDOR_CATALOGS
from booking_sandbox.vendors.booqable import routes as booqable
from booking_sandbox.vendors.catalog import cross_reference_problems
from booking_sandbox.vendors.korus import documents as korus_documents
from booking_sandbox.vendors.korus import routes as korus
from booking_sandbox.vendors.pontcentral import routes as pontcentral
from booking_sandbox.vendors.server_errors import server_error as vendor_server_error

log = logging.getLogger("sandbox")


def create_app(settings: Settings | None = None) -> Starlette:
    """Load and validate the fixtures (raising FixtureError), then wire the routes."""
    settings = settings or Settings()
    with collector_paused():  # loading builds millions of acyclic objects on a big catalog
        fixtures = load_fixtures(settings.fixtures, settings.schemas)
        catalogs = fixtures.fresh_copy()  # parsed once for the checks and the credential bindings
        namespaces = Namespaces(
            fixtures,
            VENDOR_CATALOGS,
            catalogs,
            seed=settings.seed,
            start_time=settings.start_time,
            wall=settings.wall,
            limit=settings.max_namespaces,
            journal_size=settings.journal_size,
        )
        _check_catalogs(namespaces, catalogs)
    app = Starlette(
        routes=[*control.routes(), *pontcentral.routes(), *korus.routes(), *booqable.routes()],
        # FormatSuffix first: Traffic then sees the route the router will pick.
        middleware=[Middleware(korus.FormatSuffix), Middleware(Traffic)],
        exception_handlers={
            ControlError: _control_error,
            HTTPException: _http_error,
            Exception: _server_error,
        },
    )
    # No 307 to the slash-less path: a vendor answers an unknown path in its own envelope.
    app.router = IndexedRouter(app.router.routes, redirect_slashes=False)
    app.state.sandbox = Sandbox(
        settings, fixtures, namespaces, ControlSchemas(settings.schemas / "control.openapi.json")
    )
    return app


def _check_catalogs(namespaces: Namespaces, catalogs: dict[str, object]) -> None:
    """Cross-reference checks the JSON Schemas cannot express, and pools that must build."""
    problems = cross_reference_problems(namespaces.vendors, catalogs)
    if problems:
        raise FixtureError([f"{section}: {path}: {message}" for section, path, message in problems])
    try:
        namespaces.get("default")  # builds the pools once, so a bad catalog fails at start-up
    except ValueError as exc:  # a vendor could not set its fixtures up (prepare)
        raise FixtureError([str(exc)]) from None


async def _control_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ControlError)
    return error_response(exc.status, exc.code, exc.message, exc.details)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if pontcentral.owns(request.url.path):  # each vendor answers in its own envelope
        return pontcentral.http_error(request, exc.status_code)
    if request.url.path.startswith(f"{korus_documents.STORAGE}/"):  # the signed-URL host
        return korus_documents.storage_error(exc.status_code)
    if korus.owns(request.url.path):
        return korus.http_error(request, exc.status_code, (exc.headers or {}).get("Allow"))
    if booqable.owns(request.url.path):
        return booqable.http_error(request, exc.status_code)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    message = f"{request.method} {request.url.path}: {exc.detail}"
    response = error_response(exc.status_code, code, message)
    response.headers.update(exc.headers or {})  # 405 carries `Allow` (RFC 9110)
    return response


async def _server_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, Disconnected):  # a disconnect fault in-process: no bug to report
        return Response(status_code=500)
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    found = vendor_server_error(request)
    return found or error_response(500, "internal_error", "the sandbox failed on this request")
