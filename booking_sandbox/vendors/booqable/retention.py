"""Booqable's retention hook (core/retention.py): a `canceled` order is finished, and is pruned
with every record that belongs only to it.

Finished, as nothing a client can do brings it back: "It is not possible to resurrect a
canceled Order" (reference §4.2, DOCS-HEAD); no transition leaves `canceled` (transitions.py),
no booking goes on it (booking.NOT_BOOKABLE), its lines do not change (lines.py). `archived`
is not finished (`archived -> stopped` with `revert: true`), nor is any other status.

What goes with it: its lines, plannings and stock item plannings, the notes and barcode owned
by it, and every engine allocation it owns (released on cancel, and any an update replaced).
Nothing kept names it then: customers count their orders from the orders table (and count no
canceled one), coupons and tax regions are named by orders, not the other way round, an
order's properties live in its own `properties` hash, and fulfillments and documents are not
stored. Every removal goes through `BooqableStore.remove`, which keeps its child indexes.
A pruned id answers as an id never issued: `GET /orders/{id}` 404 on both prefixes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.core.retention import beyond_recent
from booking_sandbox.vendors.booqable import order_records
from booking_sandbox.vendors.booqable.records import Order
from booking_sandbox.vendors.booqable.state import VENDOR, BooqableStore

FINISHED = "canceled"
# Records owned through `owner_type`/`owner_id` (notes.py, barcodes.py) that go with an order.
OWNED = ("notes", "barcodes")
KINDS = ("orders", "lines", "plannings", "stock_item_plannings", *OWNED, "allocations")


def prune(space: Namespace, keep: int) -> dict[str, int]:
    state = space.vendor_state.get(VENDOR)
    if not state or "orders" not in state:  # not seeded yet: nothing was ever canceled
        return {}
    store = BooqableStore(space, state)
    inventory = space.inventory
    now = inventory.now()
    orders: dict[str, Order] = state["orders"]
    counts = dict.fromkeys(KINDS, 0)

    def finished(order: Order) -> bool:
        # A canceled order holds nothing (cancel releases it): checked all the same, as the
        # engine refuses to forget an active allocation.
        return order["status"] == FINISHED and not inventory.holds_active(order["id"], now)

    for ident in beyond_recent(orders, finished, keep):
        for kind, count in _drop(store, orders[ident]).items():
            counts[kind] += count
    return counts


def _drop(store: BooqableStore, order: Order) -> dict[str, int]:
    """Remove `order` and what belongs only to it; counts per kind."""
    ident = order["id"]
    owned: dict[str, Sequence[Mapping[str, Any]]] = {
        "stock_item_plannings": order_records.stock_item_plannings_of(store, order),
        "plannings": order_records.plannings_of(store, order),
        "lines": order_records.lines_of(store, order),
        **{kind: order_records.owned_by(store, kind, order) for kind in OWNED},
    }
    counts = {kind: len(records) for kind, records in owned.items()}
    for kind, records in owned.items():
        for record in records:
            store.remove(kind, record["id"])
    store.remove("orders", ident)
    counts["orders"] = 1
    inventory = store.space.inventory
    counts["allocations"] = inventory.forget_owner(ident)
    return counts
