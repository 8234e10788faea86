"""What a generated Booqable catalog adds to its inventory (generate.py puts it together):
customers, bundles of its plannable product groups, and open orders for the customers.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from faker import Faker

from booking_sandbox.vendors.booqable.generate_inventory import instant, new_id, slugify

_EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.org", "example.net")

# A plannable product group as bundles need it: its id, whether it has variations, its products.
Plannable = tuple[str, bool, tuple[str, ...]]


def customers(
    fake: Faker, rng: random.Random, count: int, created: str
) -> Iterator[dict[str, Any]]:
    for number in range(1, count + 1):
        commercial = rng.random() < 0.2
        name = str(fake.company() if commercial else fake.name())
        # The number keeps e-mails unique even when Faker repeats a name.
        local = slugify(name).replace("-", ".") or "customer"
        yield (
            {
                "id": new_id(rng),
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


def bundles(
    rng: random.Random, plannable: list[Plannable], count: int, created: str
) -> Iterator[dict[str, Any]]:
    if not plannable:
        return
    for index in range(1, count + 1):
        picked = rng.sample(plannable, k=min(len(plannable), rng.randint(2, 3)))
        items = []
        for position, (group_id, has_variations, product_ids) in enumerate(picked, start=1):
            # A variation group may leave the variation open: it is chosen when booking.
            open_variation = has_variations and rng.random() < 0.5
            items.append(
                {
                    "id": new_id(rng),
                    "created_at": created,
                    "updated_at": created,
                    "quantity": rng.randint(1, 4),
                    "discount_percentage": float(rng.choice((0, 5, 10, 15))),
                    "position": position,
                    "product_group_id": group_id,
                    "product_id": None if open_variation else rng.choice(product_ids),
                }
            )
        yield (
            {
                "id": new_id(rng),
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


def orders(
    rng: random.Random,
    customers: list[tuple[str, float]],
    count: int,
    start: datetime,
    created: str,
) -> Iterator[dict[str, Any]]:
    number = 0
    for _ in range(count):
        # Only new/concept: they hold no stock, so the generated inventory starts fully free.
        status = rng.choice(("new", "concept"))
        begins = start + timedelta(days=rng.randint(0, 90), hours=rng.choice((9, 12, 14)))
        ends = begins + timedelta(days=rng.randint(1, 7))
        if status == "concept":
            number += 1
        customer = rng.choice(customers) if rng.random() < 0.9 else None
        yield (
            {
                "id": new_id(rng),
                "created_at": created,
                "updated_at": created,
                "number": number if status == "concept" else None,
                "status": status,
                "starts_at": instant(begins),
                "stops_at": instant(ends),
                "customer_id": customer[0] if customer else None,
                "deposit_type": "percentage",
                "deposit_value": 100.0,
                "discount_type": "percentage",
                "discount_percentage": customer[1] if customer else 0.0,
                "tag_list": [],
                "properties": {},
                "start_location_id": None,
                "stop_location_id": None,
                "tax_region_id": None,
                "coupon_id": None,
            }
        )
