"""Where an item's `reservationDateTime` lands: its slot, the row it becomes, the stock it takes.

A date-time names a slot: one of the product's start times, else 409. A date alone on an
all-day product is its day. A date alone on a timed product is a valid value too (the create
page's field table: "Reservation date or datetime (ISO 8601, e.g. 2026-03-25 or
2026-03-25T10:00:00)", for every product): it books the earliest start time of that day that
can still take the whole item, beside what the same request has planned before it, and the
row shows that time. Only a day with no such start time is the 409.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from booking_sandbox.engine import Interval, Line
from booking_sandbox.vendors.pontcentral import schedule
from booking_sandbox.vendors.pontcentral.booking_input import ItemInput
from booking_sandbox.vendors.pontcentral.catalog import PontCatalog, Record
from booking_sandbox.vendors.pontcentral.errors import conflict
from booking_sandbox.vendors.pontcentral.http import Call, validation_failed
from booking_sandbox.vendors.pontcentral.records import Booking, BookingRow
from booking_sandbox.vendors.pontcentral.validation import Vine
from booking_sandbox.vendors.pontcentral.wire import PontError

# A targeted row, what it becomes, and the engine lines it takes when its slot or size changes.
Change = tuple[BookingRow, BookingRow, list[Line]]


@dataclass
class Planned:
    """What one request has planned so far: a date-only item must fit beside it."""

    owner: str  # the booking number ("" before create draws one)
    lines: list[Line] = field(default_factory=list)
    replacing: list[str] = field(default_factory=list)  # allocations the request releases


def product_for(catalog: PontCatalog, partner: Record, code: str) -> Record:
    product = catalog.products.get(code)
    if product is None or not product["active"]:
        raise PontError(404, "NOT_FOUND", f"Product {code} not found")
    if product["partnerId"] != partner["id"]:
        raise PontError(403, "FORBIDDEN", "Partner and Product do not match")
    return product


def plan(
    call: Call,
    code: str,
    when: str | None,
    quantities: list[dict[str, Any]] | None,
    planned: Planned,
) -> tuple[BookingRow, list[Line]]:
    """The row an item becomes and the engine lines it takes; 409 when no slot can be had."""
    assert when is not None, "read_create requires it"
    assert quantities is not None, "read_create requires it"
    catalog = call.catalog
    product = product_for(catalog, call.partner, code)
    try:
        moment, has_time = schedule.parse_local(when, catalog.zone(product))
    except ValueError:  # valid in UTC, but its local date lies past year 9999
        raise conflict() from None
    total = total_of(quantities)
    if has_time or product["allDay"]:
        slot = schedule.slot_of(product, moment, has_time)
        if slot is None or not schedule.bookable(product, slot, call.now):
            raise conflict()
        lines = _lines(catalog, product, slot, total)
    else:
        slot, lines = _first_fitting(call, product, moment.date(), total, planned)
    planned.lines.extend(lines)
    row: BookingRow = {
        "id": 0,
        "productCode": code,
        "reservationDate": slot.day.isoformat(),
        # A date alone reads back "00:00", as the reference says of every date-only booking
        # (§ booking create, "then shows reservationTime: 00:00"), whichever start time it
        # holds; `slot` keeps the start time actually taken.
        "reservationTime": slot.time if has_time or product["allDay"] else "00:00",
        "slot": slot.start.isoformat(),
        "quantities": quantities,
        "resource": catalog.primary(product)["code"],
        "allocations": [],
    }
    return row, lines


def _lines(catalog: PontCatalog, product: Record, slot: schedule.Slot, total: int) -> list[Line]:
    try:
        occupied = schedule.occupied(catalog, product, slot)
    except schedule.SlotOutOfRange:
        raise conflict() from None
    if not occupied:
        raise conflict()  # every resource of the product is inactive
    return [Line(pool, total, interval) for pool, interval in occupied]


def _first_fitting(
    call: Call, product: Record, day: date, total: int, planned: Planned
) -> tuple[schedule.Slot, list[Line]]:
    """A date alone on a timed product: its earliest start that day that can take the item."""
    for slot in schedule.slots_on(product, day, call.catalog.zone(product)):
        if not schedule.bookable(product, slot, call.now):
            continue
        lines = _lines(call.catalog, product, slot, total)
        report = call.space.inventory.check(
            [*_beside(planned.lines, lines), *lines],
            owner=planned.owner,
            replacing=planned.replacing,
        )
        if report.fits:
            return slot, lines
    raise conflict()


def _beside(earlier: list[Line], lines: list[Line]) -> list[Line]:
    """The request's earlier lines that bear on `lines`: those on the same pools, summed by
    interval (the same stock arithmetic, and a check that stays small with 100 items)."""
    pools = {line.pool_id for line in lines}
    summed: dict[tuple[str, Interval | None], int] = {}
    for line in earlier:
        if line.pool_id in pools:
            key = (line.pool_id, line.interval)
            summed[key] = summed.get(key, 0) + line.quantity
    return [Line(pool, quantity, interval) for (pool, interval), quantity in summed.items()]


def row_changes(call: Call, booking: Booking, items: list[ItemInput]) -> list[Change]:
    """Every targeted row, validated and planned before anything changes."""
    codes = [item.product_code for item in items]
    if len(set(codes)) != len(codes):
        vine = Vine()
        vine.fail("items", "distinct")
        raise validation_failed(vine)
    planned = Planned(booking["bookingNumber"])
    changes: list[Change] = []
    for item in items:
        rows = [r for r in booking["items"] if r["productCode"] == item.product_code]
        if not rows:
            number = booking["bookingNumber"]
            raise PontError(
                404, "NOT_FOUND", f"Product {item.product_code} not found in booking #{number}"
            )
        for row in rows:
            quantities = item.quantities or row["quantities"]
            when = _same_day_keeps_slot(call, row, item.when)
            if _moves(call, row, when, quantities):
                # This row's own places are free for its new slot; later rows still hold theirs.
                planned.replacing.extend(row["allocations"])
                new, lines = plan(call, item.product_code, when or row["slot"], quantities, planned)
                new.update({"id": row["id"]})
                changes.append((row, new, lines))
            else:
                changes.append((row, {**row, "quantities": quantities}, []))
    return changes


def _same_day_keeps_slot(call: Call, row: BookingRow, when: str | None) -> str | None:
    """An update's date alone, on the date a timed row already has, keeps the row's slot."""
    if when is None:
        return None
    product, local = _local(call, row, when)
    if local is None:
        return when  # plan answers the 409
    moment, has_time = local
    if has_time or product["allDay"] or moment.date().isoformat() != row["reservationDate"]:
        return when
    return row["slot"]


def _local(call: Call, row: BookingRow, when: str) -> tuple[Record, tuple[datetime, bool] | None]:
    """The row's product, and `when` read in its zone (None: no such local instant)."""
    product = call.catalog.products[row["productCode"]]
    try:
        return product, schedule.parse_local(when, call.catalog.zone(product))
    except ValueError:
        return product, None


def total_of(quantities: list[dict[str, Any]]) -> int:
    return sum(int(q["quantity"]) for q in quantities)


def _moves(call: Call, row: BookingRow, when: str | None, quantities: list[dict[str, Any]]) -> bool:
    """A new slot or a new head count: the allocation is released and re-created."""
    if total_of(quantities) != total_of(row["quantities"]):
        return True
    if when is None:
        return False
    product, local = _local(call, row, when)
    if local is None:
        return True  # plan answers the 409
    slot = schedule.slot_of(product, *local)
    return slot is None or slot.start.isoformat() != row["slot"]
