"""`GET /items` and `GET /items/{id}`: product groups, products and bundles in one listing.

Items are polymorphic (reference §4.13, DOCS-HEAD `_items.md`): each record is written as
its own resource (`type` `product_groups`, `products` or `bundles`, with that resource's
attributes), while filters, sort, stats and pages work over the whole collection. The docs'
`fields[items]=…` applies to every item type (a type's own `fields[products]` wins).

Sandbox choices where the docs are silent:
- Default order is newest first (as every list), ties kept as bundles, product groups, then
  products (the docs' list example shows them in that order).
- An include applies to the items that have that relationship and is skipped on the others;
  `collection_items` is accepted and empty (the sandbox has no collections), so
  `filter[collection_id]` matches nothing.
- `filter[q]` matches a case-insensitive part of the name, SKU or a tag.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.booqable import listing
from booking_sandbox.vendors.booqable import query as graphiti
from booking_sandbox.vendors.booqable.errors import not_found, request_error
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.http import _query as query_string
from booking_sandbox.vendors.booqable.jsonapi import (
    REGISTRY,
    Record,
    Resource,
    Store,
    check_includes,
    document,
)
from booking_sandbox.vendors.booqable.query import Query, Tree
from booking_sandbox.vendors.booqable.wire import respond

KIND = "items"
# In the order a list shows them when their timestamps tie.
KINDS = ("bundles", "product_groups", "products")
# Documented includes no item resource of the sandbox declares: accepted, always empty.
_EMPTY_INCLUDES = frozenset({"collection_items"})
_TEXT = "string"
_INT = "integer"
_TIME = "datetime"
_BOOL = "boolean"
FILTERS = {
    "archived": _BOOL, "archived_at": _TIME, "base_price_in_cents": _INT,
    "buffer_time_after": _INT, "buffer_time_before": _INT, "created_at": _TIME,
    "default_purchase_cost_in_cents": _INT, "deposit_in_cents": _INT, "description": _TEXT,
    "discountable": _BOOL, "excerpt": _TEXT, "extra_information": _TEXT, "group_name": _TEXT,
    "has_variations": _BOOL, "id": "uuid", "name": _TEXT, "photo_id": "uuid",
    "price_period": "enum", "price_ruleset_id": "uuid", "price_structure_id": "uuid",
    "price_type": "enum", "product_group_id": "uuid", "product_type": "enum",
    "seo_description": _TEXT, "seo_title": _TEXT, "show_in_store": _BOOL, "sku": _TEXT,
    "slug": _TEXT, "sorting_weight": _INT, "tag_list": "array", "tax_category_id": "uuid",
    "taxable": _BOOL, "trackable": _BOOL, "tracking_type": "enum", "type": "enum",
    "updated_at": _TIME, "variation": _BOOL, "conditions": "hash",
}  # fmt: skip


def _q(store: Store, record: Record, values: list[str]) -> bool:
    texts = [record.get("name"), record.get("sku"), *(record.get("tag_list") or [])]
    return any(
        isinstance(text, str) and value.lower() in text.lower()
        for value in values
        for text in texts
    )


def _in_collection(store: Store, record: Record, values: list[str]) -> bool:
    return False  # the sandbox has no collections


def _resource() -> Resource:
    """The collection's resource: every item type's attributes, the documented filters.

    Built per request from the item resources as registered (catalog writes and eras may
    change their attribute lists).
    """
    names = [
        name
        for kind in KINDS
        for name in (*REGISTRY[kind].attributes, *(REGISTRY[kind].attributes_v4 or ()))
    ]
    return Resource(
        KIND,
        tuple(dict.fromkeys(names)),
        filters=FILTERS,
        custom_filters={"q": _q, "collection_id": _in_collection},
    )


async def listed(call: Call) -> Response:
    return respond(_listing(call, call.query))


async def searched(call: Call) -> Response:
    """`POST /items/search`: the list, with the query in the body (search.py's rules)."""
    query = graphiti.parse(query_string(call.request), call.body, search=True)
    query.era = call.query.era
    body = _listing(call, query)
    if query.fields.get(KIND) == ["id"] and not query.include:  # the docs' bare-id answer
        bare: Record = {"data": [{"id": obj["id"]} for obj in body["data"]]}
        if query.stats:
            bare["meta"] = body["meta"]
        return respond(bare)
    return respond(body)


async def shown(call: Call) -> Response:
    _check_includes(call.query.include)
    for kind in KINDS:
        record = call.store.find(kind, call.path_id)
        if record is not None:
            return respond(_document(call, call.query, [(kind, record)], None, many=False))
    raise not_found()


def _listing(call: Call, query: Query) -> Record:
    _check_includes(query.include)
    resource = _resource()
    everything = [(kind, r) for kind in KINDS for r in call.store.all(kind)]
    kinds = {id(r): kind for kind, r in everything}
    records = listing.select(call.store, resource, [r for _, r in everything], query)
    meta = listing.stats(resource, records, query)
    page = [(kinds[id(r)], r) for r in listing.page(records, query)]
    return _document(call, query, page, meta, many=True)


def _check_includes(tree: Tree) -> None:
    """An include is valid when some item type declares it (then checked further there)."""
    for name, subtree in tree.items():
        if name in _EMPTY_INCLUDES and not subtree:
            continue
        declaring = [REGISTRY[k] for k in KINDS if REGISTRY[k].rel(name) is not None]
        if not declaring:
            raise request_error(
                f'The requested included relationship "{name}" is not supported on '
                f'resource "{KIND}"',
                "invalid_include",
            )
        check_includes(declaring[0], {name: subtree})


def _query_for(resource: Resource, query: Query) -> Query:
    tree = {name: sub for name, sub in query.include.items() if resource.rel(name) is not None}
    fields = query.fields
    if KIND in fields and resource.type not in fields:
        fields = {**fields, resource.type: fields[KIND]}
    return replace(query, include=tree, fields=fields)


def _document(
    call: Call,
    query: Query,
    records: list[tuple[str, Record]],
    meta: Record | None,
    *,
    many: bool,
) -> Record:
    """One document of records of several types, each written by its own resource."""
    data: list[Record] = []
    included: list[Record] = []
    seen = {(kind, r["id"]) for kind, r in records}
    for kind, record in records:
        resource = REGISTRY[kind]
        body = document(call.store, resource, record, _query_for(resource, query))
        data.append(body["data"])
        for obj in body.get("included", []):
            if (obj["type"], obj["id"]) not in seen:
                seen.add((obj["type"], obj["id"]))
                included.append(obj)
    found: dict[str, Any] = {"data": data if many else data[0]}
    if included:
        found["included"] = included
    found["meta"] = meta if meta is not None else {}
    return found
