"""Magic request values: documented inputs that trigger a vendor-realistic failure on purpose.

Like a payment provider's test card numbers. Each vendor adapter reads its own values from here,
so this table, `GET /_sandbox/magic` and the README's table cannot disagree.
"""

from __future__ import annotations

from typing import Any

# Korus, POST /v1/booking/orders/_bulk: the ticketing sub-system refuses the order.
KORUS_ORDER_REJECTED_EMAIL = "order-rejected@sandbox.test"  # compared case-insensitively
KORUS_ORDER_REJECTED_REFERENCE = "SANDBOX-ORDER-REJECTED"
KORUS_ORDER_REJECTED_MESSAGE = "Order rejected by the ticketing sub-system"
# Korus, POST /v1/booking/reservations/_bulk: the sub-system refuses one item.
KORUS_RESERVATION_REFUSED_QUANTITY = 999
KORUS_RESERVATION_REFUSED_MESSAGE = "The ticketing sub-system refused the reservation"
# Pont Central, booking create and update: the vendor's 409 and 500.
PONTCENTRAL_CONFLICT_REFERENCE = "SANDBOX-409"
PONTCENTRAL_SERVER_ERROR_REFERENCE = "SANDBOX-500"
# Booqable: an order tagged so asks for `confirm_shortage` whenever it takes stock.
BOOQABLE_SHORTAGE_TAG = "sandbox-shortage"

_KORUS_ORDER = (
    "every live reservation of the request goes to `failedOrders` with the message "
    f'"{KORUS_ORDER_REJECTED_MESSAGE}"; nothing is ordered and the holds stay live'
)
_PONT_409 = '409 CONFLICT "Resource not available for requested slot"'
_PONT_500 = '500 INTERNAL_SERVER_ERROR "Server error"'
_PONT_CREATE = "; nothing is stored, no stock is taken, no booking number is spent"
_PONT_UPDATE = "; the booking and its stock stay as they were"
_BOOQABLE = (
    "422 `items_not_available` with a `warning` (reason `shortage`, shortage 1) for each "
    "product it would take, even when the stock suffices; `confirm_shortage: true` goes "
    "through normally; a real shortage keeps its own entry (beyond the limit: `blocking`)"
)


def _entry(vendor: str, operation: str, field: str, value: Any, effect: str) -> dict[str, Any]:
    return {
        "vendor": vendor,
        "operation": operation,
        "field": field,
        "value": value,
        "effect": effect,
    }


# Where the Booqable tag bites: every request that would take stock for the order.
_BOOQABLE_OPERATIONS = (
    ("booqable.order_bookings", "booking onto it while it holds stock (reserved, started)"),
    ("booqable.order_fulfillments", "`book_*` actions on it, or starting it from new/concept"),
    ("booqable.order_status_transitions", "reserving or starting it"),
    ("booqable.orders.show", "PUT/PATCH moving its period while it holds stock"),
)

MAGIC: list[dict[str, Any]] = [
    _entry(
        "korus", "korus.orders-bulk", "customer.email", KORUS_ORDER_REJECTED_EMAIL, _KORUS_ORDER
    ),
    _entry(
        "korus",
        "korus.orders-bulk",
        "externalReference",
        KORUS_ORDER_REJECTED_REFERENCE,
        _KORUS_ORDER,
    ),
    _entry(
        "korus",
        "korus.reservations-bulk",
        "items[].quantity",
        KORUS_RESERVATION_REFUSED_QUANTITY,
        "that item goes to `failedReservations` with the message "
        f'"{KORUS_RESERVATION_REFUSED_MESSAGE}", whatever the stock; the other items succeed',
    ),
    _entry(
        "pontcentral",
        "pontcentral.booking-create",
        "resellerReference",
        PONTCENTRAL_CONFLICT_REFERENCE,
        _PONT_409 + _PONT_CREATE,
    ),
    _entry(
        "pontcentral",
        "pontcentral.booking-create",
        "resellerReference",
        PONTCENTRAL_SERVER_ERROR_REFERENCE,
        _PONT_500 + _PONT_CREATE,
    ),
    _entry(
        "pontcentral",
        "pontcentral.booking",
        "resellerReference",
        PONTCENTRAL_CONFLICT_REFERENCE,
        f"PUT (update): {_PONT_409}{_PONT_UPDATE}",
    ),
    _entry(
        "pontcentral",
        "pontcentral.booking",
        "resellerReference",
        PONTCENTRAL_SERVER_ERROR_REFERENCE,
        f"PUT (update): {_PONT_500}{_PONT_UPDATE}",
    ),
    *(
        _entry(
            "booqable", operation, "order.tag_list[]", BOOQABLE_SHORTAGE_TAG, f"{when}: {_BOOQABLE}"
        )
        for operation, when in _BOOQABLE_OPERATIONS
    ),
]
