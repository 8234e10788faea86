"""Property-based tests: the engine against a brute-force oracle over random histories."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from booking_sandbox.engine import (
    AllocationRejected,
    HoldExpired,
    InvalidTransition,
    Inventory,
    Line,
    Pool,
    export_inventory,
    import_inventory,
)
from booking_sandbox.engine.model import Allocation, Interval
from tests.engine.conftest import T0, FakeClock

POOLS = {"p0": Pool("p0", 3), "p1": Pool("p1", 2, shortage_limit=2), "p2": Pool("p2", 1)}


def interval(start: int, length: int) -> Interval:
    return Interval(T0 + timedelta(hours=start), T0 + timedelta(hours=start + length))


lines = st.builds(
    lambda pool, qty, span: Line(pool, qty, None if span is None else interval(*span)),
    st.sampled_from(sorted(POOLS)),
    st.integers(0, 3),
    st.none() | st.tuples(st.integers(0, 8), st.integers(1, 4)),
)
ops = st.one_of(
    st.tuples(
        st.just("allocate"),
        st.lists(lines, min_size=1, max_size=3),
        st.none() | st.integers(1, 30),
        st.booleans(),
    ),
    st.tuples(st.just("confirm"), st.integers(0, 50)),
    st.tuples(st.just("release"), st.integers(0, 50)),
    st.tuples(st.just("replace"), st.integers(0, 50), lines),
    st.tuples(st.just("clock"), st.integers(-20, 30)),
)


def load_at(allocs: list[Allocation], pool: str, at: Interval | None, now: Any) -> int:
    """Brute force: the highest total of active allocations over any instant of `at`."""
    active = [a for a in allocs if a.pool_id == pool and a.is_active(now)]
    base = sum(a.quantity for a in active if a.interval is None)
    timed = [a for a in active if a.interval is not None]
    instants = {a.interval.start for a in timed if a.interval} | ({at.start} if at else set())
    best = 0
    for t in instants:
        if at is not None and not at.start <= t < at.end:
            continue
        best = max(
            best,
            sum(a.quantity for a in timed if a.interval and a.interval.start <= t < a.interval.end),
        )
    return base + best


@settings(max_examples=300, deadline=None)
@given(st.lists(ops, max_size=25))
def test_random_histories_keep_the_invariants(history: list[tuple[Any, ...]]) -> None:
    clock = FakeClock()
    inv = Inventory(clock)
    for pool in POOLS.values():
        inv.add_pool(pool)
    for n, op in enumerate(history):
        ids = [a.id for a in inv.allocations()]
        before = {p: inv.availability(p).taken for p in POOLS}
        try:
            if op[0] == "allocate":
                _, ls, hold, accept = op
                until = clock.now + timedelta(minutes=hold) if hold else None
                inv.allocate(ls, owner=f"o{n % 3}", hold_until=until, accept_warnings=accept)
            elif op[0] == "confirm" and ids:
                inv.confirm([ids[op[1] % len(ids)]])
            elif op[0] == "release" and ids:
                target = inv.allocation(ids[op[1] % len(ids)])
                was_active = target.is_active(clock.now)
                inv.release([target.id])
                if was_active and target.interval is None:
                    # A release gives back exactly what the allocation took.
                    after = inv.availability(target.pool_id).taken
                    assert after == before[target.pool_id] - target.quantity
            elif op[0] == "replace" and ids:
                old = inv.allocation(ids[op[1] % len(ids)])
                inv.allocate([op[2]], owner=old.owner, replacing=[old.id], accept_warnings=True)
            elif op[0] == "clock":
                clock.advance(minutes=op[1])
        except (AllocationRejected, HoldExpired, InvalidTransition):
            # A rejected request changes nothing.
            assert [a.id for a in inv.allocations()] == ids
        allocs = inv.allocations()
        for name, pool in POOLS.items():
            # At no instant do confirmed plus live held exceed capacity plus shortage limit.
            assert load_at(allocs, name, None, clock.now) <= pool.capacity + pool.shortage_limit
            # And the engine's indexed answer agrees with brute force, for any interval.
            for start, length in ((0, 1), (3, 4), (7, 5), (0, 20)):
                at = interval(start, length)
                assert inv.availability(name, at).taken == load_at(allocs, name, at, clock.now)


@given(st.integers(1, 10_000))
def test_a_hold_is_live_until_exactly_its_expiry(seconds: int) -> None:
    clock = FakeClock()
    inv = Inventory(clock)
    inv.add_pool(Pool("p", 1))
    (alloc,) = inv.allocate(
        [Line("p", 1)], owner="o", hold_until=clock.now + timedelta(seconds=seconds)
    )
    clock.advance(seconds=seconds)
    assert alloc.is_active(clock.now)
    assert inv.availability("p").free == 0
    clock.advance(microseconds=1)
    assert not alloc.is_active(clock.now)
    assert inv.availability("p").free == 1
    assert inv.check([Line("p", 1)], owner="other").fits


def apply(inv: Inventory, clock: FakeClock, n: int, op: tuple[Any, ...]) -> None:
    """One step of a history, refused or not (the round-trip tests only need some state)."""
    ids = [a.id for a in inv.allocations()]
    try:
        if op[0] == "allocate":
            until = clock.now + timedelta(minutes=op[2]) if op[2] else None
            inv.allocate(op[1], owner=f"o{n % 3}", hold_until=until, accept_warnings=op[3])
        elif op[0] == "confirm" and ids:
            inv.confirm([ids[op[1] % len(ids)]])
        elif op[0] == "release" and ids:
            inv.release([ids[op[1] % len(ids)]])
        elif op[0] == "replace" and ids:
            old = inv.allocation(ids[op[1] % len(ids)])
            inv.allocate([op[2]], owner=old.owner, replacing=[old.id], accept_warnings=True)
        elif op[0] == "clock":
            clock.advance(minutes=op[1])
    except (AllocationRejected, HoldExpired, InvalidTransition):
        pass


@settings(max_examples=300, deadline=None)
@given(st.lists(ops, max_size=25), st.integers(0, 40), st.integers(0, 40))
def test_export_import_export_is_identical_across_unread_expiries(
    history: list[tuple[Any, ...]], later: int, back: int
) -> None:
    """Holds expire lazily: the clock moves past some `held_until` with no read to notice,
    then the export must already say what its import re-exports at that same instant."""
    clock = FakeClock()
    inv = Inventory(clock)
    for pool in POOLS.values():
        inv.add_pool(pool)
    for n, op in enumerate(history):
        apply(inv, clock, n, op)
    clock.advance(minutes=later)  # no read between this and the export
    data = export_inventory(inv)
    again = import_inventory(data, clock)
    assert export_inventory(again) == data
    assert export_inventory(inv) == data  # the export itself settled nothing
    for a in again.allocations():
        assert a.effective_status(clock.now) is inv.allocation(a.id).effective_status(clock.now)
    for name in POOLS:
        for start, length in ((0, 1), (3, 4), (0, 20)):
            at = interval(start, length)
            assert again.availability(name, at) == inv.availability(name, at)
        assert again.availability(name) == inv.availability(name)
    # And later still, both go on answering alike (swept above, so even a step back agrees).
    clock.advance(minutes=later - back)
    assert export_inventory(again) == export_inventory(inv)


def test_an_unread_expired_hold_is_exported_expired_and_left_as_it_was() -> None:
    clock = FakeClock()
    inv = Inventory(clock)
    inv.add_pool(Pool("p", 1))
    (hold,) = inv.allocate([Line("p", 1)], owner="o", hold_until=clock.now + timedelta(minutes=5))
    clock.advance(minutes=10)
    (exported,) = export_inventory(inv)["allocations"]
    assert exported["status"] == "expired"
    assert import_inventory(export_inventory(inv), clock).allocation(hold.id).status.value == (
        "expired"
    )
    # Exporting read nothing: moved back before its expiry, the hold is live again, as it
    # would have been had nobody exported (no read needed its capacity meanwhile).
    clock.advance(minutes=-6)
    assert hold.is_active(clock.now)
    assert export_inventory(inv)["allocations"][0]["status"] == "held"


def test_export_import_round_trip_is_exact() -> None:
    clock = FakeClock()
    inv = Inventory(clock)
    for pool in POOLS.values():
        inv.add_pool(pool)
    inv.allocate(
        [Line("p0", 2, interval(0, 2)), Line("p1", 1)],
        owner="a",
        hold_until=clock.now + timedelta(minutes=5),
    )
    (c,) = inv.allocate([Line("p2", 1)], owner="b")
    inv.release([c.id])
    data = export_inventory(inv)
    again = import_inventory(data, clock)
    assert export_inventory(again) == data
    assert again.availability("p0", interval(0, 1)).taken == 2
