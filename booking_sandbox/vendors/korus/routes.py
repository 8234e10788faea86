"""Korus Ticket's paths, and API Platform's answers to unknown routes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from booking_sandbox.vendors.korus import auth, booking, contexts, offers, ticketing
from booking_sandbox.vendors.korus.http import endpoint
from booking_sandbox.vendors.korus.records import base_url
from booking_sandbox.vendors.korus.wire import KorusError, error_response

API = "/v1/"


def routes() -> list[Route]:
    return [
        Route(auth.TOKEN_PATH, auth.token, methods=["POST"], name="korus.token"),
        Route(
            "/v1/ticketing/catalogs",
            endpoint(ticketing.list_catalogs),
            methods=["GET"],
            name="korus.catalogs",
        ),
        Route(
            "/v1/ticketing/catalogs/{catalogId}/product_bases",
            endpoint(ticketing.list_product_bases),
            methods=["GET"],
            name="korus.product-bases",
        ),
        *offers.routes(),
        *booking.routes(),
        *contexts.routes(),
    ]


def owns(path: str) -> bool:
    return path.startswith((API, "/realms/korusticket/", "/contexts/", "/docs", "/.well-known/"))


def http_error(request: Request, status: int, allow: str | None) -> Response:
    """Symfony's router messages, in API Platform's Error resource."""
    if allow:  # Starlette adds HEAD to GET routes (a Symfony GET route lists GET alone) and
        # keeps methods in a set: write them in one fixed order.
        order = ["GET", "POST", "PUT", "PATCH", "DELETE"]
        methods = [m for m in allow.split(", ") if m != "HEAD"]
        allow = ", ".join(sorted(methods, key=lambda m: order.index(m) if m in order else 9))
    base = base_url(request)
    where = f'"{request.method} {request.url}"'
    if status == 405 and allow:
        error = KorusError(405, f"No route found for {where}: Method Not Allowed (Allow: {allow})")
    elif status in (404, 405):
        error = KorusError(404, f"No route found for {where}")
    else:
        error = KorusError(status, "An error occurred")
    response = error_response(error, base)
    if status == 405 and allow:
        response.headers["Allow"] = allow
    return response


def server_error(request: Request) -> Response:
    base = base_url(request)
    return error_response(KorusError(500, "Internal Server Error"), base)


class FormatSuffix:
    """API Platform's `{._format}`: `/v1/...{iri}.jsonld` is the same operation as `{iri}`.

    PATCH and `_cancel` answers name it in `Content-Location`, so a client may follow it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path.startswith(API) and path.endswith(".jsonld"):
            # The journal and fault rules see the path the client sent.
            scope = {**scope, "path": path.removesuffix(".jsonld"), "sandbox.original_path": path}
            scope["raw_path"] = scope["path"].encode()
        await self.app(scope, receive, send)
