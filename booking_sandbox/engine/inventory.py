"""The vendor-neutral inventory: pools, holds, confirmations, releases and availability.

It reads time only through the injected `now` callable; expiry is derived from it whenever
state is read (no sweeper). A multi-line allocation is all-or-nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from booking_sandbox.engine.allocation_plan import AllocationPlanner
from booking_sandbox.engine.errors import (
    AllocationRejected,
    CapacityConflict,
    HoldExpired,
    InvalidRequest,
    InvalidTransition,
)
from booking_sandbox.engine.index import peak
from booking_sandbox.engine.model import (
    Allocation,
    AllocationReport,
    Availability,
    Interval,
    Line,
    Pool,
    Status,
)
from booking_sandbox.timefmt import format_instant


@dataclass(frozen=True, slots=True)
class Taken:
    """What `Inventory.take` made: the allocations, in line order, and the plan's report."""

    allocations: list[Allocation]
    report: AllocationReport


class Inventory(AllocationPlanner):
    """All pools and allocations of one namespace.

    Built on `AllocationLedger` (engine/allocation_ledger.py: the bookkeeping and the indexes)
    and `AllocationPlanner` (engine/allocation_plan.py: what a request would take).
    """

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

    def pools(self) -> list[Pool]:
        return self._pools.values()

    def pool_count(self) -> int:
        return len(self._pools)

    # ----- reading -----------------------------------------------------------------------

    def now(self) -> datetime:
        """The instant the inventory reads on its clock."""
        return self._now()

    def allocations(self, owner: str | None = None) -> list[Allocation]:
        if owner is None:
            return list(self._allocs.values())
        return list(self._by_owner.get(owner, {}).values())

    def holds_active(self, owner: str, at: datetime) -> bool:
        """Whether anything `owner` took is still active at `at` (a live hold, a confirmed
        allocation): what a retention policy asks before forgetting the owner's record."""
        return any(a.is_active(at) for a in self._by_owner.get(owner, {}).values())

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
        """Take every line, or nothing: `take`'s allocations (they carry status, expiry and
        units, so a caller renders them without asking again)."""
        taken = self.take(
            lines,
            owner=owner,
            hold_until=hold_until,
            accept_warnings=accept_warnings,
            replacing=replacing,
        )
        return taken.allocations

    def take(
        self,
        lines: Sequence[Line],
        *,
        owner: str,
        hold_until: datetime | None = None,
        accept_warnings: bool = False,
        replacing: Iterable[str] = (),
    ) -> Taken:
        """Take every line, or nothing; the allocations made and the report that admitted them
        (one planning pass: a caller needs no `check` first to learn the shortages).

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
        return Taken(created, plan.report)

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

    def forget(self, allocation_ids: Sequence[str]) -> int:
        """Drop finished allocations (released, expired) for good, all of them or none: what a
        vendor's retention policy prunes. An active one is refused; so is an unknown id.
        Ids are never reused (`sequence` stays), so a forgotten id cannot come back."""
        now = self._now()
        allocs = [self.allocation(i) for i in dict.fromkeys(allocation_ids)]
        live = [a.id for a in allocs if a.is_active(now)]
        if live:
            raise InvalidTransition("active allocations cannot be forgotten", allocations=live)
        for alloc in allocs:
            self._unstore(alloc)
        return len(allocs)

    def forget_owner(self, owner: str) -> int:
        """`forget` every allocation `owner` took (all finished, or nothing is forgotten)."""
        return self.forget([a.id for a in self.allocations(owner)])

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

    # ----- for cached reads --------------------------------------------------------------

    def next_expiry(self, at: datetime | None = None) -> datetime | None:
        """The earliest instant a hold live at `at` (default: now) expires after (a hold is
        live up to and including its `held_until`): until then, what the inventory answers
        changes only by writes. A reader passes the instant its answer was computed at: a
        hold that expired since then still bounds that answer."""
        return self._expiries.next(at or self._now(), self._allocs)
