"""`booking-sandbox generate`: large, valid, seeded catalogs for load tests.

Needs the `generate` extra (faker, and tqdm for the progress bar), though only to make a
catalog: importing this module needs neither, so the CLI can parse and answer `--help` first.
Each vendor's generator makes its big lists as they are written, so memory stays flat in the
catalog's size.

The progress bar is tqdm's: one small pure-Python package without dependencies, and its
`disable=None` is the documented switch for "draw only when the stream is a terminal", so
logs and CI get no bar.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from booking_sandbox.core.lazydoc import materialise, write_json
from booking_sandbox.vendors import VENDORS as REGISTERED
from booking_sandbox.vendors import Vendor

# The vendors that can generate a catalog, by name (the CLI's choices).
GENERATORS: dict[str, Vendor] = {v.name: v for v in REGISTERED if v.generate is not None}
VENDORS = tuple(GENERATORS)

# For one vendor: a callback told how many of its size units (sessions, products) were made.
Progress = Callable[[int], None]


def _ignore(done: int) -> None:
    pass


@contextmanager
def terminal_progress(
    total: int, stream: TextIO | None = None
) -> Iterator[Callable[[str], Progress]]:
    """A bar over `total` units on `stream` (stderr) if it is a terminal; yields, per vendor
    name, the callback its generator reports to."""
    out = stream or sys.stderr
    try:
        from tqdm import tqdm
    except ModuleNotFoundError:  # installed without the extra's bar: generate all the same
        yield lambda name: _ignore
        return
    with tqdm(total=total, file=out, disable=None, unit=" items", dynamic_ncols=True) as bar:

        def for_vendor(name: str) -> Progress:
            bar.set_description(name)

            def made(done: int) -> None:
                bar.update(done)

            return made

        yield for_vendor


def lazy_document(
    name: str, size: int, seed: int, start: datetime, progress: Progress = _ignore
) -> tuple[str, dict[str, Any]]:
    """(fixture section, document) from the vendor's seeded faker and generator; its big lists
    are made as they are read."""
    from faker import Faker  # the extra's: ModuleNotFoundError without it

    vendor = GENERATORS[name]
    assert vendor.generate is not None  # (GENERATORS holds only vendors that generate)
    fake = Faker()
    fake.seed_instance(f"{seed}:{name}")
    rng = random.Random(f"{seed}:{name}")
    return vendor.section, vendor.generate(fake, rng, size=size, start=start, progress=progress)


def generate_documents(
    vendors: Iterable[str], size: int, seed: int, start: datetime
) -> dict[str, dict[str, Any]]:
    """One whole document per fixture section, as `write_catalog` would write it (small sizes:
    the generators' tests and the benchmarks)."""
    documents = {}
    for name in vendors:
        section, document = lazy_document(name, size, seed, start)
        documents[section] = materialise(document)
    return documents


def write_catalog(
    out: Path,
    vendors: Iterable[str],
    size: int,
    seed: int,
    start: datetime,
    progress: Callable[[str], Progress] = lambda name: _ignore,
) -> list[Path]:
    """Write one `<section>.json` per vendor; `progress(vendor)` hears of its size units."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in vendors:
        section, document = lazy_document(name, size, seed, start, progress(name))
        path = out / f"{section}.json"
        # Under another name until complete (the loader reads `<section>.json`/`.yaml` only):
        # a failed or interrupted run leaves no truncated catalog where the server would look.
        partial = path.with_name(path.name + ".part")
        try:
            with partial.open("w", encoding="utf-8", buffering=1 << 20) as file:
                write_json(file, document)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(path)
        written.append(path)
    return written
