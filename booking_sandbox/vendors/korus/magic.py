"""Korus magic request values: documented inputs that trigger a vendor-realistic failure.

Like a payment provider's test card numbers. The handlers read these constants, and `MAGIC`
(their rows of `GET /_sandbox/magic` and the docs' table) is built from the same constants.
"""

from __future__ import annotations

from booking_sandbox.vendors.adapter import magic_entry

# POST /v1/booking/orders/_bulk: the ticketing sub-system refuses the order.
ORDER_REJECTED_EMAIL = "order-rejected@sandbox.test"  # compared case-insensitively
ORDER_REJECTED_REFERENCE = "SANDBOX-ORDER-REJECTED"
ORDER_REJECTED_MESSAGE = "Order rejected by the ticketing sub-system"
# POST /v1/booking/reservations/_bulk: the sub-system refuses one item.
RESERVATION_REFUSED_QUANTITY = 999
RESERVATION_REFUSED_MESSAGE = "The ticketing sub-system refused the reservation"

_ORDER = (
    "every live reservation of the request goes to `failedOrders` with the message "
    f'"{ORDER_REJECTED_MESSAGE}"; nothing is ordered and the holds stay live'
)

MAGIC = (
    magic_entry("korus", "korus.orders-bulk", "customer.email", ORDER_REJECTED_EMAIL, _ORDER),
    magic_entry(
        "korus", "korus.orders-bulk", "externalReference", ORDER_REJECTED_REFERENCE, _ORDER
    ),
    magic_entry(
        "korus",
        "korus.reservations-bulk",
        "items[].quantity",
        RESERVATION_REFUSED_QUANTITY,
        "that item goes to `failedReservations` with the message "
        f'"{RESERVATION_REFUSED_MESSAGE}", whatever the stock; the other items succeed',
    ),
)
