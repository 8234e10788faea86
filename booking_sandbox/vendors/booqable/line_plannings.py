"""What a line's planning does when the line changes: the engine follows (reference §4.11).

"When updating quantity of a line with an associated planning, the planning also gets
updated, which may lead to a shortage error" (`confirm_shortage` confirms a warning);
"updating or destroying a line linked to a planning will also destroy the planning". A
bundle's line moves its nested plannings too (each bundle item's share per bundle).

Every check runs, and the engine's one all-or-nothing call is made, before any record is
written: a refused change leaves the line, its plannings and the stock as they were.
"""

from __future__ import annotations

from datetime import datetime

from booking_sandbox.vendors.booqable import rules, stock, transitions
from booking_sandbox.vendors.booqable.errors import validation
from booking_sandbox.vendors.booqable.records import Line, Order, Planning
from booking_sandbox.vendors.booqable.state import BooqableStore
from booking_sandbox.vendors.booqable.wire import timestamp


def plannings_of(store: BooqableStore, line: Line) -> list[Planning]:
    """The line's planning, then its nested plannings (a bundle's products); none on a
    custom line."""
    planning = store.find("plannings", line["planning_id"])
    if planning is None:
        return []
    return [planning, *store.children("plannings", "parent_planning_id", planning["id"])]


def requantify(
    store: BooqableStore,
    order: Order,
    line: Line,
    quantity: int,
    *,
    confirm_shortage: bool,
    now: datetime,
) -> None:
    """Set the line's planning (and nested ones) to `quantity` units, the engine first."""
    plannings = plannings_of(store, line)
    if not plannings:
        return
    per_unit = plannings[0]["quantity"] or 1
    # Units of each planning per unit of the line: 1 for its own, the bundle item's for a
    # nested one.
    share = {p["id"]: max(1, p["quantity"] // per_unit) for p in plannings}
    share[plannings[0]["id"]] = 1
    least = 1
    for planning in plannings:
        specified = len(store.children("stock_item_plannings", "planning_id", planning["id"]))
        floor = max(int(planning["started"]), specified)  # items out, stock items named
        least = max(least, -(-floor // share[planning["id"]]))
    if quantity < least:
        raise validation(
            ("quantity", f"must be greater than or equal to {least}", "greater_than_or_equal_to")
        )
    if order["status"] in rules.TAKES_STOCK:
        needs = _needs(store, plannings, {p["id"]: share[p["id"]] * quantity for p in plannings})
        held = stock.held(store, plannings)
        ids, report = stock.take(
            store, order, needs, confirm_shortage=confirm_shortage, replacing=held
        )
        transitions.assign(store, plannings, needs, ids, report)
    for planning in plannings:
        planning["quantity"] = share[planning["id"]] * quantity
        planning["updated_at"] = timestamp(now)
    line["quantity"] = quantity


def _needs(
    store: BooqableStore, plannings: list[Planning], quantities: dict[str, int]
) -> list[stock.Need]:
    """`stock.needs_of` for the quantities the plannings are about to have."""
    found = []
    for planning in plannings:
        product = store.find("products", planning["item_id"])
        due = quantities[planning["id"]] - int(planning.get("stopped") or 0)
        if product is None or not stock.has_pool(product) or due <= 0:
            continue  # a bundle's own planning, a service, or every item back
        units = tuple(
            s["stock_item_id"]
            for s in store.children("stock_item_plannings", "planning_id", planning["id"])
            if not s["stopped"]
        )
        found.append(stock.Need(product, due, units, planning["id"]))
    return found


def check_removable(store: BooqableStore, line: Line) -> None:
    """Items picked up cannot be planned away: 422 until the order is reverted."""
    out = sum(int(p["started"]) for p in plannings_of(store, line))
    if out:
        raise validation(("planning_id", f"has {out} items picked up", "invalid"))


def remove(store: BooqableStore, line: Line) -> None:
    """Destroy the line's plannings and their stock item plannings, giving their stock back."""
    plannings = plannings_of(store, line)
    stock.release(store, plannings)
    for planning in plannings:
        for record in store.children("stock_item_plannings", "planning_id", planning["id"]):
            store.remove("stock_item_plannings", record["id"])
        store.remove("plannings", planning["id"])
