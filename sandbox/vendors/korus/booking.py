"""Korus booking endpoints: reservations and orders (routes only; logic in their modules)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.vendors.korus import (
    cancellation,
    documents,
    order_tickets,
    orders,
    reservations,
)
from sandbox.vendors.korus.http import endpoint

Endpoint = Callable[[Request], Awaitable[Response]]


def _by_method(**handlers: Endpoint) -> Endpoint:
    """One route per path, so a 405 lists every method of the path in `Allow`."""

    async def dispatch(request: Request) -> Response:
        return await handlers["GET" if request.method == "HEAD" else request.method](request)

    return dispatch


def routes() -> list[Route]:
    return [
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
            "/v1/booking/reservations/{id}",
            _by_method(
                GET=endpoint(reservations.get_reservation),
                DELETE=endpoint(cancellation.release_reservation),
            ),
            methods=["GET", "DELETE"],
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
            "/v1/booking/orders/{id}",
            endpoint(orders.get_order),
            methods=["GET"],
            name="korus.order",
        ),
        Route(
            "/v1/booking/orders/{orderId}/items/{orderItemId}/tickets/{id}",
            endpoint(order_tickets.ticket),
            methods=["GET", "PATCH"],
            name="korus.order-ticket",
        ),
        Route(
            "/v1/booking/orders/{orderId}/documents",
            endpoint(documents.list_documents),
            methods=["GET"],
            name="korus.order-documents",
        ),
        Route(
            "/v1/booking/orders/{orderId}/documents/{id}",
            endpoint(documents.document),
            methods=["GET", "PATCH"],
            name="korus.order-document",
        ),
        Route(
            "/v1/booking/orders/{id}/_cancel",
            endpoint(cancellation.cancel_order),
            methods=["POST"],
            name="korus.order-cancel",
        ),
        # The signed URL is the credential: no bearer token, GCS-style XML errors.
        Route(
            f"{documents.STORAGE}/{{namespace}}/{{orderId}}/{{documentId}}.pdf",
            documents.download,
            methods=["GET"],
            name="korus.document-download",
        ),
    ]
