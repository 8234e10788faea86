"""Korus booking endpoints: reservations and orders (routes only; logic in their modules)."""

from __future__ import annotations

from starlette.routing import Route

from sandbox.vendors.korus import orders, reservations
from sandbox.vendors.korus.http import endpoint


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
            "/v1/booking/orders/{id}",
            endpoint(orders.get_order),
            methods=["GET"],
            name="korus.order",
        ),
    ]
