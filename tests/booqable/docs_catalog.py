"""A namespace holding exactly the catalog a docs example was made on, and its comparison.

The 2024/2025 docs' examples name products, bundles and locations that are not in the
default fixtures (and must not be: every list there would change). A golden test puts the
example's own records in its namespace by a state import (`PUT /_sandbox/state`), with their
engine pools, and replays the example there. Records are written in the fixture schema, so a
namespace made this way behaves as one loaded from fixture files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

from booking_sandbox.vendors.booqable.pools import pools
from tests.booqable.conftest import API_KEY, Booqable

GOLDEN = Path(__file__).parent / "golden"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$")
STAMP = "2024-10-21T09:29:00+00:00"


def golden(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((GOLDEN / f"{name}.json").read_text("utf-8"))
    return found


def use_catalog(bq: Booqable, catalog: dict[str, Any]) -> None:
    """The namespace's Booqable catalog becomes `catalog` (no orders but its own)."""
    bq.get("/orders")  # the namespace exists, with its Booqable records
    state = bq.api.get("/_sandbox/state").json()
    doc = {
        "api_keys": [{"key": API_KEY}],
        "product_groups": [],
        "stock_items": [],
        "bundles": [],
        "price_rulesets": [],
        "locations": [],
        "tax_categories": [],
        "customers": [],
        "orders": [],
        **catalog,
    }
    state["catalogs"]["booqable"] = doc
    inventory = state["inventory"]
    ours = [
        {
            "id": p.id,
            "capacity": p.capacity,
            "shortage_limit": p.shortage_limit,
            "units": list(p.units),
        }
        for p in pools(doc)
    ]
    inventory["pools"] = [p for p in inventory["pools"] if not _booqable(p["id"])] + ours
    inventory["allocations"] = [a for a in inventory["allocations"] if not _booqable(a["pool"])]
    del state["vendors"]["booqable"]  # seeded again from the new catalog's orders
    answer = bq.api.put("/_sandbox/state", json=state)
    assert answer.status_code == 200, answer.text


def _booqable(pool_id: str) -> bool:
    return pool_id.startswith("booqable:")


def group(
    group_id: str,
    product_id: str,
    name: str,
    *,
    price: int = 0,
    period: str = "day",
    stock: int = 2,
    tracking: str = "bulk",
    sku: str | None = None,
    slug: str | None = None,
) -> dict[str, Any]:
    """A product group with one product, as the docs' generated examples have them."""
    slug = slug or name.lower().replace(" ", "-")
    common = {"created_at": STAMP, "updated_at": STAMP, "archived": False, "archived_at": None}
    return {
        "id": group_id,
        **common,
        "name": name,
        "slug": slug,
        "sku": sku,
        "lead_time": 0,
        "lag_time": 0,
        "product_type": "rental",
        "tracking_type": tracking,
        "trackable": tracking == "trackable",
        "has_variations": False,
        "extra_information": None,
        "description": None,
        "excerpt": None,
        "show_in_store": True,
        "sorting_weight": 0,
        "base_price_in_cents": price,
        "price_type": "simple",
        "price_period": period,
        "deposit_in_cents": 0,
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
        "allow_shortage": False,
        "shortage_limit": 0,
        "variation_fields": [],
        "flat_fee_price_in_cents": price,
        "structure_price_in_cents": 0,
        "stock_item_properties": [],
        "products": [
            {
                "id": product_id,
                **common,
                "name": name,
                "slug": slug,
                "sku": sku,
                "stock_count": stock,
                "sorting_weight": 1,
                "base_price_in_cents": price,
                "deposit_in_cents": 0,
                "excerpt": None,
                "seo_title": None,
                "seo_description": None,
                "photo_id": None,
                "variation_values": [],
            }
        ],
    }


def location(location_id: str, name: str = "Warehouse") -> dict[str, Any]:
    return {"id": location_id, "name": name, "cluster_ids": []}


def bundle(bundle_id: str, name: str, *items: dict[str, Any]) -> dict[str, Any]:
    return {"id": bundle_id, "name": name, "product_type": "bundle", "bundle_items": list(items)}


def bundle_item(
    item_id: str, group_id: str, product_id: str | None, quantity: int = 1, discount: float = 0.0
) -> dict[str, Any]:
    return {
        "id": item_id,
        "quantity": quantity,
        "discount_percentage": discount,
        "position": 1,
        "product_group_id": group_id,
        "product_id": product_id,
    }


def from_included(product: dict[str, Any], stock: int = 2) -> dict[str, Any]:
    """The group and product an example's included product describes."""
    attributes = product["attributes"]
    return group(
        attributes["product_group_id"],
        product["id"],
        attributes["name"],
        price=attributes["base_price_in_cents"],
        period=attributes["price_period"],
        stock=stock,
        tracking=attributes["tracking_type"],
        sku=attributes["sku"],
        slug=attributes["slug"],
    )


def normalise(document: Any, known: Collection[str] = ()) -> Any:
    """test_golden's normalisation, and UUIDs as object keys too (a hash keyed by planning
    id): a UUID not in `known` becomes `<id N>`, N by first appearance; timestamps `<time>`."""
    names: dict[str, str] = {}

    def name(value: str) -> str:
        return names.setdefault(value, f"<id {len(names) + 1}>")

    def walk(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {
                (name(k) if UUID.match(k) and k not in known else k): walk(v, k)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str):
            if key in ("created_at", "updated_at") and TIME.match(value):
                return "<time>"
            if UUID.match(value) and value not in known:
                return name(value)
        return value

    return walk(document)


def same(ours: Any, theirs: Any, known: Collection[str] = ()) -> None:
    """Equal after normalising, key order included."""
    left = json.dumps(normalise(ours, known), indent=1).splitlines()
    right = json.dumps(normalise(theirs, known), indent=1).splitlines()
    assert left == right  # (lists: pytest shows the differing lines)


def shared_attributes(ours: dict[str, Any], theirs: dict[str, Any]) -> tuple[Any, Any]:
    """Two resource objects reduced to their type, id and the attributes both write (in our
    order): an item resource's attribute list is the catalog resources' business."""
    names = [k for k in ours["attributes"] if k in theirs["attributes"]]
    return (
        {"id": ours["id"], "type": ours["type"], **{k: ours["attributes"][k] for k in names}},
        {"id": theirs["id"], "type": theirs["type"], **{k: theirs["attributes"][k] for k in names}},
    )
