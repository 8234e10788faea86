"""Per-pool indexes, so that a pool's availability does not slow down as the catalog grows.

Timed allocations sit in a bucketed sorted list keyed by start (O(log n) insert, amortised O(1)
removal: see PoolIndex); an interval query reads the entries whose start lies in [query start -
longest span, query end), which is O(log n + k) where k counts the allocations starting within
one longest span before the query (the overlapping ones, when spans are alike, as bookings are).
Timeless allocations keep a running confirmed total and a min-heap of hold expiries, so their
total is O(log n) amortised.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from collections.abc import Iterator

from booking_sandbox.engine.model import Allocation, Interval, Status, micros

_BUCKET = 512
Entry = tuple[int, str]


class SortedEntries:
    """Sorted (key, id) pairs in buckets of bounded size."""

    __slots__ = ("_buckets", "_firsts", "_size")

    def __init__(self, entries: list[Entry] | None = None) -> None:
        """Empty, or holding `entries`, which must be sorted already."""
        entries = entries or []
        self._buckets = [entries[i : i + _BUCKET] for i in range(0, len(entries), _BUCKET)]
        self._firsts = [bucket[0] for bucket in self._buckets]
        self._size = len(entries)

    def __len__(self) -> int:
        return self._size

    def add(self, entry: Entry) -> None:
        self._size += 1
        if not self._buckets:
            self._buckets.append([entry])
            self._firsts.append(entry)
            return
        pos = max(0, bisect_left(self._firsts, entry) - 1)
        if pos + 1 < len(self._firsts) and self._firsts[pos + 1] <= entry:
            pos += 1
        bucket = self._buckets[pos]
        insort(bucket, entry)
        self._firsts[pos] = bucket[0]
        if len(bucket) > 2 * _BUCKET:
            # Split so that inserts stay cheap however many entries a pool gets.
            self._buckets[pos : pos + 1] = [bucket[:_BUCKET], bucket[_BUCKET:]]
            self._firsts[pos : pos + 1] = [bucket[0], bucket[_BUCKET]]

    def ids_from(self, low: int, high: int) -> Iterator[str]:
        """Ids of the entries whose key lies in [low, high), in key order."""
        buckets = self._buckets
        # Walk by index: slicing the bucket list would copy it, O(n) per query.
        for pos in range(max(0, bisect_left(self._firsts, (low, "")) - 1), len(buckets)):
            bucket = buckets[pos]
            if bucket[0][0] >= high:
                return
            for i in range(bisect_left(bucket, (low, "")), len(bucket)):
                key, ident = bucket[i]
                if key >= high:
                    return
                yield ident

    def all_ids(self) -> Iterator[str]:
        for bucket in self._buckets:
            for _, ident in bucket:
                yield ident

    def entries(self) -> Iterator[Entry]:
        for bucket in self._buckets:
            yield from bucket


class PoolIndex:
    """The active (or not yet swept) allocations of one pool.

    A timed allocation that stops taking capacity leaves `timed_allocs` at once but stays in
    `timed` as a stale entry, skipped by queries, until stale entries outnumber live ones and
    the list is rebuilt (amortised O(1)). Removing it in place meant a binary search over
    entries scattered in memory: with a million live allocations, half the cost of a release
    was waiting for the cache. An allocation leaves the index once and never comes back
    (released and expired are final states, and ids are never reused), so a stale entry
    cannot be mistaken for a live one.
    """

    __slots__ = (
        "_hold_heap",
        "_stale",
        "max_span",
        "timed",
        "timed_allocs",
        "timeless_allocs",
        "timeless_confirmed",
        "timeless_held",
        "unit_allocs",
    )

    def __init__(self) -> None:
        self.timed = SortedEntries()
        self.timed_allocs: dict[str, Allocation] = {}
        self._stale = 0
        self.max_span = 0
        self.timeless_allocs: dict[str, Allocation] = {}
        self.timeless_confirmed = 0
        self.timeless_held = 0
        self._hold_heap: list[tuple[int, str]] = []
        self.unit_allocs: dict[str, set[str]] = {}

    def add(self, alloc: Allocation) -> None:
        if alloc.interval is None:
            self.timeless_allocs[alloc.id] = alloc
            if alloc.status is Status.CONFIRMED:
                self.timeless_confirmed += alloc.quantity
            else:
                self.timeless_held += alloc.quantity
                if alloc.held_until is not None:
                    heapq.heappush(self._hold_heap, (micros(alloc.held_until), alloc.id))
        else:
            start, end = alloc.interval.start_us, alloc.interval.end_us
            self.timed.add((start, alloc.id))
            self.timed_allocs[alloc.id] = alloc
            self.max_span = max(self.max_span, end - start)
        for unit in alloc.units:
            self.unit_allocs.setdefault(unit, set()).add(alloc.id)

    def remove(self, alloc: Allocation, *, was: Status) -> None:
        """Forget an allocation that stopped taking capacity; `was` is its status until now."""
        if alloc.interval is None:
            if self.timeless_allocs.pop(alloc.id, None) is None:
                return
            if was is Status.CONFIRMED:
                self.timeless_confirmed -= alloc.quantity
            else:
                self.timeless_held -= alloc.quantity
                if len(self._hold_heap) > 2 * len(self.timeless_allocs) + 8:
                    # Holds released before their expiry leave stale entries that a frozen
                    # clock never pops: rebuilt once they outnumber the live ones (amortised
                    # O(1)), so the heap stays bounded by the pool's live holds.
                    self._hold_heap = [
                        (micros(a.held_until), a.id)
                        for a in self.timeless_allocs.values()
                        if a.status is Status.HELD and a.held_until is not None
                    ]
                    heapq.heapify(self._hold_heap)
        else:
            if self.timed_allocs.pop(alloc.id, None) is None:
                return
            self._stale += 1
            if self._stale > max(8, len(self.timed_allocs)):
                live = self.timed_allocs
                self.timed = SortedEntries([e for e in self.timed.entries() if e[1] in live])
                self._stale = 0
        for unit in alloc.units:
            owners = self.unit_allocs.get(unit)
            if owners is not None:
                owners.discard(alloc.id)
                if not owners:
                    del self.unit_allocs[unit]

    def confirm(self, alloc: Allocation) -> None:
        """Move a timeless allocation's quantity from held to confirmed (timed: nothing to do)."""
        if alloc.interval is None and alloc.id in self.timeless_allocs:
            self.timeless_held -= alloc.quantity
            self.timeless_confirmed += alloc.quantity

    def expired_timeless(self, now: int) -> list[Allocation]:
        """Pop the timeless holds whose expiry has passed (stale heap entries are skipped)."""
        gone: list[Allocation] = []
        heap = self._hold_heap
        while heap and heap[0][0] < now:
            _, ident = heapq.heappop(heap)
            alloc = self.timeless_allocs.get(ident)
            if alloc is not None and alloc.status is Status.HELD:
                gone.append(alloc)
        return gone

    def timed_overlapping(self, interval: Interval | None) -> list[Allocation]:
        live = self.timed_allocs
        if interval is None:
            return [live[i] for i in self.timed.all_ids() if i in live]
        start, end = interval.start_us, interval.end_us
        found: list[Allocation] = []
        for ident in self.timed.ids_from(start - self.max_span, end):
            alloc = live.get(ident)
            if alloc is None:  # a stale entry
                continue
            assert alloc.interval is not None
            if alloc.interval.end_us > start:
                found.append(alloc)
        return found


def peak(base: int, timed: list[tuple[Interval, int]], within: Interval | None) -> int:
    """`base` plus the highest concurrent sum of the timed quantities inside `within`."""
    if not timed:
        return base
    events: list[tuple[int, int]] = []
    low = within.start_us if within is not None else None
    high = within.end_us if within is not None else None
    for interval, qty in timed:
        start, end = interval.start_us, interval.end_us
        if low is not None and high is not None:
            start, end = max(start, low), min(end, high)
        if start < end and qty:
            events.append((start, qty))
            events.append((end, -qty))
    # Half-open intervals: at equal instants an end (negative) sorts before a start.
    events.sort()
    running = best = 0
    for _, delta in events:
        running += delta
        best = max(best, running)
    return base + best
