"""Engine rates at 1k, 100k and 1M live allocations (python bench/engine_bench.py).

Two layouts: `spread` (100 allocations per pool, many pools, like a big catalog) and
`one-pool` (every allocation in one pool, spread over time, like a resource booked for
years). Each size measures, against that many live allocations: allocate (one timed line),
availability over a one-hour interval, and release. Timings are medians of 5 rounds, in CPU
time (time.process_time): on a shared machine wall time also counts the other processes.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from booking_sandbox.engine import Interval, Inventory, Line, Pool

T0 = datetime(2026, 1, 1, tzinfo=UTC)
OPS = 2000


def slot(i: int) -> Interval:
    start = T0 + timedelta(hours=i)
    return Interval(start, start + timedelta(hours=2))


def build(size: int, layout: str) -> tuple[Inventory, Callable[[int], str]]:
    inv = Inventory(lambda: T0)
    per_pool = 100 if layout == "spread" else size
    pools = max(1, size // per_pool)
    for p in range(pools):
        inv.add_pool(Pool(f"p{p}", 10**9))

    def pool_of(i: int) -> str:
        return f"p{i % pools}"

    for i in range(size):
        inv.allocate([Line(pool_of(i), 1, slot(i // pools))], owner=f"o{i}")
    return inv, pool_of


def rate(action: Callable[[int], object]) -> float:
    rounds = []
    for _ in range(5):
        start = time.process_time()
        for i in range(OPS):
            action(i)
        rounds.append(time.process_time() - start)
    return OPS / statistics.median(rounds)


def measure(size: int, layout: str) -> dict[str, float]:
    inv, pool_of = build(size, layout)
    gc.collect()
    created: list[str] = []

    def allocate(i: int) -> None:
        (a,) = inv.allocate([Line(pool_of(i), 1, slot(i % 5000))], owner="bench")
        created.append(a.id)

    def availability(i: int) -> None:
        inv.availability(
            pool_of(i), Interval(slot(i % 5000).start, slot(i % 5000).start + timedelta(hours=1))
        )

    def release(i: int) -> None:
        inv.release([created.pop()])

    result = {"allocate/s": rate(allocate), "availability/s": rate(availability)}
    # release exactly what the allocate rounds made, so the live count is back to `size`
    result["release/s"] = rate(release)
    assert len(inv.allocations()) == size + 5 * OPS
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--layouts", default="spread,one-pool")
    args = parser.parse_args()
    print("| layout | live allocations | allocate/s | availability/s | release/s |")
    print("|---|---:|---:|---:|---:|")
    for layout in args.layouts.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            r = measure(size, layout)
            print(
                f"| {layout} | {size:,} | {r['allocate/s']:,.0f} | "
                f"{r['availability/s']:,.0f} | {r['release/s']:,.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
