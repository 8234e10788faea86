"""Holds, confirmation, release and expiry (the Korus reservation -> order flow)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from booking_sandbox.engine import (
    Allocation,
    AllocationRejected,
    HoldExpired,
    InvalidRequest,
    InvalidTransition,
    Inventory,
    Line,
    Status,
    UnknownAllocation,
    UnknownPool,
)
from tests.engine.conftest import FakeClock


def hold(
    inv: Inventory, clock: FakeClock, qty: int = 1, owner: str = "r1", minutes: int = 15
) -> list[Allocation]:
    until = clock.now + timedelta(minutes=minutes)
    return inv.allocate([Line("session", qty)], owner=owner, hold_until=until)


def test_hold_takes_capacity_until_expiry_inclusive(inventory: Inventory, clock: FakeClock) -> None:
    (alloc,) = hold(inventory, clock, 2)
    assert alloc.status is Status.HELD
    assert inventory.availability("session").free == 0
    clock.advance(minutes=15)  # exactly at held_until: still live
    assert alloc.is_active(clock.now)
    assert inventory.availability("session").free == 0
    clock.advance(seconds=1)
    assert not alloc.is_active(clock.now)
    assert alloc.effective_status(clock.now) is Status.EXPIRED
    assert inventory.availability("session").free == 2


def test_sold_out_rejects_and_takes_nothing(inventory: Inventory, clock: FakeClock) -> None:
    hold(inventory, clock, 2)
    with pytest.raises(AllocationRejected) as err:
        hold(inventory, clock, 1, owner="r2")
    (line,) = err.value.report.lines
    assert (line.stock_count, line.reserved, line.needed, line.shortage) == (2, 2, 1, 1)
    assert line.verdict.value == "blocking"
    assert len(inventory.allocations()) == 1


def test_expired_capacity_is_reusable_and_stays_expired_after_clock_goes_back(
    inventory: Inventory, clock: FakeClock
) -> None:
    (first,) = hold(inventory, clock, 2)
    clock.advance(minutes=16)
    hold(inventory, clock, 2, owner="r2")
    assert first.status is Status.EXPIRED
    clock.advance(minutes=-10)  # time travel back: the old hold must not come back to life
    assert inventory.availability("session").taken == 2


def test_confirm_live_hold(inventory: Inventory, clock: FakeClock) -> None:
    (alloc,) = hold(inventory, clock)
    inventory.confirm([alloc.id])
    clock.advance(days=1)
    assert alloc.status is Status.CONFIRMED
    assert inventory.availability("session").taken == 1


def test_confirm_expired_hold_fails_and_changes_nothing(
    inventory: Inventory, clock: FakeClock
) -> None:
    (live,) = hold(inventory, clock, minutes=60)
    (short,) = hold(inventory, clock, owner="r2", minutes=1)
    clock.advance(minutes=2)
    with pytest.raises(HoldExpired) as err:
        inventory.confirm([live.id, short.id])
    assert err.value.code == "hold_expired"
    assert err.value.details == {"allocations": [short.id]}
    assert live.status is Status.HELD


def test_confirm_twice_and_release_twice_are_invalid(
    inventory: Inventory, clock: FakeClock
) -> None:
    (alloc,) = hold(inventory, clock)
    inventory.confirm([alloc.id])
    with pytest.raises(InvalidTransition):
        inventory.confirm([alloc.id])
    inventory.release([alloc.id])
    assert inventory.availability("session").taken == 0
    with pytest.raises(InvalidTransition):
        inventory.release([alloc.id])


def test_release_restores_exactly(inventory: Inventory, clock: FakeClock) -> None:
    a = hold(inventory, clock, 1)
    b = hold(inventory, clock, 1, owner="r2")
    inventory.release([a[0].id])
    assert inventory.availability("session").taken == 1
    inventory.release([b[0].id])
    assert inventory.availability("session").taken == 0


def test_unknowns_and_bad_lines(inventory: Inventory, clock: FakeClock) -> None:
    with pytest.raises(UnknownPool):
        inventory.allocate([Line("nope", 1)], owner="x")
    with pytest.raises(UnknownAllocation):
        inventory.confirm(["alloc-999"])
    with pytest.raises(InvalidRequest):
        inventory.allocate([Line("session", -1)], owner="x")
    with pytest.raises(InvalidRequest):
        inventory.allocate([], owner="x")
    with pytest.raises(InvalidRequest):
        inventory.allocate([Line("session", 1)], owner="x", hold_until=clock.now - timedelta(1))
    assert inventory.allocations() == []


def test_multi_line_is_all_or_nothing(inventory: Inventory) -> None:
    with pytest.raises(AllocationRejected) as err:
        inventory.allocate([Line("session", 1), Line("guide", 2)], owner="o")
    verdicts = [c.verdict.value for c in err.value.report.lines]
    assert verdicts == ["ok", "blocking"]
    assert inventory.allocations() == []
    assert inventory.availability("session").taken == 0


def test_lines_of_one_request_count_against_each_other(inventory: Inventory) -> None:
    with pytest.raises(AllocationRejected) as err:
        inventory.allocate([Line("session", 1), Line("session", 2)], owner="o")
    assert [c.needed for c in err.value.report.lines] == [3, 3]
    assert [c.shortage for c in err.value.report.lines] == [1, 1]
