"""`booking-sandbox generate`: large, valid, seeded catalogs for load tests."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from faker import Faker

Generator = Callable[..., dict[str, Any]]
VENDORS = ("korus", "pontcentral", "booqable")


def _generator(vendor: str) -> Generator:
    # Imported on demand: serving never needs faker-heavy generator code.
    from booking_sandbox.generate.booqable import generate as booqable
    from booking_sandbox.generate.korus import generate as korus
    from booking_sandbox.generate.pontcentral import generate as pontcentral

    generators: dict[str, Generator] = {
        "korus": korus,
        "pontcentral": pontcentral,
        "booqable": booqable,
    }
    return generators[vendor]


def generate_documents(
    vendors: Iterable[str], size: int, seed: int, start: datetime
) -> dict[str, dict[str, Any]]:
    """One document per vendor, each from its own seeded faker and generator."""
    documents = {}
    for vendor in vendors:
        fake = Faker()
        fake.seed_instance(f"{seed}:{vendor}")
        rng = random.Random(f"{seed}:{vendor}")
        documents[vendor] = _generator(vendor)(fake, rng, size=size, start=start)
    return documents


def write_catalog(
    out: Path, vendors: Iterable[str], size: int, seed: int, start: datetime
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for vendor, document in generate_documents(vendors, size, seed, start).items():
        path = out / f"{vendor}.json"
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", "utf-8")
        written.append(path)
    return written
