"""The pool index keeps released allocations as stale entries until a rebuild: never visible."""

from __future__ import annotations

import random
from datetime import timedelta

from booking_sandbox.engine import Interval, Inventory, Line, Pool
from booking_sandbox.engine.index import _BUCKET, SortedEntries
from tests.engine.conftest import T0, FakeClock, hours


def test_sorted_entries_built_from_a_sorted_list() -> None:
    entries = [(i // 3, f"a{i:05}") for i in range(3 * _BUCKET + 7)]
    built = SortedEntries(entries)
    assert list(built.entries()) == entries
    assert len(built) == len(entries)
    assert list(built.ids_from(10, 12)) == [e[1] for e in entries if 10 <= e[0] < 12]
    assert list(SortedEntries().entries()) == []


def test_released_allocations_never_count_again_across_rebuilds() -> None:
    """Many releases in one pool (several rebuilds) against a brute-force count."""
    rng = random.Random(7)
    inv = Inventory(FakeClock())
    inv.add_pool(Pool("p", 10**6))
    live: dict[str, Interval] = {}
    for step in range(3000):
        if live and rng.random() < 0.45:
            ident = rng.choice(sorted(live))
            inv.release([ident])
            del live[ident]
        else:
            start = rng.randrange(0, 200)
            (alloc,) = inv.allocate(
                [Line("p", 1, hours(start, start + rng.randrange(1, 5)))], owner="o"
            )
            assert alloc.interval is not None
            live[alloc.id] = alloc.interval
        if step % 97 == 0:
            first = rng.randrange(0, 200)
            at = hours(first, first + 1)
            expected = sum(1 for i in live.values() if i.overlaps(at))
            assert inv.availability("p", at).taken == expected
    assert {a.id for a in inv.allocations() if a.status.value == "confirmed"} == set(live)
    everything = Interval(T0 - timedelta(days=1), T0 + timedelta(days=30))
    index = inv._idx("p")
    assert {a.id for a in index.timed_overlapping(everything)} == set(live)
    assert {a.id for a in index.timed_overlapping(None)} == set(live)


def test_releasing_one_slot_over_and_over_leaves_few_stale_entries() -> None:
    """Book and cancel the same slot (a checkout retried): queries do not wade through ghosts."""
    inv = Inventory(FakeClock())
    inv.add_pool(Pool("p", 1))
    for _ in range(1000):
        (alloc,) = inv.allocate([Line("p", 1, hours(0, 2))], owner="o")
        inv.release([alloc.id])
    assert len(inv._idx("p").timed) <= 9
    assert inv.availability("p", hours(0, 1)).free == 1
