"""Korus's retention hook (core/retention.py): which of its records are finished, and pruning
them with their engine allocations.

Finished, as nothing a client can do brings them back (reference §5.1, §5.4: an expired
reservation "will become invalid for booking"; no operation undoes a cancellation):
- a reservation never ordered whose hold expired or was released (`korus-reservation-released`);
- an order cancelled by the sub-system (`korus-order-cancelled`), pruned with the reservation
  it ordered, which it names (an ordered reservation is never pruned alone: its order names it).
A pruned id then answers as an id Korus never issued: `GET` 404, and an order of a pruned
reservation the 400 of an IRI naming nothing.
"""

from __future__ import annotations

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.core.retention import beyond_recent
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.korus.records import Order, Reservation
from booking_sandbox.vendors.korus.store import VENDOR


def prune(space: Namespace, keep: int) -> dict[str, int]:
    state = space.vendor_state.get(VENDOR)
    if not state:
        return {}
    inventory = space.inventory
    now = inventory.now()
    reservations: dict[str, Reservation] = state["reservations"]
    orders: dict[str, Order] = state["orders"]
    counts = {"reservations": 0, "orders": 0, "allocations": 0}

    def order_finished(order: Order) -> bool:
        return order["status"] == "cancelled" and not inventory.holds_active(
            order["reservation"], now
        )

    def reservation_finished(reservation: Reservation) -> bool:
        if reservation["order"] is not None:
            return False
        if not reservation["cancelled"] and parse_instant(reservation["expiresAt"]) > now:
            return False  # still held: known without asking the engine (a pass walks them all)
        return not inventory.holds_active(reservation["id"], now)

    for ident in beyond_recent(orders, order_finished, keep):
        order = orders.pop(ident)
        counts["orders"] += 1
        ordered = reservations.get(order["reservation"])
        if ordered is not None and ordered["order"] == ident:
            del reservations[order["reservation"]]
            counts["reservations"] += 1
            counts["allocations"] += inventory.forget_owner(order["reservation"])
    for ident in beyond_recent(reservations, reservation_finished, keep):
        del reservations[ident]
        counts["reservations"] += 1
        counts["allocations"] += inventory.forget_owner(ident)
    return counts
