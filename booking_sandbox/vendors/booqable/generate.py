"""Large, seeded Booqable catalogs for load tests.

`generate` builds a document valid against `schemas/fixtures/booqable.schema.json`: about `size`
products spread over product groups of every tracking type (`none`, `bulk`, `trackable`), stock
items for the trackable ones, a few bundles, customers and open (`new`/`concept`) orders. The
same `rng` and Faker seed give the same document, byte for byte once serialised.
"""

from __future__ import annotations

import random
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from faker import Faker

DEMO_API_KEY = "demo-api-key"

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
_EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.org", "example.net")


def _uuid(rng: random.Random) -> str:
    # Seeded, unlike uuid.uuid4(): the same rng state always yields the same ids.
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _slug(text: str) -> str:
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
        "id": _uuid(rng),
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
        "id": _uuid(rng),
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
        status, frm = "expected", _instant(start + timedelta(days=rng.randint(7, 60)))
    elif roll < 0.09:
        # Expired: a temporary (sub-rented) unit whose `till` lies before the start.
        status = "expired"
        frm = _instant(start - timedelta(days=rng.randint(40, 90)))
        till = _instant(start - timedelta(days=rng.randint(1, 30)))
    elif roll < 0.12:
        status = "archived"
    return {
        "id": _uuid(rng),
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


def _customers(fake: Faker, rng: random.Random, count: int, created: str) -> list[dict[str, Any]]:
    customers: list[dict[str, Any]] = []
    for number in range(1, count + 1):
        commercial = rng.random() < 0.2
        name = str(fake.company() if commercial else fake.name())
        # The number keeps e-mails unique even when Faker repeats a name.
        local = _slug(name).replace("-", ".") or "customer"
        customers.append(
            {
                "id": _uuid(rng),
                "created_at": created,
                "updated_at": created,
                "archived": False,
                "archived_at": None,
                "number": number,
                "name": name,
                "email": f"{local}.{number}@{rng.choice(_EMAIL_DOMAINS)}",
                "deposit_type": "default",
                "deposit_value": 0.0,
                "discount_percentage": float(rng.choice((0, 0, 0, 5, 10))),
                "legal_type": "commercial" if commercial else "person",
                "email_marketing_consented": rng.random() < 0.3,
                "email_marketing_consent_updated_at": None,
                "properties": {},
                "tag_list": [],
                "stripe_id": None,
                "merge_suggestion_customer_id": None,
                "tax_region_id": None,
            }
        )
    return customers


def _bundles(
    rng: random.Random, groups: list[dict[str, Any]], count: int, created: str
) -> list[dict[str, Any]]:
    plannable = [g for g in groups if g["tracking_type"] != "none"]
    bundles: list[dict[str, Any]] = []
    if not plannable:
        return bundles
    for index in range(1, count + 1):
        picked = rng.sample(plannable, k=min(len(plannable), rng.randint(2, 3)))
        items = []
        for position, group in enumerate(picked, start=1):
            # A variation group may leave the variation open: it is chosen when booking.
            open_variation = group["has_variations"] and rng.random() < 0.5
            items.append(
                {
                    "id": _uuid(rng),
                    "created_at": created,
                    "updated_at": created,
                    "quantity": rng.randint(1, 4),
                    "discount_percentage": float(rng.choice((0, 5, 10, 15))),
                    "position": position,
                    "product_group_id": group["id"],
                    "product_id": None if open_variation else rng.choice(group["products"])["id"],
                }
            )
        bundles.append(
            {
                "id": _uuid(rng),
                "created_at": created,
                "updated_at": created,
                "archived": False,
                "archived_at": None,
                "name": f"Bundle {index}",
                "slug": f"bundle-{index}",
                "product_type": "bundle",
                "extra_information": None,
                "description": None,
                "excerpt": None,
                "show_in_store": True,
                "sorting_weight": index,
                "discountable": True,
                "taxable": True,
                "seo_title": None,
                "seo_description": None,
                "tag_list": [],
                "photo_id": None,
                "tax_category_id": None,
                "bundle_items": items,
            }
        )
    return bundles


def _orders(
    rng: random.Random,
    customers: list[dict[str, Any]],
    count: int,
    start: datetime,
    created: str,
) -> list[dict[str, Any]]:
    orders: list[dict[str, Any]] = []
    number = 0
    for _ in range(count):
        # Only new/concept: they hold no stock, so the generated inventory starts fully free.
        status = rng.choice(("new", "concept"))
        begins = start + timedelta(days=rng.randint(0, 90), hours=rng.choice((9, 12, 14)))
        ends = begins + timedelta(days=rng.randint(1, 7))
        if status == "concept":
            number += 1
        customer = rng.choice(customers) if rng.random() < 0.9 else None
        orders.append(
            {
                "id": _uuid(rng),
                "created_at": created,
                "updated_at": created,
                "number": number if status == "concept" else None,
                "status": status,
                "starts_at": _instant(begins),
                "stops_at": _instant(ends),
                "customer_id": customer["id"] if customer else None,
                "deposit_type": "percentage",
                "deposit_value": 100.0,
                "discount_type": "percentage",
                "discount_percentage": customer["discount_percentage"] if customer else 0.0,
                "tag_list": [],
                "properties": {},
                "start_location_id": None,
                "stop_location_id": None,
                "tax_region_id": None,
                "coupon_id": None,
            }
        )
    return orders


def generate(fake: Faker, rng: random.Random, *, size: int, start: datetime) -> dict[str, Any]:
    """A Booqable catalog with about `size` products (exactly `size` when `size` >= 1)."""
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    # The catalog predates its first bookable day.
    created = _instant(start - timedelta(days=30))
    groups: list[dict[str, Any]] = []
    stock_items: list[dict[str, Any]] = []
    products = 0
    while products < size:
        index = len(groups) + 1
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
        slug = f"{_slug(name)}-{index}"
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
                slug=slug + (f"-{_slug(values[0])}" if values else ""),
                sku=sku + (f"-{values[0].upper()}" if values else ""),
                stock_count=0 if tracking_type == "none" else rng.randint(1, 50),
                base=group["base_price_in_cents"],
                created=created,
                weight=weight,
                variation_values=values,
            )
            if tracking_type == "trackable":
                units = [
                    _stock_item(
                        rng,
                        identifier=f"{product['sku']}-{n:04d}",
                        product_id=product["id"],
                        start=start,
                        created=created,
                    )
                    for n in range(1, rng.randint(1, 6) + 1)
                ]
                stock_items.extend(units)
                # stock_count is ignored for trackable products; mirror the in_stock units.
                product["stock_count"] = sum(1 for u in units if u["status"] == "in_stock")
            group["products"].append(product)
            products += 1
        groups.append(group)
    customers = _customers(fake, rng, max(10, size // 10), created)
    return {
        "api_keys": [{"key": DEMO_API_KEY}],
        "product_groups": groups,
        "stock_items": stock_items,
        "bundles": _bundles(rng, groups, max(1, size // 100), created),
        "customers": customers,
        "orders": _orders(rng, customers, max(5, size // 50), start, created),
    }
