"""The inventory's allocation bookkeeping: pools, allocations and the indexes over them.

`Inventory` (engine/inventory.py) is built on it: this part stores and unstores allocations,
changes their status in every index at once, and reads what is active in a pool at an instant
(sweeping expired holds as it reads: there is no sweeper). It decides nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from booking_sandbox.engine.errors import UnknownAllocation, UnknownPool
from booking_sandbox.engine.expiries import Expiries
from booking_sandbox.engine.index import PoolIndex, peak
from booking_sandbox.engine.model import Allocation, Interval, Pool, Status, micros
from booking_sandbox.engine.pool_table import PoolTable

Clock = Callable[[], datetime]


class AllocationLedger:
    """One namespace's pools and allocations, and the indexes that keep reads cheap."""

    def __init__(self, now: Clock, base: Mapping[str, Pool] | None = None) -> None:
        """`base`: pools shared with other inventories (`base_pools`), never written here."""
        self._now = now
        self._pools = PoolTable(base)  # a change to a base pool is kept here only
        self._index: dict[str, PoolIndex] = {}
        self._allocs: dict[str, Allocation] = {}
        self._by_owner: dict[str, dict[str, Allocation]] = {}
        # (owner, pool) -> its timeless allocations there (timed ones come from the pool index).
        self._owner_timeless: dict[tuple[str, str], dict[str, Allocation]] = {}
        self._seq = 0
        self._expiries = Expiries()  # (cached reads: see `next_expiry`)

    def pool(self, pool_id: str) -> Pool:
        try:
            return self._pools[pool_id]
        except KeyError:
            raise UnknownPool(f"no pool {pool_id}", pool=pool_id) from None

    def allocation(self, allocation_id: str) -> Allocation:
        try:
            return self._allocs[allocation_id]
        except KeyError:
            raise UnknownAllocation(
                f"no allocation {allocation_id}", allocation=allocation_id
            ) from None

    def _idx(self, pool_id: str) -> PoolIndex:
        # Created on first use: a catalog of 100k sessions should not cost 100k empty indexes.
        index = self._index.get(pool_id)
        if index is None:
            index = self._index[pool_id] = PoolIndex()
        return index

    def _store(self, alloc: Allocation) -> None:
        self._allocs[alloc.id] = alloc
        self._expiries.add(alloc, self._allocs)
        self._by_owner.setdefault(alloc.owner, {})[alloc.id] = alloc
        if alloc.interval is None:
            self._owner_timeless.setdefault((alloc.owner, alloc.pool_id), {})[alloc.id] = alloc
        if alloc.status in (Status.HELD, Status.CONFIRMED):
            self._idx(alloc.pool_id).add(alloc)

    def _unstore(self, alloc: Allocation) -> None:
        """`_store` undone, every index included (a hold past its expiry may still sit in its
        pool's index, unswept: it leaves it as the sweep would have taken it out)."""
        if alloc.status in (Status.HELD, Status.CONFIRMED):
            self._idx(alloc.pool_id).remove(alloc, was=alloc.status)
        del self._allocs[alloc.id]
        owned = self._by_owner[alloc.owner]
        del owned[alloc.id]
        if not owned:
            del self._by_owner[alloc.owner]
        if alloc.interval is None:
            key = (alloc.owner, alloc.pool_id)
            timeless = self._owner_timeless[key]
            del timeless[alloc.id]
            if not timeless:
                del self._owner_timeless[key]

    def _set_status(self, alloc: Allocation, status: Status) -> None:
        was = alloc.status
        alloc.status = status
        index = self._idx(alloc.pool_id)
        if status is Status.CONFIRMED:
            index.confirm(alloc)
        elif was in (Status.HELD, Status.CONFIRMED):
            index.remove(alloc, was=was)

    def _overbooked(self, pool: Pool, now: datetime) -> str | None:
        """Why `pool`'s limits cannot hold its active allocations, or None when they can."""
        base, timed = self._active(pool.id, None, now, frozenset())
        taken = peak(base, [(a.interval, a.quantity) for a in timed if a.interval], None)
        if taken > pool.capacity + pool.shortage_limit:
            return (
                f"pool {pool.id!r} holds {taken} at its peak, over capacity {pool.capacity} "
                f"plus shortage limit {pool.shortage_limit}"
            )
        held: dict[str, list[Interval | None]] = {}
        for ident in {i for ids in self._idx(pool.id).unit_allocs.values() for i in ids}:
            alloc = self._allocs[ident]
            if not alloc.is_active(now):
                continue
            for unit in alloc.units:
                if unit not in pool.units:
                    return f"unit {unit!r} of pool {pool.id!r} is held but no longer in the pool"
                others = held.setdefault(unit, [])
                if any(
                    o is None or alloc.interval is None or o.overlaps(alloc.interval)
                    for o in others
                ):
                    return f"unit {unit!r} of pool {pool.id!r} is held twice at once"
                others.append(alloc.interval)
        return None

    def _sweep(self, pool_id: str, now: datetime) -> None:
        for alloc in self._idx(pool_id).expired_timeless(micros(now)):
            self._set_status(alloc, Status.EXPIRED)

    def _active(
        self, pool_id: str, interval: Interval | None, now: datetime, exclude: frozenset[str]
    ) -> tuple[int, list[Allocation]]:
        """Timeless active total (less `exclude`) and the active timed allocations overlapping."""
        self._sweep(pool_id, now)
        index = self._idx(pool_id)
        base = index.timeless_confirmed + index.timeless_held
        for ident in exclude:
            alloc = self._allocs[ident]
            if alloc.pool_id == pool_id and alloc.interval is None and alloc.is_active(now):
                base -= alloc.quantity
        timed = []
        for alloc in index.timed_overlapping(interval):
            if not alloc.is_active(now):
                self._set_status(alloc, Status.EXPIRED)
            elif alloc.id not in exclude:
                timed.append(alloc)
        return base, timed

    def _units_taken(
        self, pool_id: str, interval: Interval | None, now: datetime, exclude: frozenset[str]
    ) -> set[str]:
        taken = set()
        for unit, idents in self._idx(pool_id).unit_allocs.items():
            for ident in idents:
                alloc = self._allocs[ident]
                if ident in exclude or not alloc.is_active(now):
                    continue
                if interval is None or alloc.interval is None or alloc.interval.overlaps(interval):
                    taken.add(unit)
                    break
        return taken
