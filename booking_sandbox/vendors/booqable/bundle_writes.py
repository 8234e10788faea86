"""Bundles (create with `bundle_items_attributes`, update, archive) and bundle items (create,
update, delete), reference §4.7 and DOCS-2024 `_bundle_items.md`.

Bundles take no stock of their own (their products' plannings do), so no pool changes here.
A bundle item names a product group and, when the group has no variations, one of its
products (DOCS-HEAD: "This relation is required when `product_group` does not have
variations"). `bundle_items_attributes` on an update follows Rails' nested attributes: an
entry with `id` changes that item (`_destroy: true` removes it), one without adds an item.
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.booqable import catalog_writes as cw
from booking_sandbox.vendors.booqable.catalog_resources import BUNDLE_ITEMS, BUNDLES
from booking_sandbox.vendors.booqable.errors import (
    not_found,
    type_error,
    unwritable_attribute,
)
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import Resource, document
from booking_sandbox.vendors.booqable.request_body import attributes_of, cast_entry, refuse
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, respond, timestamp

Record = dict[str, Any]
BUNDLE_WRITABLE = {
    "name": "string", "slug": "string", "extra_information": "string?",
    "description": "string?", "excerpt": "string?", "show_in_store": "boolean",
    "sorting_weight": "integer", "discountable": "boolean", "taxable": "boolean",
    "seo_title": "string?", "seo_description": "string?", "tag_list": "array_of_strings",
    "tax_category_id": "uuid?", "bundle_items_attributes": "array",
    "remote_photo_url": "string?", "photo_base64": "string?",
}  # fmt: skip
ITEM_WRITABLE = {
    "bundle_id": "uuid",
    "product_group_id": "uuid",
    "product_id": "uuid?",
    "quantity": "integer",
    "discount_percentage": "float",
    "position": "integer",
}
AFTER_CREATE = ("bundle_id", "product_group_id")


async def create_bundle(call: Call) -> Response:
    values = _bundle_values(call)
    doc = cw.document(call.store)
    now = timestamp(call.now)
    bundle: Record = {
        "id": call.space.ids.uuid4(), "created_at": now, "updated_at": now,
        "archived": False, "archived_at": None, "name": None, "slug": "",
        "product_type": "bundle", "extra_information": None, "description": None,
        "excerpt": None, "show_in_store": True, "sorting_weight": 0, "discountable": True,
        "taxable": True, "seo_title": None, "seo_description": None, "tag_list": [],
        "photo_id": None, "tax_category_id": None, "bundle_items": [],
    }  # fmt: skip
    entries = values.pop("bundle_items_attributes", None) or []
    bundle.update(values)
    problems = _bundle_problems(call, bundle, values, creating=True)
    cw.raise_problems(problems)
    taken = (b.get("slug") for b in doc.get("bundles", []))
    bundle["slug"] = cw.unique_slug(values.get("slug") or bundle["name"], taken, "bundle")
    _nested(call, doc, bundle, entries, now)
    doc.setdefault("bundles", []).append(bundle)
    cw.commit(call.store)
    return _answer(call, BUNDLES, bundle["id"], 201)


async def update_bundle(call: Call) -> Response:
    doc = cw.document(call.store)
    current = _bundle(doc, call.path_id)
    values = _bundle_values(call)
    entries = values.pop("bundle_items_attributes", None) or []
    bundle = {**copy.deepcopy(current), **values}
    problems = _bundle_problems(call, bundle, values)
    if values.get("slug") is not None:
        slug = cw.parameterize(values["slug"])
        others = {b.get("slug") for b in doc["bundles"] if b is not current}
        problems += cw.check(bool(slug), ("slug", *cw.BLANK))
        problems += cw.check(slug not in others, ("slug", *cw.TAKEN))
        bundle["slug"] = slug
    cw.raise_problems(problems)
    now = timestamp(call.now)
    _nested(call, doc, bundle, entries, now)
    bundle["updated_at"] = now
    current.clear()
    current.update(bundle)
    cw.commit(call.store)
    return _answer(call, BUNDLES, bundle["id"])


async def archive_bundle(call: Call) -> Response:
    """DELETE archives (DOCS-2024 "Archiving a bundle"); orders keep what they booked."""
    bundle = _bundle(cw.document(call.store), call.path_id)
    if not bundle.get("archived"):
        now = timestamp(call.now)
        bundle.update(archived=True, archived_at=now, updated_at=now)
        cw.commit(call.store)
    return _answer(call, BUNDLES, bundle["id"], 200, PLAIN_JSON)


async def create_item(call: Call) -> Response:
    values = attributes_of(call, "bundle_items", ITEM_WRITABLE)
    doc = cw.document(call.store)
    bundle = next((b for b in doc.get("bundles", []) if b["id"] == values.get("bundle_id")), None)
    if bundle is None:
        raise cw.refuse(("bundle_id", *cw.MISSING))
    item = _new_item(call, doc, bundle, values, timestamp(call.now))
    bundle["bundle_items"].append(item)
    cw.commit(call.store)
    return _answer(call, BUNDLE_ITEMS, item["id"], 201)


async def update_item(call: Call) -> Response:
    doc = cw.document(call.store)
    bundle, current = _item(doc, call.path_id)
    values = attributes_of(call, "bundle_items", ITEM_WRITABLE)
    for name in AFTER_CREATE:
        mine = bundle["id"] if name == "bundle_id" else current.get(name)
        if values.pop(name, mine) != mine:
            raise unwritable_attribute(f"data.attributes.{name}")
    item = {**current, **values}
    cw.raise_problems(_item_problems(doc, item))
    item["updated_at"] = timestamp(call.now)
    current.clear()
    current.update(item)
    cw.commit(call.store)
    return _answer(call, BUNDLE_ITEMS, item["id"])


async def delete_item(call: Call) -> Response:
    """DELETE removes the item; the answer is the item as it was (DOCS-2024)."""
    doc = cw.document(call.store)
    bundle, item = _item(doc, call.path_id)
    record = call.store.find("bundle_items", item["id"])
    assert record is not None
    body = document(call.store, BUNDLE_ITEMS, record, call.query)
    bundle["bundle_items"].remove(item)
    cw.commit(call.store)
    return respond(body, 200, PLAIN_JSON)


def _nested(call: Call, doc: Record, bundle: Record, entries: list[Any], now: str) -> None:
    """`bundle_items_attributes`: every entry checked before any is applied."""
    items = bundle["bundle_items"] = [dict(i) for i in bundle["bundle_items"]]
    for i, entry in enumerate(entries):
        path = f"data.attributes.bundle_items_attributes.{i}"
        if not isinstance(entry, dict):
            raise type_error(path, "hash")
        values = _entry_values(entry, path)
        ident = values.pop("id", None)
        destroy = values.pop("_destroy", False)
        if ident is None:
            items.append(_new_item(call, doc, bundle, values, now))
            continue
        target = next((item for item in items if item["id"] == ident), None)
        if target is None:
            raise not_found()
        if destroy:
            items.remove(target)
            continue
        target.update({k: v for k, v in values.items() if k not in AFTER_CREATE})
        cw.raise_problems(_item_problems(doc, target))
        target["updated_at"] = now


def _entry_values(entry: Record, path: str) -> Record:
    # A nested item belongs to the bundle it is sent with: naming one is unknown there.
    kinds = {**ITEM_WRITABLE, "id": "uuid", "_destroy": "boolean"}
    kinds.pop("bundle_id", None)
    found, problems = cast_entry(entry, path, kinds)
    refuse(problems)
    return found


def _new_item(call: Call, doc: Record, bundle: Record, values: Record, now: str) -> Record:
    position = 1 + max((i.get("position", 0) for i in bundle["bundle_items"]), default=0)
    item: Record = {
        "id": call.space.ids.uuid4(),
        "created_at": now,
        "updated_at": now,
        "quantity": 1,
        "discount_percentage": 0.0,
        "position": position,
        "product_group_id": values.get("product_group_id"),
        "product_id": None,
        **{k: v for k, v in values.items() if k != "bundle_id"},
    }
    cw.raise_problems(_item_problems(doc, item))
    return item


def _item_problems(doc: Record, item: Record) -> list[cw.Problem]:
    problems: list[cw.Problem] = []
    if item.get("quantity", 1) < 1:
        problems.append(("quantity", "must be greater than 0", "greater_than"))
    discount = item.get("discount_percentage", 0.0)
    if not 0 <= discount <= 100:
        problems.append(("discount_percentage", "must be between 0 and 100", "inclusion"))
    problems += cw.at_least_0(item, "position")
    group = next(
        (g for g in doc["product_groups"] if g["id"] == item.get("product_group_id")), None
    )
    if group is None:
        problems.append(("product_group_id", *cw.MISSING))
    elif item.get("product_id") is None:
        if not group.get("has_variations"):
            problems.append(("product_id", *cw.BLANK))
    elif all(p["id"] != item["product_id"] for p in group["products"]):
        problems.append(("product_id", "is not a product of the product group", "invalid"))
    return problems


def _bundle_values(call: Call) -> Record:
    values = attributes_of(call, "bundles", BUNDLE_WRITABLE)
    values.pop("remote_photo_url", None)
    values.pop("photo_base64", None)
    return values


def _bundle_problems(
    call: Call, bundle: Record, values: Record, *, creating: bool = False
) -> list[cw.Problem]:
    problems: list[cw.Problem] = []
    if creating or "name" in values:
        problems += cw.check(bool((bundle.get("name") or "").strip()), ("name", *cw.BLANK))
    problems += cw.references(call.store, values, tax_category_id="tax_categories")
    return problems


def _bundle(doc: Record, ident: str) -> Record:
    found: Record | None = next((b for b in doc.get("bundles", []) if b["id"] == ident), None)
    if found is None:
        raise not_found()
    return found


def _item(doc: Record, ident: str) -> tuple[Record, Record]:
    for bundle in doc.get("bundles", []):
        for item in bundle["bundle_items"]:
            if item["id"] == ident:
                return bundle, item
    raise not_found()


def _answer(
    call: Call, resource: Resource, ident: str, status: int = 200, content_type: str | None = None
) -> Response:
    record = call.store.find(resource.type, ident)
    assert record is not None
    body = document(call.store, resource, record, call.query)
    return respond(body, status) if content_type is None else respond(body, status, content_type)
