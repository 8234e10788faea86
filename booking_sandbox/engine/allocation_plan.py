"""How the inventory plans a request: each line checked against what is active, units picked,
nothing taken. `Inventory.check` answers the plan's report; `Inventory.take` takes the plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from booking_sandbox.engine.allocation_ledger import AllocationLedger
from booking_sandbox.engine.errors import InvalidRequest, InvalidTransition, UnknownUnit
from booking_sandbox.engine.index import peak
from booking_sandbox.engine.model import AllocationReport, Interval, Line, LineCheck, Verdict


@dataclass(frozen=True, slots=True)
class Plan:
    report: AllocationReport
    units: tuple[tuple[str, ...], ...]


class AllocationPlanner(AllocationLedger):
    """The ledger, plus what a request would take from it (`_plan`), without taking it."""

    def _replaceable(self, replacing: Iterable[str], now: datetime) -> frozenset[str]:
        """Allocations a request may supersede: existing and active at `now`."""
        replaced = frozenset(replacing)
        for ident in sorted(replaced):
            if not self.allocation(ident).is_active(now):
                raise InvalidTransition(f"allocation {ident} is not active", allocation=ident)
        return replaced

    def _plan(
        self, lines: Sequence[Line], owner: str, replaced: frozenset[str], now: datetime
    ) -> Plan:
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
            units, unavailable, available, wanted = self._pick_units(
                line, now, replaced, claimed.setdefault(line.pool_id, [])
            )
            if unavailable or len(units) < wanted:
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
        return Plan(AllocationReport(tuple(checks)), tuple(assigned))

    def _pick_units(
        self,
        line: Line,
        now: datetime,
        replaced: frozenset[str],
        claimed: list[tuple[Interval | None, tuple[str, ...]]],
    ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], int]:
        """Named units plus `auto_units` free ones; also what is unavailable and available,
        and how many units the line must get."""
        pool = self._pools[line.pool_id]
        if not pool.units:
            return (), (), (), len(line.units) + (0 if line.auto_up_to else line.auto_units)
        taken = self._units_taken(line.pool_id, line.interval, now, replaced)
        auto = line.auto_units
        if line.auto_up_to:  # at most what is free now, before this request's other lines
            auto = min(auto, sum(1 for u in pool.units if u not in taken))
        for interval, units in claimed:
            if interval is None or line.interval is None or interval.overlaps(line.interval):
                taken.update(units)
        unavailable = tuple(u for u in line.units if u in taken)
        free = [u for u in pool.units if u not in taken]
        available = tuple(free)
        picked = [u for u in free if u not in line.units][:auto]
        units = line.units + tuple(picked) if not unavailable else line.units
        claimed.append((line.interval, units))
        return units, unavailable, available, len(line.units) + auto

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
