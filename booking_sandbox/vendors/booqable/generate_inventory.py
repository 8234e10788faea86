"""The inventory of a generated Booqable catalog (generate.py puts the catalog together):
product groups of every tracking type, their products, and stock items for the trackable ones.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from faker import Faker

# Rental inventory words: (noun, SKU prefix). Product names are "<noun> <brand> <model>".
_NOUNS: tuple[tuple[str, str], ...] = (
    ("Projector", "PROJ"),
    ("Speaker", "SPK"),
    ("Microphone", "MIC"),
    ("Camera", "CAM"),
    ("Tripod", "TRI"),
    ("Laptop", "LAP"),
    ("Tablet", "TAB"),
    ("Party tent", "TENT"),
    ("Folding chair", "CHAIR"),
    ("Banquet table", "TABLE"),
    ("LED par", "LED"),
    ("Fog machine", "FOG"),
    ("Mixing desk", "MIX"),
    ("Stage deck", "DECK"),
    ("Heater", "HEAT"),
    ("Generator", "GEN"),
    ("E-bike", "BIKE"),
    ("Kayak", "KAYAK"),
)
# `none` tracking is only for services and consumables (reference §4.5).
_SERVICES: tuple[str, ...] = ("Delivery", "Setup crew", "Technician hour", "Cleaning")
_CONSUMABLES: tuple[str, ...] = ("Gaffer tape", "Batteries AA", "Hazer fluid", "Cable ties")
_VARIATION_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("color", ("red", "blue", "green", "black", "white")),
    ("size", ("S", "M", "L", "XL")),
)


def new_id(rng: random.Random) -> str:
    # Seeded, unlike uuid.uuid4(): the same rng state always yields the same ids.
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _group(
    rng: random.Random,
    *,
    name: str,
    slug: str,
    sku: str,
    product_type: str,
    tracking_type: str,
    created: str,
    index: int,
) -> dict[str, Any]:
    none_tracked = tracking_type == "none"
    price_type = "fixed" if none_tracked else rng.choice(("simple", "simple", "fixed"))
    base = rng.randrange(100, 20_000, 50)
    allow_shortage = not none_tracked and rng.random() < 0.3
    return {
        "id": new_id(rng),
        "created_at": created,
        "updated_at": created,
        "archived": False,
        "archived_at": None,
        "name": name,
        "slug": slug,
        "sku": sku,
        "lead_time": 0 if none_tracked else rng.choice((0, 0, 1800, 3600)),
        "lag_time": 0 if none_tracked else rng.choice((0, 0, 1800, 3600)),
        "product_type": product_type,
        "tracking_type": tracking_type,
        "trackable": tracking_type == "trackable",
        "has_variations": False,
        "extra_information": None,
        "description": None,
        "excerpt": None,
        "show_in_store": True,
        "sorting_weight": index,
        "base_price_in_cents": base,
        "price_type": price_type,
        "price_period": "day",
        "deposit_in_cents": 0 if none_tracked else rng.choice((0, 0, 5_000, 10_000)),
        "discountable": True,
        "taxable": True,
        "seo_title": None,
        "seo_description": None,
        "tag_list": [],
        "properties": {},
        "photo_id": None,
        "tax_category_id": None,
        "price_ruleset_id": None,
        "price_structure_id": None,
        "allow_shortage": allow_shortage,
        # A limit only matters when shortage is allowed; keep it 0 otherwise, like the API default.
        "shortage_limit": rng.randint(1, 5) if allow_shortage else 0,
        "variation_fields": [],
        "flat_fee_price_in_cents": base,
        "structure_price_in_cents": 0,
        "stock_item_properties": [],
        "products": [],
    }


def _product(
    rng: random.Random,
    *,
    name: str,
    slug: str,
    sku: str,
    stock_count: int,
    base: int,
    created: str,
    weight: int,
    variation_values: list[str],
) -> dict[str, Any]:
    return {
        "id": new_id(rng),
        "created_at": created,
        "updated_at": created,
        "archived": False,
        "archived_at": None,
        "name": name,
        "slug": slug,
        "sku": sku,
        "stock_count": stock_count,
        "sorting_weight": weight,
        "base_price_in_cents": base,
        "deposit_in_cents": 0,
        "excerpt": None,
        "seo_title": None,
        "seo_description": None,
        "photo_id": None,
        "variation_values": variation_values,
    }


def _stock_item(
    rng: random.Random,
    *,
    identifier: str,
    product_id: str,
    start: datetime,
    created: str,
) -> dict[str, Any]:
    roll = rng.random()
    status, frm, till = "in_stock", None, None
    if roll < 0.06:
        # Expected: only `from` set, arriving after the catalog's start.
        status, frm = "expected", instant(start + timedelta(days=rng.randint(7, 60)))
    elif roll < 0.09:
        # Expired: a temporary (sub-rented) unit whose `till` lies before the start.
        status = "expired"
        frm = instant(start - timedelta(days=rng.randint(40, 90)))
        till = instant(start - timedelta(days=rng.randint(1, 30)))
    elif roll < 0.12:
        status = "archived"
    return {
        "id": new_id(rng),
        "created_at": created,
        "updated_at": created,
        "archived": status == "archived",
        "archived_at": created if status == "archived" else None,
        "identifier": identifier,
        "product_id": product_id,
        "status": status,
        "from": frm,
        "till": till,
        "stock_item_type": "temporary" if till else "regular",
        "properties": {},
        "location_id": None,
    }


def product_groups(
    fake: Faker, rng: random.Random, size: int, start: datetime, created: str
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Product groups of every tracking type, each with its stock items, `size` products."""
    products = 0
    index = 0
    while products < size:
        index += 1
        roll = rng.random()
        if roll < 0.12:
            tracking_type = "none"
            product_type = rng.choice(("service", "consumable"))
            noun = rng.choice(_SERVICES if product_type == "service" else _CONSUMABLES)
            prefix = "SRV" if product_type == "service" else "CON"
        else:
            tracking_type = "bulk" if roll < 0.6 else "trackable"
            noun, prefix = rng.choice(_NOUNS)
            # Bulk may be rental or consumable; trackable is rental only (reference §6).
            consumable = tracking_type == "bulk" and rng.random() < 0.1
            product_type = "consumable" if consumable else "rental"
        name = f"{noun} {fake.last_name()} {rng.randint(100, 999)}"
        slug = f"{slugify(name)}-{index}"
        sku = f"{prefix}-{index:05d}"
        group = _group(
            rng,
            name=name,
            slug=slug,
            sku=sku,
            product_type=product_type,
            tracking_type=tracking_type,
            created=created,
            index=index,
        )
        units: list[dict[str, Any]] = []
        variations: list[list[str]] = [[]]
        if tracking_type != "none" and rng.random() < 0.2 and size - products >= 2:
            field, choices = rng.choice(_VARIATION_FIELDS)
            count = min(size - products, rng.randint(2, 4))
            variations = [[v] for v in rng.sample(choices, k=count)]
            group["has_variations"] = True
            group["variation_fields"] = [field]
        for weight, values in enumerate(variations, start=1):
            suffix = f" - {values[0]}" if values else ""
            product = _product(
                rng,
                name=name + suffix,
                slug=slug + (f"-{slugify(values[0])}" if values else ""),
                sku=sku + (f"-{values[0].upper()}" if values else ""),
                stock_count=0 if tracking_type == "none" else rng.randint(1, 50),
                base=group["base_price_in_cents"],
                created=created,
                weight=weight,
                variation_values=values,
            )
            if tracking_type == "trackable":
                made = [
                    _stock_item(
                        rng,
                        identifier=f"{product['sku']}-{n:04d}",
                        product_id=product["id"],
                        start=start,
                        created=created,
                    )
                    for n in range(1, rng.randint(1, 6) + 1)
                ]
                units.extend(made)
                # stock_count is ignored for trackable products; mirror the in_stock units.
                product["stock_count"] = sum(1 for u in made if u["status"] == "in_stock")
            group["products"].append(product)
            products += 1
        yield group, units
