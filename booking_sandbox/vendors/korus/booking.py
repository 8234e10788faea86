"""Korus booking endpoints: reservations and orders (routes only; logic in their modules)."""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor
from starlette.routing import Route

from booking_sandbox.routing import by_method
from booking_sandbox.vendors.korus import (
    cancellation,
    documents,
    order_tickets,
    orders,
    reservations,
)
from booking_sandbox.vendors.korus.http import endpoint


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
            by_method(
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
        Route(
            "/v1/booking/orders/{id:korus_id}/_cancel",
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
