"""What an order's plannings take from the engine, and the vendor's shortage errors.

Each planning of a stock-taking order (reserved, started, stopped) owns engine allocations
(`_allocations`) on its product's pool over the order's period; the owner is the order id, so
the engine's `needed` counts what the order already holds. A refusal becomes the vendor's
422: `warning` entries can be confirmed with `confirm_shortage`, `blocking` ones never. An
order tagged with the magic tag (magic.py) gets a warning even when the stock suffices.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from booking_sandbox.engine import AllocationRejected, AllocationReport, Line, LineCheck
from booking_sandbox.vendors.booqable import magic
from booking_sandbox.vendors.booqable.errors import BooqableError, not_available
from booking_sandbox.vendors.booqable.order_records import stock_interval
from booking_sandbox.vendors.booqable.pools import product_pool
from booking_sandbox.vendors.booqable.records import Order, Planning
from booking_sandbox.vendors.booqable.rules import POOLED
from booking_sandbox.vendors.booqable.state import BooqableStore

Record = dict[str, Any]


@dataclass(frozen=True)
class Need:
    """One engine line: `quantity` of `product` (naming `units`) for `planning_id`."""

    product: Record
    quantity: int
    units: tuple[str, ...]
    planning_id: str | None  # None: a planning this request is about to create


def has_pool(product: Record) -> bool:
    return product.get("tracking_type") in POOLED


def needs_of(
    store: BooqableStore, plannings: Sequence[Planning], resets: Sequence[str] = ()
) -> list[Need]:
    """The engine lines for what `plannings` have out: quantity and units not yet back.

    Stopped items are back on the shelf (reference §4.1), unless `resets` clears `stopped`
    (a revert from stopped to started puts them out again).
    """
    keep_back = "stopped" not in resets
    found = []
    for planning in plannings:
        product = store.find("products", planning["item_id"])
        if product is None or not has_pool(product):
            continue  # a bundle's own planning: its nested plannings take the stock
        units = tuple(
            s["stock_item_id"]
            for s in store.children("stock_item_plannings", "planning_id", planning["id"])
            if not (keep_back and s["stopped"])
        )
        quantity = planning["quantity"] - (int(planning.get("stopped") or 0) if keep_back else 0)
        if quantity > 0:
            found.append(Need(product, quantity, units, planning["id"]))
    return found


def live(store: BooqableStore, ids: Sequence[str]) -> list[str]:
    """The allocations still active (a replaced one must be live for the engine)."""
    now = store.space.clock.now()
    return [i for i in ids if store.space.inventory.allocation(i).is_active(now)]


def held(store: BooqableStore, plannings: Sequence[Planning]) -> list[str]:
    """The active allocations of `plannings`: what a move replaces or a release gives back."""
    return live(store, [i for p in plannings for i in p.get("_allocations", [])])


def take(
    store: BooqableStore,
    order: Order,
    needs: Sequence[Need],
    *,
    confirm_shortage: bool,
    replacing: Sequence[str] = (),
) -> tuple[list[str], AllocationReport | None]:
    """Allocate every need or nothing; the allocation ids (in `needs` order) and the report."""
    lines = []
    for need in needs:
        interval = stock_interval(order, need.product)
        lines.append(Line(product_pool(need.product["id"]), need.quantity, interval, need.units))
    if not lines:
        return [], None
    inventory = store.space.inventory
    forced = magic.SHORTAGE_TAG in (order.get("tag_list") or [])
    if forced and not confirm_shortage:  # the magic tag refuses whatever fits: nothing taken
        report = inventory.check(lines, owner=order["id"], replacing=replacing)
        raise shortage_error(report, needs, forced=forced)
    try:  # one planning pass: the engine refuses (with its report) what we would refuse
        taken = inventory.take(
            lines, owner=order["id"], accept_warnings=confirm_shortage, replacing=replacing
        )
    except AllocationRejected as exc:
        raise shortage_error(exc.report, needs, forced=forced) from None
    return [a.id for a in taken.allocations], taken.report


def release(store: BooqableStore, plannings: Sequence[Planning]) -> None:
    active = held(store, plannings)
    if active:
        store.space.inventory.release(active)
    for planning in plannings:
        planning["_allocations"] = []


def shortage_error(
    report: AllocationReport, needs: Sequence[Need], *, forced: bool = False
) -> BooqableError:
    """The 422; `forced` (the magic tag) adds a warning for every line that fits."""
    warning: list[Record] = []
    blocking: list[Record] = []
    for check, need in zip(report.lines, needs, strict=True):
        product_id = need.product["id"]
        if forced and not check.unavailable_units and check.shortage == 0:
            warning.append(_forced_shortage(check, product_id))
        if check.unavailable_units:
            blocking.append(
                {
                    "reason": "stock_item_specified",
                    "item_id": product_id,
                    "unavailable": list(check.unavailable_units),
                    "available": [u for u in check.available_units if u not in need.units],
                }
            )
        if check.shortage > 0:
            entry = _shortage(check, product_id)
            (warning if check.shortage <= check.shortage_limit else blocking).append(entry)
    return not_available(warning, blocking)


def _shortage(check: LineCheck, product_id: str) -> Record:
    return {
        "reason": "shortage",
        "item_id": product_id,
        "stock_count": check.stock_count,
        "reserved": check.reserved,
        "needed": check.needed,
        "shortage": check.shortage,
    }


def _forced_shortage(check: LineCheck, product_id: str) -> Record:
    """A shortage of one, as if another order held what the line leaves free plus one: the
    entry keeps the vendor's arithmetic (shortage = needed + reserved - stock_count)."""
    return {
        "reason": "shortage",
        "item_id": product_id,
        "stock_count": check.stock_count,
        "reserved": check.stock_count - check.needed + 1,
        "needed": check.needed,
        "shortage": 1,
    }
