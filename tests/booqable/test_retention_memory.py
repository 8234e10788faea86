"""Memory that stays flat, Booqable's part: with a small --retain-finished, order cycles (create,
book a product, reserve, cancel) through the app keep the heap flat, where keeping everything
grows it by every canceled order with its line, planning and allocation.

tracemalloc over MEASURED cycles after WARM ones (4 write requests each, through the ASGI app
as bench/profile_hotpaths.py drives them): generous bounds, no timings."""

from __future__ import annotations

import asyncio
import gc
import tracemalloc

from bench.profile_hotpaths import Client, booqable_book, booqable_login, build_app

WARM = 100  # cycles before the first measure: caches, the first passes, the namespace
MEASURED = 200


async def _growth(retain: str) -> int:
    """Bytes the heap grew by over MEASURED cycles, after WARM ones."""
    app = build_app(["--retain-finished", retain, "--journal-size", "0"])
    client = Client(app, "memory")
    await booqable_login(client)
    for n in range(WARM):
        await booqable_book(client, n)
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    for n in range(WARM, WARM + MEASURED):
        await booqable_book(client, n)
    gc.collect()
    return tracemalloc.get_traced_memory()[0] - before


def test_a_small_limit_keeps_the_heap_flat_where_keeping_all_grows() -> None:
    tracemalloc.start()
    try:
        limited = asyncio.run(_growth("20"))
        everything = asyncio.run(_growth("all"))
    finally:
        tracemalloc.stop()
    # Each kept canceled order with its line, planning and allocation costs ~6 KiB (measured:
    # ~60 KiB kept with the limit, ~1.2 MiB without).
    assert everything > 1024 * 1024
    assert limited < 256 * 1024
    assert limited * 8 < everything
