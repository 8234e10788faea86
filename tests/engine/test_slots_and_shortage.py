"""Timed allocations (Pont Central resources, Booqable periods), shortages, units."""

from __future__ import annotations

import pytest

from booking_sandbox.engine import AllocationRejected, Inventory, Line, Status, UnknownUnit, Verdict
from tests.engine.conftest import hours


def test_shared_resource_conflicts_only_when_intervals_overlap(inventory: Inventory) -> None:
    inventory.allocate([Line("guide", 1, hours(10, 12))], owner="tour-a")
    with pytest.raises(AllocationRejected):
        inventory.allocate([Line("guide", 1, hours(11, 13))], owner="tour-b")
    # Half-open: a slot starting when the other ends does not overlap.
    inventory.allocate([Line("guide", 1, hours(12, 14))], owner="tour-b")
    inventory.allocate([Line("guide", 1, hours(8, 10))], owner="tour-c")
    assert inventory.availability("guide", hours(9, 13)).free == 0
    assert inventory.availability("guide", hours(14, 15)).free == 1


def test_free_is_capacity_minus_peak_not_sum(inventory: Inventory) -> None:
    inventory.allocate([Line("strict", 2, hours(0, 2))], owner="a")
    inventory.allocate([Line("strict", 2, hours(2, 4))], owner="b")
    inventory.allocate([Line("strict", 1, hours(1, 3))], owner="c")
    assert inventory.availability("strict", hours(0, 4)).taken == 3
    inventory.allocate([Line("strict", 1, hours(0, 4))], owner="d")
    with pytest.raises(AllocationRejected):
        inventory.allocate([Line("strict", 1, hours(1, 2))], owner="e")


def test_update_replaces_in_one_step(inventory: Inventory) -> None:
    (old,) = inventory.allocate([Line("guide", 1, hours(10, 12))], owner="b1")
    # Moving the booking one hour later overlaps itself only: allowed.
    (new,) = inventory.allocate([Line("guide", 1, hours(11, 13))], owner="b1", replacing=[old.id])
    assert old.status is Status.RELEASED
    assert new.status is Status.CONFIRMED
    inventory.allocate([Line("guide", 1, hours(13, 14))], owner="b2")
    with pytest.raises(AllocationRejected):
        inventory.allocate([Line("guide", 1, hours(12, 14))], owner="b1", replacing=[new.id])
    assert new.status is Status.CONFIRMED  # the failed update kept the old allocation


def test_booqable_shortage_numbers_warning_then_confirm(inventory: Inventory) -> None:
    # Seed numbers: stock_count 1, reserved 0, needed 2 -> shortage 1, within limit 2: warning.
    lines = [Line("bulk", 2, hours(0, 24))]
    with pytest.raises(AllocationRejected) as err:
        inventory.allocate(lines, owner="order-1")
    (check,) = err.value.report.lines
    assert (check.stock_count, check.reserved, check.needed, check.shortage) == (1, 0, 2, 1)
    assert check.verdict is Verdict.WARNING
    inventory.allocate(lines, owner="order-1", accept_warnings=True)
    # Another order for 2 more: shortage 3 > limit 2 -> blocking, even when confirmed.
    with pytest.raises(AllocationRejected) as err:
        inventory.allocate([Line("bulk", 2, hours(12, 36))], owner="order-2", accept_warnings=True)
    (check,) = err.value.report.lines
    assert (check.reserved, check.needed, check.shortage) == (2, 2, 3)
    assert check.verdict is Verdict.BLOCKING


def test_blocking_when_no_shortage_allowed(inventory: Inventory) -> None:
    with pytest.raises(AllocationRejected) as err:
        inventory.allocate([Line("strict", 10, hours(0, 1))], owner="o", accept_warnings=True)
    (check,) = err.value.report.lines
    assert (check.stock_count, check.needed, check.shortage) == (4, 10, 6)
    assert check.verdict is Verdict.BLOCKING


def test_needed_counts_the_owners_existing_allocations(inventory: Inventory) -> None:
    inventory.allocate([Line("strict", 3, hours(0, 5))], owner="order-1")
    report = inventory.check([Line("strict", 2, hours(1, 2))], owner="order-1")
    (check,) = report.lines
    assert (check.reserved, check.needed, check.shortage) == (0, 5, 1)


def test_named_units_conflict_and_list_available(inventory: Inventory) -> None:
    inventory.allocate([Line("seats", 1, hours(0, 2), units=("A1",))], owner="o1")
    with pytest.raises(AllocationRejected) as err:
        inventory.allocate([Line("seats", 2, hours(1, 3), units=("A1", "A2"))], owner="o2")
    (check,) = err.value.report.lines
    assert check.verdict is Verdict.BLOCKING
    assert check.unavailable_units == ("A1",)
    assert check.available_units == ("A2", "A3")
    # Outside A1's interval it is free again.
    inventory.allocate([Line("seats", 1, hours(2, 3), units=("A1",))], owner="o2")


def test_auto_units_pick_free_units_in_order_without_clashing(inventory: Inventory) -> None:
    inventory.allocate([Line("seats", 1, units=("A1",))], owner="o1")
    a, b = inventory.allocate(
        [Line("seats", 1, auto_units=1), Line("seats", 1, auto_units=1)], owner="o2"
    )
    assert (a.units, b.units) == (("A2",), ("A3",))
    assert inventory.availability("seats").free_units == ()
    with pytest.raises(UnknownUnit):
        inventory.allocate([Line("seats", 1, units=("Z9",))], owner="o3")


def test_timeless_allocations_weigh_on_every_interval(inventory: Inventory) -> None:
    inventory.allocate([Line("strict", 3)], owner="forever")
    assert inventory.availability("strict", hours(100, 101)).taken == 3
    inventory.allocate([Line("strict", 1, hours(0, 1))], owner="o")
    with pytest.raises(AllocationRejected):
        inventory.allocate([Line("strict", 1, hours(0, 2))], owner="o2")
