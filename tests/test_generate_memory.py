"""`generate` streams: its peak memory (tracemalloc, in-process) does not grow with --size.

Making whole documents first peaked at about 11 MB more for 1,000 of each vendor than for
100 (23 MB more at 2,000); written as they are made, the two peaks are within a few MB.
"""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from booking_sandbox.generate import VENDORS, write_catalog

pytest.importorskip("faker")

START = datetime(2026, 1, 1, tzinfo=UTC)


def peak_bytes(out: Path, size: int) -> int:
    tracemalloc.start()
    try:
        write_catalog(out, VENDORS, size, 1, START)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_generate_peak_memory_is_flat_in_size(tmp_path: Path) -> None:
    write_catalog(tmp_path / "warm", VENDORS, 3, 1, START)  # imports and faker's providers
    small = peak_bytes(tmp_path / "small", 100)
    large = peak_bytes(tmp_path / "large", 1000)
    assert large - small < 5_000_000, (small, large)
