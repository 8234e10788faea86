"""Booqable Boomerang on its real paths, under both `/api/boomerang` and `/api/4`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from booking_sandbox.core.routing import by_method as dispatch_by
from booking_sandbox.vendors.booqable import errors, views
from booking_sandbox.vendors.booqable.errors import error_response, route_not_found
from booking_sandbox.vendors.booqable.http import Handler, endpoint

PREFIXES = ("/api/boomerang", "/api/4")
# Read-only resources: list and show.
READ_ONLY = (
    "product_groups",
    "products",
    "bundles",
    "bundle_items",
    "stock_items",
    "plannings",
    "stock_item_plannings",
    "lines",
    "locations",
    "tax_categories",
)
WRITES = frozenset({"POST", "PUT", "PATCH"})


def _routes(path: str, name: str, **handlers: Handler) -> list[Route]:
    wrapped = {m: endpoint(h, reads_body=m in WRITES) for m, h in handlers.items()}
    return [
        Route(
            f"{prefix}{path}",
            dispatch_by(**wrapped),
            methods=list(wrapped),
            # One name under both prefixes: it is the operation faults and the journal match.
            name=f"booqable.{name}",
        )
        for prefix in PREFIXES
    ]


def routes() -> list[Route]:
    # Importing a resource module registers its specs (jsonapi.REGISTRY) as a side effect.
    from booking_sandbox.vendors.booqable import (  # noqa: F401
        catalog_resources,
        customers,
        inventory_levels,
        order_resources,
    )

    found: list[Route] = []
    for kind in READ_ONLY:
        found += _routes(f"/{kind}", kind, GET=views.listed(kind))
        found += _routes(f"/{kind}/{{id}}", f"{kind}.show", GET=views.shown(kind))

    # --- customers and inventory levels -------------------------------------------------
    found += _routes(
        "/customers", "customers", GET=views.listed("customers"), POST=customers.create
    )
    found += _routes(
        "/customers/{id}",
        "customers.show",
        GET=views.shown("customers"),
        PUT=customers.update,
        PATCH=customers.update,
        DELETE=customers.archive,
    )
    found += _routes("/inventory_levels", "inventory_levels", GET=inventory_levels.levels)
    # --- end customers and inventory levels ---------------------------------------------

    # --- order bookings and fulfillments (POST only: transient answers) -----------------
    from booking_sandbox.vendors.booqable import fulfillments, order_bookings

    found += _routes("/order_bookings", "order_bookings", POST=order_bookings.create)
    found += _routes("/order_fulfillments", "order_fulfillments", POST=fulfillments.create)
    # --- end order bookings and fulfillments --------------------------------------------

    # --- orders and order status transitions --------------------------------------------
    from booking_sandbox.vendors.booqable import orders, transitions

    found += _routes("/orders", "orders", GET=views.listed("orders"), POST=orders.create)
    found += _routes("/orders/new", "orders.new", GET=orders.show_new)  # before /orders/{id}
    found += _routes(
        "/orders/{id}",
        "orders.show",
        GET=views.shown("orders"),
        PUT=orders.update,
        PATCH=orders.update,
        DELETE=orders.delete,
    )
    found += _routes(
        "/order_status_transitions", "order_status_transitions", POST=transitions.create
    )
    # --- end orders and order status transitions ----------------------------------------
    return found


def owns(path: str) -> bool:
    return path.startswith(_UNDER) or path in PREFIXES


_UNDER = tuple(f"{prefix}/" for prefix in PREFIXES)


def route_error(request: Request, status: int, allow: str | None) -> Response:
    """Rails answers an unknown route, or a known path with another method, with 404."""
    return error_response(route_not_found(request.method, request.url.path))


def server_error(request: Request) -> Response:
    return error_response(errors.server_error())
