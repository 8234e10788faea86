from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from booking_sandbox.engine import Interval, Inventory, Pool

T0 = datetime(2025, 1, 29, 7, 55, 53, tzinfo=UTC)


class FakeClock:
    """A hand-moved clock: engine tests never touch the system clock."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def hours(start: int, end: int) -> Interval:
    return Interval(T0 + timedelta(hours=start), T0 + timedelta(hours=end))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def inventory(clock: FakeClock) -> Inventory:
    inv = Inventory(clock)
    inv.add_pool(Pool("session", 2))
    inv.add_pool(Pool("seats", 3, units=("A1", "A2", "A3")))
    inv.add_pool(Pool("guide", 1))
    inv.add_pool(Pool("bulk", 1, shortage_limit=2))
    inv.add_pool(Pool("strict", 4))
    return inv
