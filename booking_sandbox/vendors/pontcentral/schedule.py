"""When a product runs, and what a booking of it occupies.

`reservationDateTime` is local to the product's timezone (the vendor's examples carry no offset);
a booking of slot S occupies each linked resource over [S + timeOffsetStart, S + timeOffsetEnd)
minutes. All-day products have one slot a day, at local midnight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from booking_sandbox.engine import Interval
from booking_sandbox.vendors.pontcentral.catalog import PontCatalog, Record
from booking_sandbox.vendors.pontcentral.pools import resource_pool

_LOCAL = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)(?P<offset>Z|[+-]\d{2}:\d{2})?)?$"
)


class SlotOutOfRange(ValueError):
    """A slot whose occupied time would leave the years 1 to 9999."""


@dataclass(frozen=True)
class Slot:
    """A bookable start: the local date and time the responses show, and the instant."""

    day: date
    time: str  # "HH:MM", "00:00" for all-day products
    start: datetime  # aware, in the product's zone


def parse_local(text: str, zone: tzinfo) -> tuple[datetime, bool]:
    """A date or date-time, local to `zone` unless it carries an offset; (instant, has_time)."""
    match = _LOCAL.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"not an ISO 8601 date or date-time: {text!r}")
    try:
        day = date.fromisoformat(match["date"])
        if match["time"] is None:
            return datetime.combine(day, time(0), zone), False
        clock = time.fromisoformat(match["time"])
        if match["offset"]:
            offset = "+00:00" if match["offset"] == "Z" else match["offset"]
            moment = datetime.fromisoformat(f"{match['date']}T{match['time']}{offset}")
            return moment.astimezone(zone), True
        return datetime.combine(day, clock, zone), True
    except OverflowError:  # an offset that moves the instant out of years 1-9999
        raise ValueError(f"outside the years 1 to 9999: {text!r}") from None


def runs_on(product: Record, day: date) -> bool:
    schedule = product["schedule"]
    iso = day.isoformat()
    return (
        schedule["startDate"] <= iso <= schedule["endDate"]
        and day.isoweekday() in schedule["weekdays"]
    )


def slot_of(product: Record, moment: datetime, has_time: bool) -> Slot | None:
    """The product's slot at that local moment, or None when it does not run then."""
    day = moment.date()
    if not runs_on(product, day):
        return None
    if product["allDay"]:
        return Slot(day, "00:00", datetime.combine(day, time(0), moment.tzinfo))
    hhmm = moment.strftime("%H:%M")
    exact = moment.second == 0 and moment.microsecond == 0
    if not has_time or not exact or hhmm not in product["schedule"]["times"]:
        return None
    return Slot(day, hhmm, moment)


def slots_on(product: Record, day: date, zone: ZoneInfo) -> list[Slot]:
    if not runs_on(product, day):
        return []
    if product["allDay"]:
        return [Slot(day, "00:00", datetime.combine(day, time(0), zone))]
    return [
        Slot(day, hhmm, datetime.combine(day, time.fromisoformat(hhmm), zone))
        for hhmm in sorted(product["schedule"]["times"])
    ]


def bookable(product: Record, slot: Slot, now: datetime) -> bool:
    """What lies in the past is not bookable; an all-day product is, for the rest of its day."""
    if product["allDay"]:
        return slot.day >= now.astimezone(slot.start.tzinfo).date()
    return slot.start > now


def occupied(catalog: PontCatalog, product: Record, slot: Slot) -> list[tuple[str, Interval]]:
    """(pool id, interval) for every active resource the product takes at that slot."""
    # A timed slot's offsets are elapsed minutes (a 120-minute tour lasts 120 minutes across a
    # DST change); an all-day product's are wall-clock minutes, so 0-1440 is exactly its local
    # day, 23 or 25 hours long on the days the clocks change.
    wall = bool(product["allDay"])
    found = []
    try:
        start = slot.start if wall else slot.start.astimezone(UTC)
        for link, resource in catalog.active_links(product):
            begin = (start + timedelta(minutes=link["timeOffsetStart"])).astimezone(UTC)
            end = (start + timedelta(minutes=link["timeOffsetEnd"])).astimezone(UTC)
            found.append((resource_pool(resource["code"]), Interval(begin, end)))
    except OverflowError:
        raise SlotOutOfRange(f"{slot.day} {slot.time} occupies time past the year 9999") from None
    return found
