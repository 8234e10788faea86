"""Memory that stays flat: with a small --retain-finished, create + cancel cycles through the
app keep the heap flat, where keeping everything grows it by every cancelled booking.

tracemalloc over 700 Pont Central create + cancel cycles after 300 (2,000 write requests in
all, through the ASGI app as bench/retention_bench.py drives it): generous bounds (measured:
~40 KiB kept with the limit, ~2 MiB without), no timings."""

from __future__ import annotations

import asyncio
import gc
import tracemalloc

from bench.profile_hotpaths import Client, build_app, pont_create_cancel, pont_login

WARM = 300  # cycles before the first measure: caches, the first passes, the namespace
MEASURED = 700


async def _growth(retain: str) -> int:
    """Bytes the heap grew by over MEASURED cycles, after WARM ones."""
    app = build_app(["--retain-finished", retain, "--journal-size", "0"])
    client = Client(app, "memory")
    await pont_login(client)
    for n in range(WARM):
        await pont_create_cancel(client, n)
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    for n in range(WARM, WARM + MEASURED):
        await pont_create_cancel(client, n)
    gc.collect()
    return tracemalloc.get_traced_memory()[0] - before


def test_a_small_limit_keeps_the_heap_flat_where_keeping_all_grows() -> None:
    tracemalloc.start()
    try:
        limited = asyncio.run(_growth("20"))
        everything = asyncio.run(_growth("all"))
    finally:
        tracemalloc.stop()
    # Each kept cancelled booking with its allocation costs ~3 KiB: 700 of them > 1 MiB.
    assert everything > 1024 * 1024
    assert limited < 256 * 1024
    assert limited * 8 < everything
