"""Booqable magic request values: an order tag that asks for `confirm_shortage` on purpose.

The handlers read the constant; `MAGIC` (its rows of `GET /_sandbox/magic`) is built from it.
"""

from __future__ import annotations

from booking_sandbox.vendors.adapter import magic_entry

# An order tagged so asks for `confirm_shortage` whenever it takes stock.
SHORTAGE_TAG = "sandbox-shortage"

_EFFECT = (
    "422 `items_not_available` with a `warning` (reason `shortage`, shortage 1) for each "
    "product it would take, even when the stock suffices; `confirm_shortage: true` goes "
    "through normally; a real shortage keeps its own entry (beyond the limit: `blocking`)"
)
# Where the tag bites: every request that would take stock for the order.
_OPERATIONS = (
    ("booqable.order_bookings", "booking onto it while it holds stock (reserved, started)"),
    ("booqable.order_fulfillments", "`book_*` actions on it, or starting it from new/concept"),
    ("booqable.order_status_transitions", "reserving or starting it"),
    ("booqable.orders.show", "PUT/PATCH moving its period while it holds stock"),
)

MAGIC = tuple(
    magic_entry("booqable", operation, "order.tag_list[]", SHORTAGE_TAG, f"{when}: {_EFFECT}")
    for operation, when in _OPERATIONS
)
