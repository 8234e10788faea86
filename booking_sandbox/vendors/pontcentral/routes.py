"""Pont Central's nine endpoints on their real paths, and its answers to unknown routes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from booking_sandbox.core.routing import by_method as dispatch_by
from booking_sandbox.vendors.pontcentral import auth, availability, bookings, products
from booking_sandbox.vendors.pontcentral.http import Handler, endpoint
from booking_sandbox.vendors.pontcentral.wire import PontError, error_response

PREFIX = "/api/v1"


def _route(path: str, name: str, authenticated: bool = True, **by_method: Handler) -> Route:
    handlers = {m: endpoint(h, authenticated=authenticated) for m, h in by_method.items()}
    return Route(
        f"{PREFIX}{path}",
        dispatch_by(**handlers),
        methods=list(handlers),
        name=f"pontcentral.{name}",
    )


def routes() -> list[Route]:
    return [
        _route("/auth/token", "token", authenticated=False, POST=auth.issue_token),
        _route("/products", "products", GET=products.list_products),
        _route("/products/{productCode}", "product", GET=products.get_product),
        # The detail endpoint with an empty code: the errors table documents a 400 for it.
        _route("/products/", "product", GET=products.missing_code),
        _route("/availabilities", "availabilities", POST=availability.availabilities),
        _route("/bookings/create", "booking-create", POST=bookings.create_booking),
        _route("/bookings", "bookings", GET=bookings.list_bookings),
        _route(
            "/bookings/{bookingNumber}",
            "booking",
            GET=bookings.get_booking,
            PUT=bookings.update_booking,
            DELETE=bookings.cancel_booking,
        ),
    ]


def owns(path: str) -> bool:
    return path == PREFIX or path.startswith(f"{PREFIX}/")


def route_error(request: Request, status: int, allow: str | None) -> Response:
    """AdonisJS answers an unknown route, or a known one with another method, with 404."""
    if status in (404, 405):
        message = f"Cannot {request.method}:{request.url.path}"
        return error_response(PontError(404, "NOT_FOUND", message))
    return error_response(PontError(status, "INVALID_REQUEST", f"HTTP {status}"))


def server_error(request: Request) -> Response:
    return error_response(PontError(500, "INTERNAL_SERVER_ERROR", "Server error"))
