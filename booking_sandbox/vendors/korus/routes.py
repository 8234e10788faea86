"""Korus Ticket's paths, and API Platform's answers to unknown routes."""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from booking_sandbox.core.routing import by_method
from booking_sandbox.vendors.korus import (
    auth,
    contexts,
    documents,
    forms,
    keycloak,
    offers,
    order_tickets,
    orders,
    reservations,
    ticketing,
)
from booking_sandbox.vendors.korus.http import endpoint
from booking_sandbox.vendors.korus.inputs import base_url
from booking_sandbox.vendors.korus.redirects import slash_redirect
from booking_sandbox.vendors.korus.wire import KorusError, error_response

API = "/v1/"
# Every path Korus serves: its API, Keycloak, the JSON-LD contexts and docs, the signed-URL host.
_OWNED = (
    API,
    "/realms/korusticket/",
    "/contexts/",
    "/docs",
    "/.well-known/",
    f"{documents.STORAGE}/",
)


class KorusId(Convertor[str]):
    """Booking ids are UUIDs: anything else matches no route (Symfony's "No route found"), and
    `GET .../_bulk` finds the POST-only route (405) instead of looking up an id "_bulk"."""

    regex = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("korus_id", KorusId())


def routes() -> list[Route]:
    return [
        Route(auth.TOKEN_PATH, auth.token, methods=["POST"], name="korus.token"),
        *keycloak.routes(),  # the realm's discovery document and JWKS
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
        Route(
            "/v1/forms/{id:korus_id}",
            endpoint(forms.get_form),
            methods=["GET"],
            name="korus.form",
        ),
        # ----- booking: reservations, orders, their tickets and documents -----
        Route(
            "/v1/booking/reservations/_bulk",
            endpoint(reservations.create_bulk),
            methods=["POST"],
            name="korus.reservations-bulk",
        ),
        Route(
            "/v1/booking/reservations",
            endpoint(reservations.list_reservations),
            methods=["GET"],
            name="korus.reservations",
        ),
        Route(
            "/v1/booking/reservations/{id:korus_id}",
            endpoint(reservations.get_reservation),
            methods=["GET"],
            name="korus.reservation",
        ),
        Route(
            "/v1/booking/orders/_bulk",
            endpoint(orders.create_bulk),
            methods=["POST"],
            name="korus.orders-bulk",
        ),
        Route(
            "/v1/booking/orders", endpoint(orders.list_orders), methods=["GET"], name="korus.orders"
        ),
        Route(
            "/v1/booking/orders/{id:korus_id}",
            endpoint(orders.get_order),
            methods=["GET"],
            name="korus.order",
        ),
        Route(
            "/v1/booking/orders/{orderId:korus_id}/items/{orderItemId:korus_id}/tickets/{id:korus_id}",
            by_method(
                GET=endpoint(order_tickets.get_ticket), PATCH=endpoint(order_tickets.patch_ticket)
            ),
            methods=["GET", "PATCH"],
            name="korus.order-ticket",
        ),
        Route(
            "/v1/booking/orders/{orderId:korus_id}/documents",
            endpoint(documents.list_documents),
            methods=["GET"],
            name="korus.order-documents",
        ),
        Route(
            "/v1/booking/orders/{orderId:korus_id}/documents/{id:korus_id}",
            by_method(
                GET=endpoint(documents.get_document), PATCH=endpoint(documents.patch_document)
            ),
            methods=["GET", "PATCH"],
            name="korus.order-document",
        ),
        # The signed URL is the credential: no bearer token, GCS-style XML errors.
        Route(
            f"{documents.STORAGE}/{{namespace}}/{{orderId}}/{{documentId}}.pdf",
            documents.download,
            methods=["GET"],
            name="korus.document-download",
        ),
        *contexts.routes(),
    ]


def owns(path: str) -> bool:
    return path.startswith(_OWNED)


def route_error(request: Request, status: int, allow: str | None) -> Response:
    """Symfony's router messages, in API Platform's Error resource; the storage host's XML."""
    if request.url.path.startswith(f"{documents.STORAGE}/"):
        return documents.storage_error(status)
    redirect = slash_redirect(request) if status == 404 else None
    if redirect is not None:  # `/v1/ticketing/catalogs/`: Symfony's 301 to the route
        return redirect
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
    if request.url.path.startswith(f"{documents.STORAGE}/"):  # GCS's words for its own 500
        message = "We encountered an internal error. Please try again."
        return documents.xml_error(500, "InternalError", message)
    base = base_url(request)
    return error_response(KorusError(500, "Internal Server Error"), base)


class FormatSuffix:
    """API Platform's `{._format}`: `/v1/...{iri}.jsonld` is the same operation as `{iri}`.

    PATCH answers name it in `Content-Location`, so a client may follow it.
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
