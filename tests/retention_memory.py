"""Heap growth over write cycles through the ASGI app, with and without a retention limit:
the shared measure of the vendors' "memory that stays flat" tests (tracemalloc, no timings)."""

from __future__ import annotations

import asyncio
import gc
import tracemalloc
from collections.abc import Awaitable, Callable

from bench.profile_hotpaths import Client, build_app

Login = Callable[[Client], Awaitable[object]]
Cycle = Callable[[Client, int], Awaitable[object]]


async def _growth(retain: str, login: Login, cycle: Cycle, warm: int, measured: int) -> int:
    """Bytes the heap grew by over `measured` cycles, after `warm` ones (caches, the first
    retention passes, the namespace itself)."""
    app = build_app(["--retain-finished", retain, "--journal-size", "0"])
    client = Client(app, "memory")
    await login(client)
    for n in range(warm):
        await cycle(client, n)
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    for n in range(warm, warm + measured):
        await cycle(client, n)
    gc.collect()
    return tracemalloc.get_traced_memory()[0] - before


def limited_and_all(login: Login, cycle: Cycle, *, warm: int, measured: int) -> tuple[int, int]:
    """The heap's growth with `--retain-finished 20`, then with `all`."""
    tracemalloc.start()
    try:
        limited = asyncio.run(_growth("20", login, cycle, warm, measured))
        everything = asyncio.run(_growth("all", login, cycle, warm, measured))
    finally:
        tracemalloc.stop()
    return limited, everything
