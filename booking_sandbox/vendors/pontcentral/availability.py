"""POST /api/v1/availabilities: per date and start time, stock computed live by the engine.

A slot's stock is the smallest free capacity among the product's active resources over the
intervals they would be occupied; a date's `stockAvailable` is its best slot, and it is
`available` when some slot can take `quantity`. Past slots are not offered.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from starlette.responses import Response

from booking_sandbox.core.cached_route import cached, fresh_until
from booking_sandbox.engine import Inventory
from booking_sandbox.vendors.pontcentral import schedule
from booking_sandbox.vendors.pontcentral.catalog import PontCatalog, Record
from booking_sandbox.vendors.pontcentral.http import Call, body_of, validation_failed
from booking_sandbox.vendors.pontcentral.products import own_product
from booking_sandbox.vendors.pontcentral.validation import Vine
from booking_sandbox.vendors.pontcentral.wire import PontError, respond

MAX_DAYS = 366
DEFAULT_DAYS = 7  # no range at all: today and the six days after (the reference is silent)


async def _availabilities(call: Call) -> Response:
    """Served from ready bytes (core/cached_route.py). Time-dependence: past slots are left
    out (a timed slot from its start, an all-day one from the next local midnight) and the
    default range starts today, so the answer may change at the product's next local midnight
    or when its first listed timed slot starts; holds are the cache's own concern."""
    body = await body_of(call.request)
    vine = Vine()
    code = vine.string(body, "productCode", "productCode", required=True)
    first = vine.string(body, "startDateTime", "startDateTime")
    last = vine.string(body, "endDateTime", "endDateTime")
    quantity = vine.number(body, "quantity", "quantity", integer=True, minimum=1)
    if vine.details or code is None:
        raise validation_failed(vine)
    product = own_product(call.catalog, call.partner, code)
    if not call.catalog.active_links(product):
        raise PontError(400, "INVALID_REQUEST", "No active resources configured for this product")
    start, end = _range(product, call.catalog, first, last, call.now)
    wanted = int(quantity or 1)
    days = []
    for offset in range((end.date() - start.date()).days + 1):
        entry = _day(call, product, start.date() + timedelta(days=offset), start, end, wanted)
        if entry is not None:
            days.append(entry)
    zone = call.catalog.zone(product)
    tomorrow = call.now.astimezone(zone).date() + timedelta(days=1)
    fresh_until(call.request.scope, datetime.combine(tomorrow, time(0), zone))
    return respond({"success": True, "availabilities": days})


availabilities = cached(
    _availabilities,
    headers=("content-type",),  # how the body is read
    identity=lambda call: call.partner.get("id"),
)


def _range(
    product: Record, catalog: PontCatalog, first: str | None, last: str | None, now: datetime
) -> tuple[datetime, datetime]:
    zone = catalog.zone(product)
    try:
        start = schedule.parse_local(first, zone) if first is not None else None
        end = schedule.parse_local(last, zone) if last is not None else None
    except ValueError:
        raise PontError(400, "INVALID_REQUEST", "Invalid date format") from None
    if start is None and end is None:
        today = now.astimezone(zone)
        # (the clock stops before year 9000: a week ahead is always representable)
        begin, finish = today, _end_of(today + timedelta(days=DEFAULT_DAYS - 1))
    elif end is None:
        assert start is not None
        begin, finish = start[0], _end_of(start[0])  # only a start: to the end of that day
    elif start is None:
        begin, finish = _start_of(end[0]), _end_of(end[0]) if not end[1] else end[0]
    else:
        begin, finish = start[0], end[0] if end[1] else _end_of(end[0])
    if finish < begin:
        raise PontError(
            400, "INVALID_REQUEST", "Invalid date range: endDateTime is before startDateTime"
        )
    if (finish.date() - begin.date()).days >= MAX_DAYS:
        raise PontError(400, "INVALID_REQUEST", f"Invalid date range: at most {MAX_DAYS} days")
    return begin, finish


def _start_of(moment: datetime) -> datetime:
    return datetime.combine(moment.date(), time(0), moment.tzinfo)


def _end_of(moment: datetime) -> datetime:
    return datetime.combine(moment.date(), time.max, moment.tzinfo)


def _day(
    call: Call, product: Record, day: Any, start: datetime, end: datetime, wanted: int
) -> dict[str, Any] | None:
    catalog = call.catalog
    slots = [
        slot
        for slot in schedule.slots_on(product, day, catalog.zone(product))
        if schedule.bookable(product, slot, call.now)
        and (product["allDay"] or start <= slot.start <= end)
    ]
    if not slots:
        return None
    if not product["allDay"]:  # the first listed slot leaves the answer when it starts
        fresh_until(call.request.scope, min(slot.start for slot in slots))
    stocks = []
    for slot in slots:
        try:
            stocks.append((slot, _stock(call.space.inventory, catalog, product, slot)))
        except schedule.SlotOutOfRange:
            continue
    if not stocks:
        return None
    best = max(stock for _, stock in stocks)
    return {
        "date": day.isoformat(),
        "available": best >= wanted,
        "allDay": product["allDay"],
        "stockTotal": min(resource["capacity"] for _, resource in catalog.active_links(product)),
        "stockAvailable": best,
        "times": []
        if product["allDay"]
        else [{"time": slot.time, "stockAvailable": stock} for slot, stock in stocks],
        "prices": [
            {"label": line["label"].capitalize(), "value": line["price"]}
            for line in product["prices"]
        ],
    }


def _stock(inventory: Inventory, catalog: PontCatalog, product: Record, slot: schedule.Slot) -> int:
    return min(
        inventory.availability(pool, interval).free
        for pool, interval in schedule.occupied(catalog, product, slot)
    )
