"""Reads for an inventory overview: what is taken, by pool, at an instant and over a window.

Pure functions over allocations (no inventory state is touched, nothing is swept), so a read at
any instant changes no later answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from booking_sandbox.engine.model import Allocation, Interval, Status
from booking_sandbox.timefmt import format_instant


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of time over which the quantities held and confirmed do not change."""

    start: datetime
    end: datetime
    held: int
    confirmed: int

    def to_json(self) -> dict[str, Any]:
        return {
            "start": format_instant(self.start),
            "end": format_instant(self.end),
            "held": self.held,
            "confirmed": self.confirmed,
        }


@dataclass(frozen=True, slots=True)
class Taken:
    """Quantities held and confirmed."""

    held: int = 0
    confirmed: int = 0


def active_by_pool(allocations: Iterable[Allocation], now: datetime) -> dict[str, list[Allocation]]:
    """The allocations active at `now` (confirmed, or held up to `held_until`) by pool id, in
    the order given: one pass, whatever the number of pools."""
    found: dict[str, list[Allocation]] = {}
    for alloc in allocations:
        if alloc.is_active(now):
            found.setdefault(alloc.pool_id, []).append(alloc)
    return found


def by_creation(allocations: Iterable[Allocation]) -> list[Allocation]:
    """Oldest first, ties (one request's lines) by id."""
    return sorted(allocations, key=lambda a: (a.created_at, a.id))


def overlapping(allocations: Iterable[Allocation], window: Interval) -> list[Allocation]:
    """Those whose interval overlaps `window`; a timeless allocation overlaps every window."""
    return [a for a in allocations if a.interval is None or a.interval.overlaps(window)]


def taken(allocations: Iterable[Allocation], at: datetime | None = None) -> Taken:
    """What `allocations` take: all of them, or at instant `at` the timeless ones and the timed
    ones whose half-open interval contains it. Statuses are taken as given (pass active ones)."""
    held = confirmed = 0
    for alloc in allocations:
        span = alloc.interval
        if at is not None and span is not None and not span.start <= at < span.end:
            continue
        if alloc.status is Status.CONFIRMED:
            confirmed += alloc.quantity
        elif alloc.status is Status.HELD:
            held += alloc.quantity
    return Taken(held, confirmed)


def timeline(allocations: Iterable[Allocation], window: Interval) -> list[Segment]:
    """Consecutive segments exactly covering `window`, with the quantity held and confirmed by
    the allocations overlapping each; adjacent segments with equal numbers are merged.

    Statuses are taken as given (pass the active ones); a timeless allocation covers the whole
    window. A sweep over the allocations' bounds: O(k log k) for k allocations.
    """
    # (instant, held delta, confirmed delta) at each bound clipped into the window.
    changes: dict[datetime, list[int]] = {}
    for alloc in allocations:
        if alloc.status is Status.CONFIRMED:
            column = 1
        elif alloc.status is Status.HELD:
            column = 0
        else:
            continue
        span = alloc.interval
        if span is not None and not span.overlaps(window):
            continue
        start = window.start if span is None else max(span.start, window.start)
        end = window.end if span is None else min(span.end, window.end)
        changes.setdefault(start, [0, 0])[column] += alloc.quantity
        changes.setdefault(end, [0, 0])[column] -= alloc.quantity
    bounds = sorted({window.start, window.end, *changes})
    segments: list[Segment] = []
    held = confirmed = 0
    for start, end in pairwise(bounds):
        delta = changes.get(start, (0, 0))
        held, confirmed = held + delta[0], confirmed + delta[1]
        last = segments[-1] if segments else None
        if last is not None and (last.held, last.confirmed) == (held, confirmed):
            segments[-1] = Segment(last.start, end, held, confirmed)
        else:
            segments.append(Segment(start, end, held, confirmed))
    return segments
