"""Inventory snapshots: export to JSON, and a strict import of what was exported.

An import refuses any state the engine could not have produced, so a hand-edited or corrupted
snapshot cannot oversell, reuse an id or hold a unit twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from booking_sandbox.engine.errors import InvalidState
from booking_sandbox.engine.inventory import Inventory
from booking_sandbox.engine.model import Allocation, Interval, Pool, Status
from booking_sandbox.timefmt import parse_instant


def export_inventory(inv: Inventory, now: datetime | None = None) -> dict[str, Any]:
    """The inventory as JSON, canonical at `now` (default: the inventory's clock).

    Holds expire lazily, so one past its expiry may still be stored as held; it is exported
    as `expired`, as its import (which settles expiry) would re-export it. Nothing is
    mutated: exporting changes no later answer, even after the clock is moved back.
    """
    at = inv.now() if now is None else now
    return {
        "sequence": inv.sequence,
        "pools": [
            {
                "id": p.id,
                "capacity": p.capacity,
                "shortage_limit": p.shortage_limit,
                "units": list(p.units),
            }
            for p in inv.pools()
        ],
        "allocations": [a.to_json(at) for a in inv.allocations()],
    }


def import_inventory(data: dict[str, Any], now: Callable[[], datetime]) -> Inventory:
    """Rebuild an exported inventory, refusing any state the engine could not have made."""
    inv = Inventory(now)
    pools: dict[str, Pool] = {}
    for i, p in enumerate(data["pools"]):
        at = f"$.inventory.pools[{i}]"
        try:
            pool = Pool(
                p["id"], _int(p["capacity"], at), _int(p["shortage_limit"], at), tuple(p["units"])
            )
        except ValueError as exc:
            raise InvalidState(f"{at}: {exc}") from None
        if pool.id in pools:
            raise InvalidState(f"{at}: duplicate pool {pool.id!r}")
        pools[pool.id] = pool
        inv.add_pool(pool)
    seen: set[str] = set()
    highest = 0
    for i, a in enumerate(data["allocations"]):
        at = f"$.inventory.allocations[{i}]"
        alloc = _allocation(a, at)
        target = pools.get(alloc.pool_id)
        if target is None:
            raise InvalidState(f"{at}: unknown pool {alloc.pool_id!r}")
        if alloc.id in seen:
            raise InvalidState(f"{at}: duplicate allocation id {alloc.id!r}")
        if alloc.status is Status.HELD and alloc.held_until is None:
            raise InvalidState(f"{at}: a held allocation needs held_until")
        if len(alloc.units) > alloc.quantity or len(set(alloc.units)) != len(alloc.units):
            raise InvalidState(f"{at}: units must be distinct and at most the quantity")
        if not set(alloc.units) <= set(target.units):
            raise InvalidState(f"{at}: units not in pool {target.id!r}")
        seen.add(alloc.id)
        inv.restore(alloc)
        if alloc.id.startswith("alloc-") and alloc.id[6:].isdigit():
            highest = max(highest, int(alloc.id[6:]))
    # Never below an id in use: the next allocation must not overwrite an imported one.
    inv.restore_sequence(max(_int(data["sequence"], "$.inventory.sequence"), highest))
    for pool in pools.values():
        problem = inv.overbooked(pool)
        if problem:
            raise InvalidState(f"$.inventory: {problem}")
    return inv


def _int(value: Any, at: str) -> int:
    """JSON Schema counts 3.0 as an integer; the engine does not."""
    if type(value) is not int:
        raise InvalidState(f"{at}: {value!r} is not an integer")
    return value


def _allocation(a: dict[str, Any], at: str) -> Allocation:
    try:
        interval = a["interval"]
        return Allocation(
            id=a["id"],
            pool_id=a["pool"],
            quantity=_int(a["quantity"], at),
            status=Status(a["status"]),
            owner=a["owner"],
            created_at=parse_instant(a["created_at"]),
            interval=Interval(parse_instant(interval["start"]), parse_instant(interval["end"]))
            if interval
            else None,
            units=tuple(a["units"]),
            held_until=parse_instant(a["held_until"]) if a["held_until"] else None,
        )
    except ValueError as exc:
        raise InvalidState(f"{at}: {exc}") from None
