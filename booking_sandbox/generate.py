"""`booking-sandbox generate`: large, valid, seeded catalogs for load tests."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from faker import Faker

from booking_sandbox.vendors import VENDORS as REGISTERED
from booking_sandbox.vendors import Vendor

# The vendors that can generate a catalog, by name (the CLI's choices).
GENERATORS: dict[str, Vendor] = {v.name: v for v in REGISTERED if v.generate is not None}
VENDORS = tuple(GENERATORS)


def generate_documents(
    vendors: Iterable[str], size: int, seed: int, start: datetime
) -> dict[str, dict[str, Any]]:
    """One document per fixture section, each from its vendor's seeded faker and generator."""
    documents = {}
    for name in vendors:
        vendor = GENERATORS[name]
        assert vendor.generate is not None  # (GENERATORS holds only vendors that generate)
        fake = Faker()
        fake.seed_instance(f"{seed}:{name}")
        rng = random.Random(f"{seed}:{name}")
        documents[vendor.section] = vendor.generate(fake, rng, size=size, start=start)
    return documents


def write_catalog(
    out: Path, vendors: Iterable[str], size: int, seed: int, start: datetime
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for section, document in generate_documents(vendors, size, seed, start).items():
        path = out / f"{section}.json"
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", "utf-8")
        written.append(path)
    return written
