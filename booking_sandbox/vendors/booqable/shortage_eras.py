"""A shortage or stock item conflict as each era writes it (eras.py).

The engine's refusal becomes one `items_not_available` error (stock.py), the 2021/2022 docs'
shape that `/api/boomerang` keeps. The 2024-2025 docs (`/api/4`) add to every entry the
other orders behind it (`orders`) and the downtimes (`downtimes`; none are modelled, so
`[]`), and name a conflict made only of stock items `stock_item_specified` (golden
`transitions_head_*`, reference §4.2):

- a `stock_item_specified` entry lists each order holding one of its `unavailable` units
  over an overlapping period: `{"id", "stock_item_ids", "conflicts"}`, `conflicts` the
  number of those units;
- a `shortage` entry lists each order holding the product over an overlapping period:
  `{"id", "conflicts"}`, `conflicts` the quantity it holds there (the DOCS-HEAD
  stock_adjustments example: 4 planned, `conflicts: 4`).
"""

from __future__ import annotations

from typing import Any

from booking_sandbox.engine import Allocation, Interval
from booking_sandbox.vendors.booqable.eras import Era
from booking_sandbox.vendors.booqable.errors import BooqableError, not_available_2025
from booking_sandbox.vendors.booqable.order_records import stock_interval
from booking_sandbox.vendors.booqable.pools import product_pool
from booking_sandbox.vendors.booqable.records import Order
from booking_sandbox.vendors.booqable.state import BooqableStore

Entry = dict[str, Any]


def in_era(error: BooqableError, era: Era, store: BooqableStore, order: Order) -> BooqableError:
    """`error` as `era` writes it: unchanged unless it is a 2025 answer to a shortage."""
    first = error.entries[0]
    if not era.current or first.get("code") != "items_not_available":
        return error
    meta = first.get("meta") or {}
    warning = [_with_orders(store, order, e) for e in meta.get("warning", [])]
    blocking = [_with_orders(store, order, e) for e in meta.get("blocking", [])]
    return not_available_2025(warning, blocking)


def _with_orders(store: BooqableStore, order: Order, entry: Entry) -> Entry:
    others = _others(store, order, str(entry.get("item_id")))
    found: list[Entry] = []
    if entry.get("reason") == "stock_item_specified":
        unavailable = list(entry.get("unavailable") or [])
        for owner, allocations in others.items():
            units = {u for a in allocations for u in a.units}
            ids = [u for u in unavailable if u in units]
            if ids:
                found.append({"id": owner, "stock_item_ids": ids, "conflicts": len(ids)})
    else:
        found = [
            {"id": owner, "conflicts": sum(a.quantity for a in allocations)}
            for owner, allocations in others.items()
        ]
    return {**entry, "orders": found, "downtimes": []}


def _others(store: BooqableStore, order: Order, product_id: str) -> dict[str, list[Allocation]]:
    """Other orders' live allocations of the product over the order's stock period, by
    order, in the engine's order (first booked first)."""
    product = store.find("products", product_id)
    if product is None:
        return {}
    interval = stock_interval(order, product)
    pool = product_pool(product_id)
    inventory = store.space.inventory
    now = inventory.now()
    found: dict[str, list[Allocation]] = {}
    for allocation in inventory.allocations():
        if (
            allocation.pool_id == pool
            and allocation.owner != order["id"]
            and allocation.is_active(now)
            and _overlap(interval, allocation.interval)
        ):
            found.setdefault(allocation.owner, []).append(allocation)
    return found


def _overlap(one: Interval | None, other: Interval | None) -> bool:
    """A timeless allocation (or order) meets every period, as in the engine."""
    return one is None or other is None or one.overlaps(other)
