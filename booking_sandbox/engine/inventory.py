"""The vendor-neutral inventory: pools, holds, confirmations, releases and availability.

It reads time only through the injected `now` callable; expiry is derived from it whenever
state is read (no sweeper). A multi-line allocation is all-or-nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from booking_sandbox.engine.errors import (
    AllocationRejected,
    CapacityConflict,
    HoldExpired,
    InvalidRequest,
    InvalidTransition,
    UnknownAllocation,
    UnknownPool,
    UnknownUnit,
)
from booking_sandbox.engine.index import PoolIndex, peak
from booking_sandbox.engine.model import (
    Allocation,
    AllocationReport,
    Availability,
    Interval,
    Line,
    LineCheck,
    Pool,
    Status,
    Verdict,
    micros,
)
from booking_sandbox.timefmt import format_instant

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class _Plan:
    report: AllocationReport
    units: tuple[tuple[str, ...], ...]


class Inventory:
    """All pools and allocations of one namespace."""

    def __init__(self, now: Clock) -> None:
        self._now = now
        self._pools: dict[str, Pool] = {}
        self._index: dict[str, PoolIndex] = {}
        self._allocs: dict[str, Allocation] = {}
        self._by_owner: dict[str, dict[str, Allocation]] = {}
        # (owner, pool) -> its timeless allocations there (timed ones come from the pool index).
        self._owner_timeless: dict[tuple[str, str], dict[str, Allocation]] = {}
        self._seq = 0

    # ----- pools -------------------------------------------------------------------------

    def add_pool(self, pool: Pool) -> None:
        if pool.id in self._pools:
            raise InvalidRequest(f"pool {pool.id} exists already", pool=pool.id)
        self._pools[pool.id] = pool

    def update_pool(self, pool: Pool) -> None:
        """Change a pool's capacity, limit or units (stock changes).

        Refused when active allocations would no longer fit (Booqable answers removing stock
        that creates a shortage with a 422): the capacity invariant holds in every state.
        """
        self.pool(pool.id)
        problem = self._overbooked(pool, self._now())
        if problem:
            raise CapacityConflict(problem, pool=pool.id)
        self._pools[pool.id] = pool

    def pool(self, pool_id: str) -> Pool:
        try:
            return self._pools[pool_id]
        except KeyError:
            raise UnknownPool(f"no pool {pool_id}", pool=pool_id) from None

    def pools(self) -> list[Pool]:
        return list(self._pools.values())

    def pool_count(self) -> int:
        return len(self._pools)

    # ----- reading -----------------------------------------------------------------------

    def now(self) -> datetime:
        """The instant the inventory reads on its clock."""
        return self._now()

    def allocation(self, allocation_id: str) -> Allocation:
        try:
            return self._allocs[allocation_id]
        except KeyError:
            raise UnknownAllocation(
                f"no allocation {allocation_id}", allocation=allocation_id
            ) from None

    def allocations(self, owner: str | None = None) -> list[Allocation]:
        if owner is None:
            return list(self._allocs.values())
        return list(self._by_owner.get(owner, {}).values())

    def availability(self, pool_id: str, interval: Interval | None = None) -> Availability:
        """Capacity minus the peak of active allocations over `interval` (timeless: now)."""
        pool = self.pool(pool_id)
        now = self._now()
        base, timed = self._active(pool_id, interval, now, exclude=frozenset())
        taken = peak(base, [(a.interval, a.quantity) for a in timed if a.interval], interval)
        free_units: tuple[str, ...] = ()
        if pool.units:
            used = self._units_taken(pool_id, interval, now, frozenset())
            free_units = tuple(u for u in pool.units if u not in used)
        return Availability(pool_id, pool.capacity, taken, pool.shortage_limit, free_units)

    # ----- writing -----------------------------------------------------------------------

    def check(
        self, lines: Sequence[Line], *, owner: str, replacing: Iterable[str] = ()
    ) -> AllocationReport:
        """What `allocate` would answer, without taking anything."""
        now = self._now()
        return self._plan(lines, owner, self._replaceable(replacing, now), now).report

    def allocate(
        self,
        lines: Sequence[Line],
        *,
        owner: str,
        hold_until: datetime | None = None,
        accept_warnings: bool = False,
        replacing: Iterable[str] = (),
    ) -> list[Allocation]:
        """Take every line, or nothing.

        `hold_until` makes holds (else confirmed allocations); `accept_warnings` takes lines
        that overbook within the shortage limit; `replacing` names allocations this request
        supersedes: they do not count against it and are released when it succeeds.
        """
        now = self._now()  # one instant for the whole operation
        if hold_until is not None and hold_until < now:
            raise InvalidRequest(
                "hold_until lies in the past", hold_until=format_instant(hold_until)
            )
        replaced = self._replaceable(replacing, now)
        plan = self._plan(lines, owner, replaced, now)
        if plan.report.blocking or (plan.report.warning and not accept_warnings):
            raise AllocationRejected(plan.report)
        for ident in sorted(replaced):
            self._set_status(self._allocs[ident], Status.RELEASED)
        created = []
        for line, units in zip(lines, plan.units, strict=True):
            self._seq += 1
            alloc = Allocation(
                id=f"alloc-{self._seq}",
                pool_id=line.pool_id,
                quantity=line.quantity,
                status=Status.HELD if hold_until is not None else Status.CONFIRMED,
                owner=owner,
                created_at=now,
                interval=line.interval,
                units=units,
                held_until=hold_until,
            )
            self._store(alloc)
            created.append(alloc)
        return created

    def confirm(self, allocation_ids: Sequence[str]) -> list[Allocation]:
        """Turn live holds into confirmed allocations, all of them or none."""
        now = self._now()
        allocs = [self.allocation(i) for i in allocation_ids]
        expired = [a.id for a in allocs if a.effective_status(now) is Status.EXPIRED]
        if expired:
            raise HoldExpired("hold expired", allocations=expired)
        wrong = [a.id for a in allocs if a.status is not Status.HELD]
        if wrong:
            raise InvalidTransition("only held allocations can be confirmed", allocations=wrong)
        for alloc in allocs:
            self._set_status(alloc, Status.CONFIRMED)
        return allocs

    def release(self, allocation_ids: Sequence[str]) -> list[Allocation]:
        """Give back what allocations took, all of them or none; an expired hold may be released."""
        allocs = [self.allocation(i) for i in allocation_ids]
        wrong = [a.id for a in allocs if a.status is Status.RELEASED]
        if wrong:
            raise InvalidTransition("allocation already released", allocations=wrong)
        for alloc in allocs:
            self._set_status(alloc, Status.RELEASED)
        return allocs

    @property
    def sequence(self) -> int:
        return self._seq

    def restore(self, alloc: Allocation) -> None:
        """Put back an allocation exactly as exported (snapshots only: no checks here)."""
        self._store(alloc)

    def restore_sequence(self, sequence: int) -> None:
        self._seq = sequence

    def overbooked(self, pool: Pool) -> str | None:
        """Why `pool`'s limits cannot hold its active allocations now, or None when they can."""
        return self._overbooked(pool, self._now())

    # ----- internals ---------------------------------------------------------------------

    def _replaceable(self, replacing: Iterable[str], now: datetime) -> frozenset[str]:
        """Allocations a request may supersede: existing and active at `now`."""
        replaced = frozenset(replacing)
        for ident in sorted(replaced):
            if not self.allocation(ident).is_active(now):
                raise InvalidTransition(f"allocation {ident} is not active", allocation=ident)
        return replaced

    def _idx(self, pool_id: str) -> PoolIndex:
        # Created on first use: a catalog of 100k sessions should not cost 100k empty indexes.
        index = self._index.get(pool_id)
        if index is None:
            index = self._index[pool_id] = PoolIndex()
        return index

    def _store(self, alloc: Allocation) -> None:
        self._allocs[alloc.id] = alloc
        self._by_owner.setdefault(alloc.owner, {})[alloc.id] = alloc
        if alloc.interval is None:
            self._owner_timeless.setdefault((alloc.owner, alloc.pool_id), {})[alloc.id] = alloc
        if alloc.status in (Status.HELD, Status.CONFIRMED):
            self._idx(alloc.pool_id).add(alloc)

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

    def _plan(
        self, lines: Sequence[Line], owner: str, replaced: frozenset[str], now: datetime
    ) -> _Plan:
        if not lines:
            raise InvalidRequest("an allocation needs at least one line")
        for i, line in enumerate(lines):
            self._validate(i, line)
        checks: list[LineCheck] = []
        assigned: list[tuple[str, ...]] = []
        claimed: dict[str, list[tuple[Interval | None, tuple[str, ...]]]] = {}
        for i, line in enumerate(lines):
            pool = self._pools[line.pool_id]
            base, timed = self._active(line.pool_id, line.interval, now, replaced)
            own_base = sum(
                a.quantity
                for a in self._owner_timeless.get((owner, line.pool_id), {}).values()
                if a.is_active(now) and a.id not in replaced
            )
            mine = [
                (other.interval, other.quantity)
                for other in lines
                if other.pool_id == line.pool_id and other.interval is not None
            ]
            mine_base = sum(
                o.quantity for o in lines if o.pool_id == line.pool_id and o.interval is None
            )
            own_timed = [(a.interval, a.quantity) for a in timed if a.owner == owner and a.interval]
            others_timed = [
                (a.interval, a.quantity) for a in timed if a.owner != owner and a.interval
            ]
            reserved = peak(base - own_base, others_timed, line.interval)
            needed = peak(own_base + mine_base, own_timed + mine, line.interval)
            total = peak(base + mine_base, own_timed + others_timed + mine, line.interval)
            shortage = max(0, total - pool.capacity) if line.quantity else 0
            verdict = Verdict.OK
            if shortage:
                verdict = Verdict.WARNING if shortage <= pool.shortage_limit else Verdict.BLOCKING
            units, unavailable, available = self._pick_units(
                line, now, replaced, claimed.setdefault(line.pool_id, [])
            )
            if unavailable or len(units) < len(line.units) + line.auto_units:
                verdict = Verdict.BLOCKING
            assigned.append(units)
            checks.append(
                LineCheck(
                    i,
                    line.pool_id,
                    pool.capacity,
                    reserved,
                    needed,
                    shortage,
                    pool.shortage_limit,
                    verdict,
                    unavailable,
                    available,
                )
            )
        return _Plan(AllocationReport(tuple(checks)), tuple(assigned))

    def _pick_units(
        self,
        line: Line,
        now: datetime,
        replaced: frozenset[str],
        claimed: list[tuple[Interval | None, tuple[str, ...]]],
    ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """Named units plus `auto_units` free ones; also what is unavailable and available."""
        pool = self._pools[line.pool_id]
        if not pool.units:
            return (), (), ()
        taken = self._units_taken(line.pool_id, line.interval, now, replaced)
        for interval, units in claimed:
            if interval is None or line.interval is None or interval.overlaps(line.interval):
                taken.update(units)
        unavailable = tuple(u for u in line.units if u in taken)
        free = [u for u in pool.units if u not in taken]
        available = tuple(free)
        picked = [u for u in free if u not in line.units][: line.auto_units]
        units = line.units + tuple(picked) if not unavailable else line.units
        claimed.append((line.interval, units))
        return units, unavailable, available

    def _validate(self, index: int, line: Line) -> None:
        pool = self.pool(line.pool_id)
        if line.quantity < 0 or line.auto_units < 0:
            raise InvalidRequest("quantity must be >= 0", line=index, quantity=line.quantity)
        if len(line.units) + line.auto_units > line.quantity:
            raise InvalidRequest(
                "a line cannot name more units than its quantity",
                line=index,
                quantity=line.quantity,
                units=len(line.units) + line.auto_units,
            )
        if len(set(line.units)) != len(line.units):
            raise InvalidRequest("a line names a unit twice", line=index)
        known = set(pool.units)
        unknown = [u for u in line.units if u not in known]
        if unknown:
            raise UnknownUnit("unit not in pool", line=index, pool=pool.id, units=unknown)
