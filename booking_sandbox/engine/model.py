"""Plain domain objects of the inventory engine: pools, allocations, requests and reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from booking_sandbox.timefmt import format_instant


class Status(StrEnum):
    HELD = "held"
    CONFIRMED = "confirmed"
    RELEASED = "released"
    # A hold that was seen past its `held_until` when its capacity was needed: it stays expired
    # even if the clock is later moved back, so capacity is never given out twice.
    EXPIRED = "expired"


class Verdict(StrEnum):
    OK = "ok"
    WARNING = "warning"
    BLOCKING = "blocking"


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)


def micros(instant: datetime) -> int:
    """Exact integer keys: floats stop telling microseconds apart after year ~2242."""
    return (instant - _EPOCH) // _MICRO


@dataclass(frozen=True, slots=True)
class Interval:
    """A half-open period [start, end); its bounds in microseconds are computed once."""

    start: datetime
    end: datetime
    start_us: int = field(init=False, repr=False, compare=False)
    end_us: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("interval bounds must be timezone-aware")
        if not self.start < self.end:
            raise ValueError("interval must end after it starts")
        object.__setattr__(self, "start_us", micros(self.start))
        object.__setattr__(self, "end_us", micros(self.end))

    def overlaps(self, other: Interval) -> bool:
        return self.start_us < other.end_us and other.start_us < self.end_us

    def to_json(self) -> dict[str, str]:
        return {"start": format_instant(self.start), "end": format_instant(self.end)}


@dataclass(frozen=True, slots=True)
class Pool:
    """A countable capacity: a session's seats, a resource's stock per slot, a product's stock.

    `units` names identified units (seat numbers, stock item ids) when the vendor has them;
    `shortage_limit` is how far the pool may be overbooked when a client accepts a warning.
    """

    id: str
    capacity: int
    shortage_limit: int = 0
    units: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.capacity < 0 or self.shortage_limit < 0:
            raise ValueError(f"pool {self.id}: capacity and shortage_limit must be >= 0")
        if len(set(self.units)) != len(self.units):
            raise ValueError(f"pool {self.id}: duplicate unit ids")


@dataclass(slots=True)
class Allocation:
    """A quantity (and possibly named units) taken from a pool, for an interval or for no time."""

    id: str
    pool_id: str
    quantity: int
    status: Status
    owner: str
    created_at: datetime
    interval: Interval | None = None
    units: tuple[str, ...] = ()
    held_until: datetime | None = None

    def is_active(self, now: datetime) -> bool:
        """Confirmed, or held and not expired: a hold is live up to and including `held_until`."""
        if self.status is Status.CONFIRMED:
            return True
        if self.status is Status.HELD:
            return self.held_until is None or now <= self.held_until
        return False

    def effective_status(self, now: datetime) -> Status:
        if self.status is Status.HELD and not self.is_active(now):
            return Status.EXPIRED
        return self.status

    def to_json(self, now: datetime | None = None) -> dict[str, Any]:
        """The allocation as exported; with `now`, a hold past its expiry says `expired`
        (what any read at `now` answers) though nothing has swept it yet."""
        status = self.status if now is None else self.effective_status(now)
        return {
            "id": self.id,
            "pool": self.pool_id,
            "quantity": self.quantity,
            "units": list(self.units),
            "status": status.value,
            "owner": self.owner,
            "created_at": format_instant(self.created_at),
            "interval": self.interval.to_json() if self.interval else None,
            "held_until": format_instant(self.held_until) if self.held_until else None,
        }


@dataclass(frozen=True, slots=True)
class Line:
    """One line of an allocation request."""

    pool_id: str
    quantity: int
    interval: Interval | None = None
    units: tuple[str, ...] = ()
    # Pick this many free units in pool order (seat assignment) on top of `units`.
    auto_units: int = 0
    # `auto_units` is a ceiling: pick as many as are free (before the request's other lines),
    # never refusing for want of units (the capacity check still decides).
    auto_up_to: bool = False


@dataclass(frozen=True, slots=True)
class LineCheck:
    """How one line fits: the numbers Booqable's shortage entries (and the others) need.

    `reserved` is the peak taken by other owners over the line's interval, `needed` what this
    owner takes there (existing allocations plus this request), `shortage` how far the pool's
    peak would exceed its capacity.
    """

    index: int
    pool_id: str
    stock_count: int
    reserved: int
    needed: int
    shortage: int
    shortage_limit: int
    verdict: Verdict
    unavailable_units: tuple[str, ...] = ()
    available_units: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "pool": self.pool_id,
            "stock_count": self.stock_count,
            "reserved": self.reserved,
            "needed": self.needed,
            "shortage": self.shortage,
            "shortage_limit": self.shortage_limit,
            "verdict": self.verdict.value,
            "unavailable_units": list(self.unavailable_units),
            "available_units": list(self.available_units),
        }


@dataclass(frozen=True, slots=True)
class AllocationReport:
    lines: tuple[LineCheck, ...]

    @property
    def blocking(self) -> bool:
        return any(c.verdict is Verdict.BLOCKING for c in self.lines)

    @property
    def warning(self) -> bool:
        return any(c.verdict is Verdict.WARNING for c in self.lines)

    @property
    def fits(self) -> bool:
        return all(c.verdict is Verdict.OK for c in self.lines)


@dataclass(frozen=True, slots=True)
class Availability:
    """Free capacity of a pool over an interval (or now, for timeless pools)."""

    pool_id: str
    capacity: int
    taken: int
    shortage_limit: int
    free_units: tuple[str, ...] = field(default=())

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)
