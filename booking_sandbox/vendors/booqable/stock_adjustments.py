"""`POST /stock_adjustments` (added 2025-02-10; reference §4.8, DOCS-HEAD): stock of a product.

- Bulk: `quantity` is added to (or, negative, removed from) the product's `stock_count`, and
  its pool follows. Removing more than orders leave free answers 422 `shortage`: a warning
  within the product's shortage limit (retry with `confirm_shortage: true`), else blocking.
  The engine's pools have one capacity for all time, so `from`/`till` are echoed but bulk
  stock counts at once and for ever (documented choice).
- Trackable: `quantity` (1..100) stock items are made, `<prefix>-<n>` (`TMP-` before a
  temporary one's prefix; the prefix defaults to the product's sku), each a unit of the pool.
- The answer is 200 and nothing is stored: the docs have no list or show for adjustments.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.booqable import catalog_writes as cw
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import (
    AnyRecord,
    Ref,
    Rel,
    Resource,
    Store,
    document,
    one,
    register,
)
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.stock_item_writes import (
    new_stock_item,
    next_identifiers,
    prefix_of,
)
from booking_sandbox.vendors.booqable.wire import respond, timestamp

Record = dict[str, Any]
KIND = "stock_adjustments"
MAX_ITEMS = 100


def _made_items(store: Store, record: AnyRecord) -> list[Ref]:
    found = [store.find("stock_items", ident) for ident in record.get("_stock_item_ids", [])]
    return [("stock_items", item) for item in found if item is not None]


STOCK_ADJUSTMENTS = Resource(
    KIND,
    (
        "quantity",
        "from",
        "till",
        "prefix",
        "purchase_cost_in_cents",
        "purchased_at",
        "confirm_shortage",
        "product_id",
        "location_id",
    ),
    (
        one("location", "locations", "location_id"),
        one("product", "products", "product_id"),
        Rel("stock_items", True, ("stock_items",), _made_items),
    ),
)
register(STOCK_ADJUSTMENTS)

WRITABLE = {
    "product_id": "uuid?",
    "location_id": "uuid?",
    "quantity": "integer?",
    "from": "datetime?",
    "till": "datetime?",
    "prefix": "string?",
    "purchase_cost_in_cents": "integer?",
    "purchased_at": "datetime?",
    "confirm_shortage": "boolean?",
}


async def create(call: Call) -> Response:
    values = attributes_of(call, KIND, WRITABLE)
    doc = cw.document(call.store)
    found = cw.find_product(doc, values.get("product_id"))
    cw.raise_problems(_problems(call, values, found))
    assert found is not None
    group, product = found
    quantity: int = values["quantity"]
    confirm = values.get("confirm_shortage") is True
    made: list[Record] = []
    if group["tracking_type"] == "bulk":
        changed_product = {**product, "stock_count": product["stock_count"] + quantity}
        changed_group = {
            **group,
            "products": [changed_product if p is product else p for p in group["products"]],
        }
        [change] = [
            c for c in cw.product_pools(doc, [changed_group]) if c.product_id == product["id"]
        ]
        change = cw.PoolChange(change.pool, product["id"], quantity, values["location_id"])
        cw.apply_pools(call.store, [change], confirm=confirm)
        product["stock_count"] = changed_product["stock_count"]
        product["updated_at"] = timestamp(call.now)
    else:
        prefix = values.get("prefix") or prefix_of(product)
        if values.get("till") is not None:
            prefix = f"TMP-{prefix}"
        for identifier in next_identifiers(doc, prefix, quantity):
            made.append(
                new_stock_item(
                    call,
                    doc,
                    product,
                    identifier=identifier,
                    location_id=values["location_id"],
                    starts=values.get("from"),
                    stops=values.get("till"),
                )
            )
        changed = {**doc, "stock_items": [*doc["stock_items"], *made]}
        pools = [c for c in cw.product_pools(changed, [group]) if c.product_id == product["id"]]
        cw.apply_pools(call.store, pools, confirm=confirm)
        doc["stock_items"].extend(made)
    cw.commit(call.store)
    record = {
        "id": call.space.ids.uuid4(),
        "quantity": quantity,
        "from": _time(values.get("from")),
        "till": _time(values.get("till")),
        "prefix": values.get("prefix"),
        "purchase_cost_in_cents": values.get("purchase_cost_in_cents"),
        "purchased_at": _time(values.get("purchased_at")),
        "confirm_shortage": values.get("confirm_shortage"),
        "product_id": product["id"],
        "location_id": values["location_id"],
        "_stock_item_ids": [item["id"] for item in made],
    }
    return respond(document(call.store, STOCK_ADJUSTMENTS, record, call.query))


def _problems(call: Call, values: Record, found: tuple[Record, Record] | None) -> list[cw.Problem]:
    problems: list[cw.Problem] = []
    if found is None:
        problems.append(("product_id", *cw.MISSING))
    if (
        values.get("location_id") is None
        or call.store.find("locations", values["location_id"]) is None
    ):
        problems.append(("location_id", *cw.MISSING))
    quantity = values.get("quantity")
    if quantity is None:
        problems.append(("quantity", *cw.BLANK))
    elif quantity == 0:
        problems.append(("quantity", "must be other than 0", "other_than"))
    if found is None or quantity is None or quantity == 0:
        return problems
    group, product = found
    tracking = group.get("tracking_type")
    if tracking == "trackable":
        if quantity < 0:
            problems.append(("quantity", "must be greater than 0", "greater_than"))
        elif quantity > MAX_ITEMS:
            problems.append(
                ("quantity", "must be less than or equal to 100", "less_than_or_equal_to")
            )
    elif tracking == "bulk":
        if product["stock_count"] + quantity < 0:
            problems.append(("quantity", "cannot remove more stock than there is", "invalid"))
    else:
        problems.append(("product_id", "does not track stock", "invalid"))
    return problems


def _time(value: Any) -> str | None:
    return timestamp(value) if value is not None else None
