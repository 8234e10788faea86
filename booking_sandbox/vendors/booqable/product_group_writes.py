"""Product groups: create (with the group's first product), update and archive (DELETE).

Defaults, the generated `slug`/`sku` and the archived slug are DOCS-2024's examples
(reference §4.5). `product_type`, `tracking_type` and `trackable` are `readonly-after-create`:
an update may repeat their value, another one is Graphiti's 400 `unwritable_attribute`.
`sales_item` is accepted on `/api/4` as the later name of `consumable` (the docs of 2025-07:
"both attribute values will be accepted when creating a ProductGroup"); records and both
eras keep writing `consumable`, as the server did until the rename of 2025-10.
A changed `allow_shortage`/`shortage_limit` changes the products' pools: a limit that can no
longer hold what orders reserve is refused with a blocking `shortage` 422 (the engine keeps
its capacity invariant, so `confirm_shortage` cannot override it here).
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.booqable import catalog_writes as cw
from booking_sandbox.vendors.booqable.catalog_resources import PRODUCT_GROUPS
from booking_sandbox.vendors.booqable.errors import not_found, unwritable_attribute
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import document
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, respond, timestamp

Record = dict[str, Any]
KIND = "product_groups"
PRODUCT_TYPES = ("rental", "consumable", "service")
TRACKING = {"rental": ("bulk", "trackable"), "consumable": ("none", "bulk"), "service": ("none",)}
PRICE_TYPES = ("structure", "private_structure", "fixed", "simple", "none")
PRICE_PERIODS = ("hour", "day", "week", "month")
AFTER_CREATE = ("product_type", "tracking_type", "trackable")
# What the request may send; write-only ones are accepted and dropped (photos, properties).
WRITABLE = {
    "name": "string", "slug": "string", "sku": "string?", "lead_time": "integer",
    "lag_time": "integer", "product_type": "string", "tracking_type": "string",
    "trackable": "boolean", "has_variations": "boolean", "extra_information": "string?",
    "description": "string?", "excerpt": "string?", "show_in_store": "boolean",
    "sorting_weight": "integer", "price_type": "string", "price_period": "string",
    "deposit_in_cents": "integer", "discountable": "boolean", "taxable": "boolean",
    "seo_title": "string?", "seo_description": "string?", "tag_list": "array_of_strings",
    "tax_category_id": "uuid?", "price_ruleset_id": "uuid?", "price_structure_id": "uuid?",
    "allow_shortage": "boolean", "shortage_limit": "integer",
    "variation_fields": "array_of_strings", "flat_fee_price_in_cents": "integer",
    "structure_price_in_cents": "integer", "stock_item_properties": "array",
    "properties_attributes": "array", "confirm_shortage": "boolean",
    "remote_photo_url": "string?", "photo_base64": "string?",
}  # fmt: skip
DROPPED = ("properties_attributes", "confirm_shortage", "remote_photo_url", "photo_base64")


def defaults() -> Record:
    """A new group's attributes before the request's (DOCS-2024 create example)."""
    return {
        "archived": False, "archived_at": None, "sku": None, "lead_time": 0, "lag_time": 0,
        "product_type": "rental", "has_variations": False, "extra_information": None,
        "description": None, "excerpt": None, "show_in_store": True, "sorting_weight": 0,
        "price_type": "simple", "price_period": "day", "deposit_in_cents": 0,
        "discountable": True, "taxable": True, "seo_title": None, "seo_description": None,
        "tag_list": [], "properties": {}, "photo_id": None, "tax_category_id": None,
        "price_ruleset_id": None, "price_structure_id": None, "allow_shortage": False,
        "shortage_limit": 0, "variation_fields": [], "flat_fee_price_in_cents": 0,
        "structure_price_in_cents": 0, "stock_item_properties": [],
    }  # fmt: skip


async def create(call: Call) -> Response:
    values, _ = _written(call)
    doc = cw.document(call.store)
    now = timestamp(call.now)
    group: Record = {**defaults(), **values}
    product_type = group["product_type"] = _product_type(group["product_type"])
    if "tracking_type" not in values:
        trackable = values.get("trackable") is True
        group["tracking_type"] = (
            "trackable" if trackable else "none" if product_type == "service" else "bulk"
        )
    group.setdefault("trackable", group["tracking_type"] == "trackable")
    group["name"] = group.get("name")
    cw.raise_problems(_problems(call, group, values))
    taken = (g.get("slug") for g in doc["product_groups"])
    group["slug"] = cw.unique_slug(values.get("slug") or group["name"], taken, "product-group")
    if "sku" not in values:
        group["sku"] = cw.sku_of(group["name"]) or None
    group["base_price_in_cents"] = base_price(group)
    group = {"id": call.space.ids.uuid4(), "created_at": now, "updated_at": now, **group}
    group["products"] = [first_product(call, group, now)]
    cw.apply_pools(call.store, cw.product_pools(doc, [group]), confirm=False)
    doc["product_groups"].append(group)
    cw.commit(call.store)
    return _answer(call, group["id"], 201)


async def update(call: Call) -> Response:
    doc = cw.document(call.store)
    current = _group(doc, call.path_id)
    values, confirm = _written(call)
    for name in AFTER_CREATE:
        if name in values and _same(name, values[name]) != current.get(name):
            raise unwritable_attribute(f"data.attributes.{name}")
        values.pop(name, None)
    group = copy.deepcopy(current)
    group.update(values)
    problems = _problems(call, group, values)
    if current.get("has_variations") and values.get("has_variations") is False:
        problems.append(("has_variations", "cannot be disabled", "invalid"))
    if values.get("slug") is not None:
        slug = cw.parameterize(values["slug"])
        others = {g.get("slug") for g in doc["product_groups"] if g is not current}
        problems += cw.check(bool(slug), ("slug", *cw.BLANK))
        problems += cw.check(slug not in others, ("slug", *cw.TAKEN))
        group["slug"] = slug
    cw.raise_problems(problems)
    group["base_price_in_cents"] = base_price(group)
    now = timestamp(call.now)
    group["updated_at"] = now
    for product in group["products"]:
        follow_group(group, product)
    cw.apply_pools(call.store, cw.product_pools(doc, [group]), confirm=confirm)
    current.clear()
    current.update(group)
    cw.commit(call.store)
    return _answer(call, group["id"])


async def archive(call: Call) -> Response:
    """DELETE archives the group and its products (DOCS-2024: 200, `archived: true`, the slug
    freed as `<slug>-archived-<id>`). Orders keep what they booked; the pools stay."""
    doc = cw.document(call.store)
    group = _group(doc, call.path_id)
    if not group.get("archived"):  # archiving twice keeps the first moment
        now = timestamp(call.now)
        group.update(archived=True, archived_at=now, updated_at=now)
        group["slug"] = f"{group.get('slug') or 'product-group'}-archived-{group['id']}"
        for product in group["products"]:
            if not product.get("archived"):
                product.update(archived=True, archived_at=now, updated_at=now)
        cw.commit(call.store)
    return _answer(call, group["id"], 200, PLAIN_JSON)


def base_price(group: Record) -> int:
    """`base_price_in_cents` is read-only: the price the group's `price_type` uses."""
    kind = group.get("price_type")
    if kind in ("simple", "fixed"):
        return int(group.get("flat_fee_price_in_cents") or 0)
    if kind in ("structure", "private_structure"):
        return int(group.get("structure_price_in_cents") or 0)
    return 0


def first_product(call: Call, group: Record, now: str) -> Record:
    """A group always has a product (reference §4.5): the first one is the group itself."""
    return {
        "id": call.space.ids.uuid4(),
        "created_at": now,
        "updated_at": now,
        "archived": False,
        "archived_at": None,
        "name": group["name"],
        "slug": group["slug"],
        "sku": group["sku"],
        "stock_count": 0,
        "sorting_weight": 1,
        "base_price_in_cents": group["base_price_in_cents"],
        "deposit_in_cents": group["deposit_in_cents"],
        "excerpt": None,
        "seo_title": None,
        "seo_description": None,
        "photo_id": None,
        "variation_values": [],
    }


def follow_group(group: Record, product: Record) -> None:
    """What a product takes from its group: its name and, without variations, its price."""
    product["name"] = variation_name(group["name"], product.get("variation_values") or [])
    if not group.get("has_variations"):
        product["base_price_in_cents"] = group["base_price_in_cents"]


def variation_name(group_name: str, values: list[str]) -> str:
    """`iPad Pro - red` (DOCS-2024 products create); no values: the group's name."""
    return " - ".join([group_name, *values])


def _written(call: Call) -> tuple[Record, bool]:
    """The attributes to store, and whether the request confirms a shortage."""
    values = attributes_of(call, KIND, WRITABLE)
    confirm = values.get("confirm_shortage") is True
    for name in DROPPED:
        values.pop(name, None)
    return values, confirm


def _same(name: str, value: Any) -> Any:
    return _product_type(value) if name == "product_type" else value


def _product_type(value: Any) -> Any:
    return "consumable" if value == "sales_item" else value


def _problems(call: Call, group: Record, values: Record) -> list[cw.Problem]:
    problems: list[cw.Problem] = []
    if "name" in values or "id" not in group:
        problems += cw.check(bool((group.get("name") or "").strip()), ("name", *cw.BLANK))
    sent_type = values.get("product_type")
    allowed = (*PRODUCT_TYPES, "sales_item") if call.query.era.current else PRODUCT_TYPES
    product_type = group.get("product_type")
    if sent_type is not None and sent_type not in allowed:
        problems.append(("product_type", *cw.NOT_LISTED))
    elif group.get("tracking_type") not in TRACKING.get(str(product_type), ()):
        problems.append(("tracking_type", *cw.INVALID))
    if group.get("trackable") != (group.get("tracking_type") == "trackable"):
        problems.append(("trackable", *cw.INVALID))
    if group.get("has_variations") and product_type == "service":
        problems.append(("has_variations", *cw.INVALID))
    if group.get("price_type") not in PRICE_TYPES:
        problems.append(("price_type", *cw.NOT_LISTED))
    if group.get("price_period") not in PRICE_PERIODS:
        problems.append(("price_period", *cw.NOT_LISTED))
    problems += cw.at_least_0(
        group, "lead_time", "lag_time", "deposit_in_cents", "shortage_limit",
        "flat_fee_price_in_cents", "structure_price_in_cents",
    )  # fmt: skip
    if any(not field for field in group.get("variation_fields") or []):
        problems.append(("variation_fields", *cw.INVALID))
    problems += cw.references(
        call.store,
        values,
        tax_category_id="tax_categories",
        price_ruleset_id="price_rulesets",
        price_structure_id="price_structures",
    )
    return problems


def _group(doc: Record, ident: str) -> Record:
    found: Record | None = next((g for g in doc["product_groups"] if g["id"] == ident), None)
    if found is None:
        raise not_found()
    return found


def _answer(call: Call, ident: str, status: int = 200, content_type: str | None = None) -> Response:
    record = call.store.find(KIND, ident)
    assert record is not None
    body = document(call.store, PRODUCT_GROUPS, record, call.query)
    return respond(body, status) if content_type is None else respond(body, status, content_type)
