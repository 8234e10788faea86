"""Memory that stays flat, Booqable's part: with a small --retain-finished, order cycles (create,
book a product, reserve, cancel) through the app keep the heap flat, where keeping everything
grows it by every canceled order with its line, planning and allocation.

tracemalloc over MEASURED cycles after WARM ones (4 write requests each, through the ASGI app
as bench/profile_hotpaths.py drives them): generous bounds, no timings."""

from __future__ import annotations

from bench.profile_hotpaths import booqable_book, booqable_login
from tests.retention_memory import limited_and_all


def test_a_small_limit_keeps_the_heap_flat_where_keeping_all_grows() -> None:
    limited, everything = limited_and_all(booqable_login, booqable_book, warm=100, measured=200)
    # Each kept canceled order with its line, planning and allocation costs ~6 KiB (measured:
    # ~60 KiB kept with the limit, ~1.2 MiB without).
    assert everything > 1024 * 1024
    assert limited < 256 * 1024
    assert limited * 8 < everything
