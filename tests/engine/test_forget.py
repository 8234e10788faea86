"""`Inventory.forget`: finished allocations dropped for good (the retention policy's engine
part), every index kept consistent; active ones refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from booking_sandbox.engine import (
    InvalidTransition,
    Inventory,
    Line,
    Pool,
    Status,
    UnknownAllocation,
    export_inventory,
    import_inventory,
)
from tests.engine.conftest import FakeClock, hours


def _bookkeeping(inv: Inventory) -> tuple[int, int, int]:
    return len(inv._allocs), len(inv._by_owner), len(inv._owner_timeless)


def test_a_released_allocation_is_forgotten_everywhere(inventory: Inventory) -> None:
    [kept] = inventory.allocate([Line("seats", 1, units=("A1",))], owner="a")
    [gone] = inventory.allocate([Line("seats", 2, units=("A2", "A3"))], owner="b")
    inventory.release([gone.id])
    assert inventory.forget([gone.id]) == 1
    with pytest.raises(UnknownAllocation):
        inventory.allocation(gone.id)
    assert [a.id for a in inventory.allocations()] == [kept.id]
    assert inventory.allocations("b") == []
    assert "b" not in inventory._by_owner
    assert ("b", "seats") not in inventory._owner_timeless
    assert inventory.availability("seats").free_units == ("A2", "A3")
    # The id is never given again: the sequence stays.
    [fresh] = inventory.allocate([Line("seats", 1)], owner="c")
    assert fresh.id != gone.id
    assert int(fresh.id[6:]) > int(gone.id[6:])


def test_active_allocations_are_refused_and_nothing_changes(
    inventory: Inventory, clock: FakeClock
) -> None:
    [held] = inventory.allocate([Line("session", 1)], owner="a", hold_until=clock.now)
    [sold] = inventory.allocate([Line("guide", 1, interval=hours(1, 2))], owner="b")
    [done] = inventory.allocate([Line("session", 1)], owner="c")
    inventory.release([done.id])
    before = _bookkeeping(inventory)
    for ids in ([held.id], [sold.id], [done.id, sold.id]):
        with pytest.raises(InvalidTransition):
            inventory.forget(ids)
        assert _bookkeeping(inventory) == before
    assert inventory.allocation(done.id).status is Status.RELEASED
    with pytest.raises(UnknownAllocation):
        inventory.forget(["alloc-999"])


def test_an_expired_hold_not_yet_swept_leaves_its_pool_index(
    inventory: Inventory, clock: FakeClock
) -> None:
    until = clock.now + timedelta(minutes=15)
    [timeless] = inventory.allocate([Line("session", 2)], owner="a", hold_until=until)
    [timed] = inventory.allocate(
        [Line("guide", 1, interval=hours(1, 2))], owner="b", hold_until=until
    )
    clock.advance(minutes=16)  # nothing read them since: both still stored as held
    assert inventory.allocation(timeless.id).status is Status.HELD
    inventory.forget([timeless.id, timed.id])
    assert inventory.allocations() == []
    assert inventory.availability("session").free == 2
    assert inventory.availability("guide", hours(0, 3)).free == 1
    inventory.allocate([Line("session", 2)], owner="c")
    inventory.allocate([Line("guide", 1, interval=hours(1, 2))], owner="d")


def test_an_inventory_that_forgot_exports_and_imports_back(
    inventory: Inventory, clock: FakeClock
) -> None:
    made = [inventory.allocate([Line("session", 1)], owner=f"o{i}")[0] for i in range(2)]
    inventory.release([made[0].id])
    inventory.forget([made[0].id])
    exported = export_inventory(inventory)
    again = import_inventory(exported, clock)
    assert export_inventory(again) == exported
    [fresh] = again.allocate([Line("session", 1)], owner="x")
    assert fresh.id not in {a.id for a in made}


def test_holds_released_under_a_frozen_clock_leave_a_bounded_expiry_heap(
    clock: FakeClock,
) -> None:
    inv = Inventory(clock)
    inv.add_pool(Pool("p", 5))
    for _ in range(5_000):
        [alloc] = inv.allocate([Line("p", 1)], owner="o", hold_until=clock.now)
        inv.release([alloc.id])
        inv.forget([alloc.id])
    assert len(inv._index["p"]._hold_heap) <= 10
    assert inv.allocations() == []
    assert inv.availability("p").free == 5


def test_an_owner_holds_until_its_hold_ends_then_is_forgotten_whole(clock: FakeClock) -> None:
    """`holds_active` and `forget_owner`, what the vendors' retention passes ask and do."""
    inv = Inventory(clock)
    inv.add_pool(Pool("p", 5))
    inv.allocate([Line("p", 1)], owner="o", hold_until=clock.now + timedelta(minutes=5))
    inv.allocate([Line("p", 1)], owner="o", hold_until=clock.now + timedelta(minutes=5))
    assert inv.holds_active("o", clock.now)
    assert not inv.holds_active("nobody", clock.now)
    with pytest.raises(InvalidTransition):
        inv.forget_owner("o")
    assert len(inv.allocations("o")) == 2  # all or nothing
    later = clock.now + timedelta(minutes=6)
    assert not inv.holds_active("o", later)
    clock.now = later
    assert inv.forget_owner("o") == 2
    assert inv.allocations("o") == []
    assert inv.forget_owner("o") == 0
