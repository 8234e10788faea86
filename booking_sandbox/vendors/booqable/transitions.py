"""`POST /order_status_transitions` (reference §4.2) and the status moves it shares with orders.

Allowed moves (the sandbox's reading of §4.2, docs/vendors/booqable.md):
- forward (without `revert: true`): new -> concept, new/concept -> reserved,
  new/concept/reserved -> canceled, stopped -> archived;
- back (only with `revert: true`): reserved -> concept, started -> reserved,
  stopped -> started, archived -> stopped.
Anything else, a `transition_from` that is not the current status, or a canceled order
(never resurrected) is 422 `wrong_status`. `draft` (the DOCS-HEAD name, §4.2) is read as
`concept` on both paths, and orders keep answering `concept` (§9.13: `/api/4` recorded
`"status": "concept"` on 2025-07-09); the transition echoes what was sent.

Shortages: `/api/boomerang` answers `items_not_available` with the 2022 entries; `/api/4`
the 2024-2025 docs' shape, code `stock_item_specified` when only stock items conflict, with
`orders` and `downtimes` in each entry (shortage_eras.py).

Stock: while the order takes stock (reserved, started, stopped) the engine holds each
planning's items still due (its quantity less what came back). Entering such a status, or
a revert that puts items out again (stopped -> started, started -> reserved reset the
counts), takes them in one engine call: a warning is confirmed by `confirm_shortage: true`,
a blocking shortage never. Leaving it releases them. Everything is checked before anything
is written: a refused transition changes nothing. Unknown `order_id`: 404 (Rails' `find`);
a missing `order_id`, `transition_from` or `transition_to`: 422 `can't be blank`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from starlette.responses import Response

from booking_sandbox.engine import AllocationReport
from booking_sandbox.vendors.booqable import order_records, rules, shortage_eras, stock
from booking_sandbox.vendors.booqable.errors import (
    BooqableError,
    not_found,
    validation,
    wrong_status,
)
from booking_sandbox.vendors.booqable.http import Call, transient_id
from booking_sandbox.vendors.booqable.jsonapi import check_includes, document
from booking_sandbox.vendors.booqable.order_resources import ORDER_STATUS_TRANSITIONS
from booking_sandbox.vendors.booqable.records import Order, Planning, Progress
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.state import BooqableStore
from booking_sandbox.vendors.booqable.wire import respond, timestamp

ALIASES = {"draft": "concept"}  # DOCS-HEAD renamed `concept`; real answers still say `concept`
FORWARD = frozenset(
    {
        ("new", "concept"),
        ("new", "reserved"),
        ("concept", "reserved"),
        ("new", "canceled"),
        ("concept", "canceled"),
        ("reserved", "canceled"),
        ("stopped", "archived"),
    }
)
REVERTS = frozenset(
    {
        ("reserved", "concept"),
        ("started", "reserved"),
        ("stopped", "started"),
        ("archived", "stopped"),
    }
)
# What a revert undoes: started -> reserved puts nothing out (nor back), stopped -> started
# puts the returned items out again.
RESETS: dict[tuple[str, str], tuple[Progress, ...]] = {
    ("started", "reserved"): ("started", "stopped"),
    ("stopped", "started"): ("stopped",),
}


# Nullable: the docs' own requests send `"revert": null`, `"confirm_shortage": null`.
WRITABLE = {
    "order_id": "uuid?",
    "transition_from": "string?",
    "transition_to": "string?",
    "revert": "boolean?",
    "confirm_shortage": "boolean?",
}


def status_name(value: str) -> str:
    return ALIASES.get(value, value)


async def create(call: Call) -> Response:
    check_includes(ORDER_STATUS_TRANSITIONS, call.query.include)  # a 400 before any change
    sent = attributes_of(call, "order_status_transitions", WRITABLE)
    missing = [
        (name, "can't be blank", "blank")
        for name in ("order_id", "transition_from", "transition_to")
        if sent.get(name) is None
    ]
    if missing:
        raise validation(*missing)
    order = call.store.find("orders", sent["order_id"])
    if order is None:
        raise not_found()
    current, wanted = order["status"], status_name(sent["transition_to"])
    if status_name(sent["transition_from"]) != current or not allowed(
        current, wanted, sent.get("revert") is True
    ):
        raise wrong_status(current, sent["transition_to"])
    try:
        move(
            call.store,
            order,
            wanted,
            confirm_shortage=sent.get("confirm_shortage") is True,
            now=call.now,
        )
    except BooqableError as exc:  # a shortage: each era writes it its way
        raise shortage_eras.in_era(exc, call.query.era, call.store, order) from None
    record = {
        "id": transient_id(call),
        **{name: sent.get(name) for name in WRITABLE},
    }
    return respond(document(call.store, ORDER_STATUS_TRANSITIONS, record, call.query))


def allowed(current: str, wanted: str, revert: bool) -> bool:
    return (current, wanted) in (REVERTS if revert else FORWARD)


def move(
    store: BooqableStore, order: Order, wanted: str, *, confirm_shortage: bool, now: datetime
) -> None:
    """Put `order` in status `wanted`, its stock following: all or nothing.

    The engine holds, per planning, what is due while the order takes stock: its quantity
    less what came back (`stopped`, reference §4.1 "available for other rentals again").
    Plannings whose due grows are taken in one engine call; those left with none released.
    """
    current = order["status"]
    if wanted in rules.TAKES_STOCK and current not in rules.TAKES_STOCK:
        require_period(order)
    plannings = order_records.plannings_of(store, order)
    resets = RESETS.get((current, wanted), ())
    growing = [p for p in plannings if due(p, wanted, resets) > due(p, current)]
    needs = stock.needs_of(store, growing, resets)
    held = stock.held(store, growing)
    ids, report = stock.take(store, order, needs, confirm_shortage=confirm_shortage, replacing=held)
    # Checked and taken: from here on nothing can fail.
    assign(store, growing, needs, ids, report)
    empty = [p for p in plannings if due(p, wanted, resets) == 0]
    stock.release(store, empty)
    for planning in empty:
        planning["shortage_amount"] = planning["location_shortage_amount"] = 0
    for key in resets:
        _unset(store, order, plannings, key, now)
    _mark(store, order, plannings, reserved=wanted in rules.TAKES_STOCK, now=now)
    if order.get("number") is None and wanted != "new":  # numbered when it leaves `new` (§9.9)
        order["number"] = store.next_number("order_number")
    order["status"] = wanted
    order_records.refresh(store, order, now)


def due(planning: Planning, status: str, resets: Sequence[str] = ()) -> int:
    """How many of the planning's items the engine holds in `status` (after `resets`)."""
    if status not in rules.TAKES_STOCK:
        return 0
    back = 0 if "stopped" in resets else int(planning.get("stopped") or 0)
    return max(0, int(planning["quantity"]) - back)


def require_period(order: Order) -> None:
    """Reserving takes stock over the order's period: without one there is nothing to take."""
    missing = [
        (name, "can't be blank", "blank")
        for name in ("starts_at", "stops_at")
        if order.get(name) is None
    ]
    if missing:
        raise validation(*missing)


def assign(
    store: BooqableStore,
    plannings: Sequence[Planning],
    needs: Sequence[stock.Need],
    ids: Sequence[str],
    report: AllocationReport | None,
) -> None:
    """Store each planning's new allocation and shortage (needs, ids, checks in one order)."""
    checks = report.lines if report is not None else ()
    found = {
        need.planning_id: (ident, check.shortage)
        for need, ident, check in zip(needs, ids, checks, strict=True)
    }
    for planning in plannings:
        ident, shortage = found.get(planning["id"], (None, 0))
        planning["_allocations"] = [ident] if ident is not None else []
        planning["shortage_amount"] = planning["location_shortage_amount"] = shortage


def _mark(
    store: BooqableStore,
    order: Order,
    plannings: Sequence[Planning],
    *,
    reserved: bool,
    now: datetime,
) -> None:
    for record in [*plannings, *order_records.stock_item_plannings_of(store, order)]:
        if record["reserved"] != reserved:
            record["reserved"] = reserved
            record["updated_at"] = timestamp(now)


def _unset(
    store: BooqableStore,
    order: Order,
    plannings: Sequence[Planning],
    key: Progress,
    now: datetime,
) -> None:
    for planning in plannings:  # counts on plannings, flags on stock item plannings
        if planning[key]:
            planning[key] = 0
            planning["updated_at"] = timestamp(now)
    for record in order_records.stock_item_plannings_of(store, order):
        if record[key]:
            record[key] = False
            record["updated_at"] = timestamp(now)
