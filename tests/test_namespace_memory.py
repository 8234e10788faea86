"""A new namespace costs its own state only, whatever the catalog's size (tracemalloc)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from booking_sandbox.app import create_app
from booking_sandbox.core.runtime import Sandbox
from booking_sandbox.core.settings import Settings
from booking_sandbox.generate import write_catalog
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable.catalog import catalog_of as booqable_catalog
from booking_sandbox.vendors.korus.catalog import catalog_of as korus_catalog
from booking_sandbox.vendors.pontcentral.catalog import catalog_of as pont_catalog

START = parse_instant("2026-01-01T00:00:00Z")
KiB = 1024
# Booqable's fixture customers and orders become each namespace's own records (its state,
# seeded in seeding.py): they grow with a generated catalog and are not counted here.
STATE = tracemalloc.Filter(False, "*/booqable/seeding.py", all_frames=True)


def namespace_cost(tmp: Path, size: int) -> tuple[int, int]:
    """(bytes a new namespace keeps besides its seeded records, bytes in all)."""
    write_catalog(tmp, ["korus", "pontcentral", "booqable"], size, 1, START)
    sandbox: Sandbox = create_app(Settings(fixtures=tmp, start_time=START)).state.sandbox
    first = sandbox.namespaces.get("default")  # the shared pools are built here, once
    for catalog_of in (booqable_catalog, korus_catalog, pont_catalog):
        catalog_of(first)  # and the shared indexes, on first use
    tracemalloc.start(40)
    try:
        space = sandbox.namespaces.get("fresh")
        for catalog_of in (booqable_catalog, korus_catalog, pont_catalog):
            catalog_of(space)  # a first request in the namespace builds no index again
        snapshot = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    total = sum(s.size for s in snapshot.statistics("filename"))
    besides_state = sum(s.size for s in snapshot.filter_traces([STATE]).statistics("filename"))
    return besides_state, total


def test_a_new_namespace_does_not_grow_with_the_catalog(tmp_path: Path) -> None:
    small, small_total = namespace_cost(tmp_path / "small", 100)
    large, large_total = namespace_cost(tmp_path / "large", 1500)
    # Copying and indexing the catalog per namespace cost 15 MiB here at 1,500 (and 345 MiB
    # on 100,000 Korus sessions); shared, a namespace keeps about 5 KiB besides its records.
    assert small < 256 * KiB
    assert large < 256 * KiB
    assert large - small < 64 * KiB  # 15 times the catalog: the same cost
    assert large_total < 1024 * KiB  # state included
    assert small_total <= large_total
