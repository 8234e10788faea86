"""The next instant a live hold expires, for whoever caches answers derived from the inventory.

A heap of (held_until, allocation id) pushed when a hold is stored; entries whose allocation is
no longer that hold (confirmed, released, forgotten, already expired) are dropped when they
reach the top (lazy deletion), and the heap is rebuilt once stale entries outnumber the live
holds, so it stays bounded by them even on a frozen clock.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from datetime import datetime

from booking_sandbox.engine.model import Allocation, Status


class Expiries:
    __slots__ = ("_heap", "_kept", "_swept_at")

    def __init__(self) -> None:
        self._heap: list[tuple[datetime, str]] = []
        self._kept = 0  # the heap's size after its last rebuild
        # Entries past this instant were dropped: a clock set back before it needs them again.
        self._swept_at: datetime | None = None

    def add(self, alloc: Allocation, allocs: Mapping[str, Allocation]) -> None:
        """`alloc` was stored (`allocs`: every allocation now). Entries nobody pops (no cached
        read asks `next`) are compacted here, so the heap stays bounded by the holds kept."""
        if alloc.status is Status.HELD and alloc.held_until is not None:
            heapq.heappush(self._heap, (alloc.held_until, alloc.id))
            if len(self._heap) > 2 * self._kept + 64:
                self._compact(allocs)

    def next(self, now: datetime, allocs: Mapping[str, Allocation]) -> datetime | None:
        """The earliest `held_until` at or after `now` of a hold (a hold is live up to and
        including it), or None when no hold is live."""
        if self._swept_at is not None and now < self._swept_at:
            self._rebuild(allocs.values())  # time travelled back: expired holds live again
        elif len(self._heap) > 2 * self._kept + 64:
            self._compact(allocs)
        heap = self._heap
        while heap:
            until = heap[0][0]
            if until >= now and _holds(heap[0], allocs):
                return until
            heapq.heappop(heap)  # stale, or expired already: never a later boundary
            self._swept_at = now
        return None

    def _compact(self, allocs: Mapping[str, Allocation]) -> None:
        """Drop the entries no longer a hold (confirmed, released, forgotten). What was swept
        stays swept: `_swept_at` is kept, so a clock set back still rebuilds from every hold."""
        swept = self._swept_at
        self._rebuild(allocs[i] for i in dict.fromkeys(i for _, i in self._heap) if i in allocs)
        self._swept_at = swept

    def _rebuild(self, allocs: Iterable[Allocation]) -> None:
        self._heap = [
            (a.held_until, a.id)
            for a in allocs
            if a.status is Status.HELD and a.held_until is not None
        ]
        heapq.heapify(self._heap)
        self._kept = len(self._heap)
        self._swept_at = None


def _holds(entry: tuple[datetime, str], allocs: Mapping[str, Allocation]) -> bool:
    alloc = allocs.get(entry[1])
    return alloc is not None and alloc.status is Status.HELD and alloc.held_until == entry[0]
