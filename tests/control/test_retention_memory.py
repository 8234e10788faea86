"""Memory that stays flat: with a small --retain-finished, create + cancel cycles through the
app keep the heap flat, where keeping everything grows it by every cancelled booking.

tracemalloc over 700 Pont Central create + cancel cycles after 300 (2,000 write requests in
all, through the ASGI app as bench/retention_bench.py drives it): generous bounds (measured:
~40 KiB kept with the limit, ~2 MiB without), no timings."""

from __future__ import annotations

from bench.profile_hotpaths import pont_create_cancel, pont_login
from tests.retention_memory import limited_and_all


def test_a_small_limit_keeps_the_heap_flat_where_keeping_all_grows() -> None:
    limited, everything = limited_and_all(pont_login, pont_create_cancel, warm=300, measured=700)
    # Each kept cancelled booking with its allocation costs ~3 KiB: 700 of them > 1 MiB.
    assert everything > 1024 * 1024
    assert limited < 256 * 1024
    assert limited * 8 < everything
