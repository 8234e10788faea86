"""Reads for the inventory overview: active allocations by pool, what is taken, timelines."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from booking_sandbox.engine import Allocation, Interval, Inventory, Line, Pool, Status
from booking_sandbox.engine.occupancy import (
    Segment,
    Taken,
    active_by_pool,
    by_creation,
    overlapping,
    taken,
    timeline,
)
from tests.engine.conftest import T0, FakeClock, hours


def alloc(
    ident: str,
    quantity: int = 1,
    status: Status = Status.CONFIRMED,
    interval: Interval | None = None,
    pool: str = "p",
    held_until: datetime | None = None,
    created: int = 0,
) -> Allocation:
    return Allocation(
        id=ident,
        pool_id=pool,
        quantity=quantity,
        status=status,
        owner="o",
        created_at=T0 + timedelta(seconds=created),
        interval=interval,
        held_until=held_until,
    )


def at(hour: float) -> datetime:
    return T0 + timedelta(hours=hour)


def test_active_by_pool_keeps_live_holds_and_confirmed_ones_by_pool() -> None:
    until = T0 + timedelta(minutes=15)
    allocs = [
        alloc("a", pool="x"),
        alloc("b", pool="y", status=Status.HELD, held_until=until),
        alloc("c", pool="x", status=Status.RELEASED),
        alloc("d", pool="x", status=Status.EXPIRED, held_until=until),
        alloc("e", pool="x", status=Status.HELD, held_until=until),
    ]
    assert {k: [a.id for a in v] for k, v in active_by_pool(allocs, T0).items()} == {
        "x": ["a", "e"],
        "y": ["b"],
    }
    # Live up to and including held_until, gone one microsecond later.
    assert "y" in active_by_pool(allocs, until)
    later = active_by_pool(allocs, until + timedelta(microseconds=1))
    assert {k: [a.id for a in v] for k, v in later.items()} == {"x": ["a"]}


def test_reading_at_a_later_instant_changes_nothing(clock: FakeClock) -> None:
    inventory = Inventory(clock)
    inventory.add_pool(Pool("p", 2))
    (hold,) = inventory.allocate(
        [Line("p", 1)], owner="o", hold_until=clock.now + timedelta(minutes=15)
    )
    assert active_by_pool(inventory.allocations(), clock.now + timedelta(hours=1)) == {}
    assert hold.status is Status.HELD  # not swept: moving the clock back revives it
    assert active_by_pool(inventory.allocations(), clock.now) == {"p": [hold]}


def test_by_creation_orders_by_time_then_id() -> None:
    allocs = [alloc("b", created=5), alloc("c", created=1), alloc("a", created=5)]
    assert [a.id for a in by_creation(allocs)] == ["c", "a", "b"]


def test_overlapping_is_half_open_and_keeps_timeless_ones() -> None:
    window = hours(2, 4)
    allocs = [
        alloc("before", interval=hours(0, 2)),  # ends where the window starts
        alloc("in", interval=hours(3, 5)),
        alloc("after", interval=hours(4, 6)),
        alloc("timeless"),
    ]
    assert [a.id for a in overlapping(allocs, window)] == ["in", "timeless"]


def test_taken_counts_everything_or_what_contains_the_instant() -> None:
    allocs = [
        alloc("a", 2, interval=hours(1, 3)),
        alloc("b", 3, Status.HELD, interval=hours(3, 4), held_until=at(9)),
        alloc("c", 5, Status.HELD, held_until=at(9)),
        alloc("d", 7, Status.RELEASED),
    ]
    assert taken(allocs) == Taken(held=8, confirmed=2)
    assert taken(allocs, at(1)) == Taken(held=5, confirmed=2)  # a starts: included
    assert taken(allocs, at(3)) == Taken(held=8, confirmed=0)  # a ends: excluded
    assert taken([], at(3)) == Taken()


def test_an_empty_window_is_one_segment_of_zeros() -> None:
    window = hours(0, 24)
    assert timeline([], window) == [Segment(window.start, window.end, 0, 0)]
    assert timeline([alloc("far", interval=hours(30, 31))], window) == [
        Segment(window.start, window.end, 0, 0)
    ]


def test_segments_cover_the_window_and_split_held_from_confirmed() -> None:
    allocs = [
        alloc("a", 2, interval=hours(-5, 2)),  # clipped at the window's start
        alloc("b", 1, Status.HELD, interval=hours(1, 3), held_until=at(9)),
        alloc("c", 4, interval=hours(5, 30)),  # clipped at its end
        alloc("gone", 9, Status.RELEASED, interval=hours(0, 10)),
    ]
    assert timeline(allocs, hours(0, 10)) == [
        Segment(at(0), at(1), 0, 2),
        Segment(at(1), at(2), 1, 2),
        Segment(at(2), at(3), 1, 0),
        Segment(at(3), at(5), 0, 0),
        Segment(at(5), at(10), 0, 4),
    ]


def test_adjacent_equal_segments_are_merged() -> None:
    allocs = [alloc("a", 1, interval=hours(1, 2)), alloc("b", 1, interval=hours(2, 3))]
    assert timeline(allocs, hours(0, 4)) == [
        Segment(at(0), at(1), 0, 0),
        Segment(at(1), at(3), 0, 1),
        Segment(at(3), at(4), 0, 0),
    ]


def test_a_timeless_allocation_covers_the_whole_window() -> None:
    allocs = [alloc("t", 3), alloc("a", 1, interval=hours(1, 2))]
    assert timeline(allocs, hours(0, 3)) == [
        Segment(at(0), at(1), 0, 3),
        Segment(at(1), at(2), 0, 4),
        Segment(at(2), at(3), 0, 3),
    ]
    segment = timeline([alloc("t", 3)], hours(0, 3))[0]
    assert segment.to_json() == {
        "start": "2025-01-29T07:55:53Z",
        "end": "2025-01-29T10:55:53Z",
        "held": 0,
        "confirmed": 3,
    }


spans = st.tuples(st.integers(-5, 30), st.integers(1, 10), st.integers(0, 4), st.booleans())


@given(st.lists(spans, max_size=12))
def test_a_timeline_matches_the_allocations_at_every_hour(
    drawn: list[tuple[int, int, int, bool]],
) -> None:
    window = hours(0, 24)
    allocs = [
        alloc(
            str(i),
            quantity,
            Status.HELD if held else Status.CONFIRMED,
            hours(start, start + length),
            held_until=at(99) if held else None,
        )
        for i, (start, length, quantity, held) in enumerate(drawn)
    ]
    segments = timeline(allocs, window)
    assert segments[0].start == window.start
    assert segments[-1].end == window.end
    for before, after in pairwise(segments):
        assert before.end == after.start
        assert (before.held, before.confirmed) != (after.held, after.confirmed)
    for segment in segments:
        # Bounds fall on whole hours here: each hour inside a segment sees its numbers.
        hour = segment.start
        while hour < segment.end:
            assert taken(allocs, hour) == Taken(segment.held, segment.confirmed)
            hour += timedelta(hours=1)
