"""Import strictness and edge cases found in review: each test fails without its fix."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from booking_sandbox.core.clock import EARLIEST, LATEST, Clock, OutOfRange
from booking_sandbox.engine import (
    AllocationRejected,
    CapacityConflict,
    InvalidState,
    InvalidTransition,
    Inventory,
    Line,
    Pool,
    UnknownAllocation,
    export_inventory,
    import_inventory,
)
from booking_sandbox.engine.model import Interval
from tests.engine.conftest import FakeClock, hours


def exported(inventory: Inventory, clock: FakeClock) -> dict[str, Any]:
    inventory.allocate([Line("session", 1)], owner="a", hold_until=clock.now + timedelta(minutes=5))
    inventory.allocate([Line("seats", 1, hours(0, 1), units=("A1",))], owner="b")
    return export_inventory(inventory)


def test_import_never_reuses_an_id(inventory: Inventory, clock: FakeClock) -> None:
    data = exported(inventory, clock)
    data["sequence"] = 0  # below the ids it holds
    again = import_inventory(data, clock)
    (new,) = again.allocate([Line("session", 1)], owner="c")
    assert new.id not in {a["id"] for a in data["allocations"]}
    assert len(again.allocations()) == 3


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (lambda d: d["allocations"].append(dict(d["allocations"][0])), "duplicate allocation id"),
        (lambda d: d["allocations"][0].__setitem__("quantity", 1.0), "is not an integer"),
        (lambda d: d["pools"][0].__setitem__("capacity", 2.0), "is not an integer"),
        (lambda d: d.__setitem__("sequence", True), "is not an integer"),
        (lambda d: d["allocations"][0].__setitem__("quantity", 99), "over capacity"),
        (lambda d: d["allocations"][0].__setitem__("held_until", None), "needs held_until"),
        (lambda d: d["allocations"][1].__setitem__("units", ["Z9"]), "units not in pool"),
        (lambda d: d["allocations"][1].__setitem__("units", ["A1", "A1"]), "distinct"),
        (lambda d: d["pools"].append(dict(d["pools"][0])), "duplicate pool"),
        (lambda d: d["allocations"].append({**d["allocations"][1], "id": "x"}), "held twice"),
    ],
)
def test_import_refuses_states_the_engine_could_not_make(
    inventory: Inventory, clock: FakeClock, breakage: Any, message: str
) -> None:
    data = exported(inventory, clock)
    breakage(data)
    with pytest.raises(InvalidState, match=message):
        import_inventory(data, clock)


def test_replacing_an_expired_hold_fails_whether_or_not_it_was_swept(
    inventory: Inventory, clock: FakeClock
) -> None:
    for read_first in (False, True):
        (old,) = inventory.allocate(
            [Line("guide", 1, hours(0, 1))], owner=f"o{read_first}", hold_until=clock.now
        )
        clock.advance(seconds=1)
        if read_first:
            inventory.availability("guide", hours(0, 1))
        with pytest.raises(InvalidTransition):
            inventory.allocate([Line("guide", 1, hours(2, 3))], owner="o", replacing=[old.id])


def test_check_with_unknown_replacement_is_a_domain_error(inventory: Inventory) -> None:
    with pytest.raises(UnknownAllocation):
        inventory.check([Line("session", 1)], owner="o", replacing=["nope"])


def test_microsecond_overlaps_far_in_the_future_still_conflict() -> None:
    # In year 9000 a float timestamp resolves only ~50 us: keys must be exact integers.
    base = datetime(9000, 1, 1, tzinfo=UTC)
    inv = Inventory(lambda: base)
    for k in range(20):
        start = base + timedelta(milliseconds=k)
        inv.add_pool(Pool(f"p{k}", 1))
        inv.allocate(
            [Line(f"p{k}", 1, Interval(start, start + timedelta(microseconds=20)))], owner="a"
        )
        later = start + timedelta(microseconds=1 + k % 19)  # always inside the first
        with pytest.raises(AllocationRejected):
            inv.allocate(
                [Line(f"p{k}", 1, Interval(later, later + timedelta(microseconds=20)))], owner="b"
            )


def test_pools_cannot_shrink_under_their_allocations(inventory: Inventory) -> None:
    inventory.allocate([Line("strict", 3, hours(0, 2))], owner="o")
    with pytest.raises(CapacityConflict):
        inventory.update_pool(Pool("strict", 2))
    inventory.update_pool(Pool("strict", 2, shortage_limit=1))  # 3 <= 2 + 1: allowed
    inventory.allocate([Line("seats", 1, units=("A3",))], owner="o")
    with pytest.raises(CapacityConflict):
        inventory.update_pool(Pool("seats", 3, units=("A1", "A2")))
    assert inventory.pool("seats").units == ("A1", "A2", "A3")


def test_a_running_clock_saturates_at_both_ends_of_its_range() -> None:
    wall = [datetime(2026, 1, 1, tzinfo=UTC)]
    clock = Clock(lambda: wall[0], start=EARLIEST)
    wall[0] -= timedelta(seconds=2)  # the host clock steps back
    assert clock.now() == EARLIEST
    clock.set(LATEST - timedelta(seconds=1))
    wall[0] += timedelta(seconds=5)
    assert clock.now() == LATEST
    with pytest.raises(OutOfRange):
        clock.set(datetime(9999, 12, 31, tzinfo=UTC))
    with pytest.raises(OutOfRange):
        clock.advance(timedelta(days=1))
    assert clock.now() == LATEST
