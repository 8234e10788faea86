"""Products: create (a variation), update and archive (DELETE), reference §4.6.

"Products … can only be created separately if the group has variations enabled": a product
of a group without variations is a 422 on `product_group_id`. A variation is named after its
group and values (`iPad Pro - red`), slugged from that name, weighted after its siblings, has
no sku and no stock (stock comes through stock adjustments or stock items), and gets its
pool at once. `base_price_in_cents` is writable only in a group with variations.
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.booqable import catalog_writes as cw
from booking_sandbox.vendors.booqable.catalog_resources import PRODUCTS
from booking_sandbox.vendors.booqable.errors import not_found, unwritable_attribute
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import document
from booking_sandbox.vendors.booqable.product_group_writes import variation_name
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, respond, timestamp

Record = dict[str, Any]
KIND = "products"
WRITABLE = {
    "product_group_id": "uuid",
    "variation_values": "array_of_strings",
    "slug": "string",
    "sku": "string?",
    "excerpt": "string?",
    "sorting_weight": "integer",
    "base_price_in_cents": "integer",
    "deposit_in_cents": "integer",
    "seo_title": "string?",
    "seo_description": "string?",
    "photo_id": "uuid?",
    "confirm_shortage": "boolean",  # write-only; no product attribute changes stock
}


async def create(call: Call) -> Response:
    values = _written(call)
    doc = cw.document(call.store)
    group = _group_of(doc, values.get("product_group_id"))
    if group is None:
        raise cw.refuse(("product_group_id", *cw.MISSING))
    if not group.get("has_variations"):
        raise cw.refuse(("product_group_id", "must have variations enabled", "invalid"))
    now = timestamp(call.now)
    product: Record = {
        "id": call.space.ids.uuid4(),
        "created_at": now,
        "updated_at": now,
        "archived": False,
        "archived_at": None,
        "name": "",
        "slug": "",
        "sku": None,
        "stock_count": 0,
        "sorting_weight": 1 + max(p.get("sorting_weight", 0) for p in group["products"]),
        "base_price_in_cents": group.get("base_price_in_cents", 0),
        "deposit_in_cents": group.get("deposit_in_cents", 0),
        "excerpt": None,
        "seo_title": None,
        "seo_description": None,
        "photo_id": None,
        "variation_values": [],
        **{k: v for k, v in values.items() if k != "product_group_id"},
    }
    cw.raise_problems(_problems(group, product, values, creating=True) + _photo(doc, group, values))
    product["name"] = variation_name(group["name"], product["variation_values"])
    taken = (p.get("slug") for g in doc["product_groups"] for p in g["products"])
    product["slug"] = cw.unique_slug(values.get("slug") or product["name"], taken, "product")
    changed = {**group, "products": [*group["products"], product]}
    cw.apply_pools(call.store, cw.product_pools(doc, [changed]), confirm=False)
    group["products"].append(product)
    cw.commit(call.store)
    return _answer(call, product["id"], 201)


async def update(call: Call) -> Response:
    doc = cw.document(call.store)
    group, current = _find(doc, call.path_id)
    values = _written(call)
    if values.pop("product_group_id", group["id"]) != group["id"]:
        raise unwritable_attribute("data.attributes.product_group_id")
    product = {**copy.deepcopy(current), **values}
    problems = _problems(group, product, values) + _photo(doc, group, values)
    if "base_price_in_cents" in values and not group.get("has_variations"):
        problems.append(("base_price_in_cents", "is inherited from the product group", "invalid"))
    if values.get("slug") is not None:
        slug = cw.parameterize(values["slug"])
        others = {p.get("slug") for g in doc["product_groups"] for p in g["products"]}
        problems += cw.check(bool(slug), ("slug", *cw.BLANK))
        problems += cw.check(slug == current.get("slug") or slug not in others, ("slug", *cw.TAKEN))
        product["slug"] = slug
    cw.raise_problems(problems)
    product["name"] = variation_name(group["name"], product.get("variation_values") or [])
    product["updated_at"] = timestamp(call.now)
    current.clear()
    current.update(product)
    cw.commit(call.store)
    return _answer(call, product["id"])


async def archive(call: Call) -> Response:
    """DELETE archives (DOCS-2024 "Archiving a product": 200, `archived: true`). Orders keep
    what they booked and the pool stays, so their reservations still count."""
    _, product = _find(cw.document(call.store), call.path_id)
    if not product.get("archived"):  # archiving twice keeps the first moment
        now = timestamp(call.now)
        product.update(archived=True, archived_at=now, updated_at=now)
        cw.commit(call.store)
    return _answer(call, product["id"], 200, PLAIN_JSON)


def _written(call: Call) -> Record:
    values = attributes_of(call, KIND, WRITABLE)
    values.pop("confirm_shortage", None)
    return values


def _problems(
    group: Record, product: Record, values: Record, *, creating: bool = False
) -> list[cw.Problem]:
    problems = cw.at_least_0(values, "base_price_in_cents", "deposit_in_cents")
    if group.get("has_variations") and ("variation_values" in values or creating):
        wanted = product.get("variation_values") or []
        fields = group.get("variation_fields") or []
        if len(wanted) != len(fields) or not all(v.strip() for v in wanted):
            problems.append(("variation_values", *cw.INVALID))
        elif any(
            p["id"] != product["id"] and p.get("variation_values") == wanted
            for p in group["products"]
        ):
            problems.append(("variation_values", *cw.TAKEN))
    elif values.get("variation_values"):
        problems.append(("variation_values", *cw.INVALID))
    return problems


def _photo(doc: Record, group: Record, values: Record) -> list[cw.Problem]:
    """A chosen photo is one of the group's: the state import refuses any other."""
    ident = values.get("photo_id")
    owned = {p["id"] for p in doc.get("photos", []) if p.get("owner_id") == group["id"]}
    return cw.check(ident is None or ident in owned, ("photo_id", *cw.MISSING))


def _group_of(doc: Record, ident: Any) -> Record | None:
    found: Record | None = next((g for g in doc["product_groups"] if g["id"] == ident), None)
    return found


def _find(doc: Record, ident: str) -> tuple[Record, Record]:
    found = cw.find_product(doc, ident)
    if found is None:
        raise not_found()
    return found


def _answer(call: Call, ident: str, status: int = 200, content_type: str | None = None) -> Response:
    record = call.store.find(KIND, ident)
    assert record is not None
    body = document(call.store, PRODUCTS, record, call.query)
    return respond(body, status) if content_type is None else respond(body, status, content_type)
