"""`POST /stock_item_archivations` (DOCS-HEAD `_stock_item_archivations.md`): archive a
stock item, for good.

The item becomes `archived` (`archived_at` now) and leaves its product's pool, through the
same pool check as every catalog write (catalog_writes.apply_pools). The docs' errors, checked
in this order, each in the docs' shape:
- `stock_item_archived`: it was archived before;
- `stock_item_specified`: orders hold it, listed in `meta.blocking[0].orders`;
- `shortage`: one unit fewer would leave orders short (bookings by quantity); a warning
  within the product's shortage limit (retry with `confirm_shortage: true`), else blocking.

Choices where the docs are silent (docs/vendors/booqable.md):
- A missing `stock_item_id`, or one naming no stock item: 422 `stock_item_id must exist`,
  as the other catalog writes answer a reference to nothing.
- "Specified on a current or future order": an order holding the item in the engine
  (reserved or out, not yet returned: whatever its period, as the engine keeps its capacity
  invariant over all time), or a new or concept order naming it whose period has not ended on
  the namespace clock (reserving it later would need the item).
- An archivation is not stored (the docs have no list or show): the answer is 200, once.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable import catalog_writes as cw
from booking_sandbox.vendors.booqable.errors import stock_item_archived, stock_item_in_use
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import (
    Resource,
    check_includes,
    document,
    one,
    register,
)
from booking_sandbox.vendors.booqable.pools import product_pool
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.wire import respond, timestamp

Record = dict[str, Any]
KIND = "stock_item_archivations"
WRITABLE = {"stock_item_id": "uuid?", "confirm_shortage": "boolean?"}
# Orders not yet taking stock that will need what they name (rules.TAKES_STOCK take it now).
PLANNED = frozenset({"new", "concept"})

STOCK_ITEM_ARCHIVATIONS = Resource(
    KIND,
    ("confirm_shortage", "stock_item_id"),
    (one("stock_item", "stock_items", "stock_item_id"),),
)
register(STOCK_ITEM_ARCHIVATIONS)


async def create(call: Call) -> Response:
    check_includes(STOCK_ITEM_ARCHIVATIONS, call.query.include)  # before anything changes
    values = attributes_of(call, KIND, WRITABLE)
    doc = cw.document(call.store)
    ident = values.get("stock_item_id")
    item = next((s for s in doc["stock_items"] if s["id"] == ident), None)
    if item is None:
        raise cw.refuse(("stock_item_id", *cw.MISSING))
    if item.get("archived") or item.get("status") == "archived":
        raise stock_item_archived()
    holders = holders_of(call, item)
    if holders:
        raise stock_item_in_use(holders)
    found = cw.find_product(doc, item["product_id"])
    assert found is not None  # the fixtures' cross references and creation checked it
    now = timestamp(call.now)
    archived = {**item, "archived": True, "archived_at": now, "updated_at": now}
    archived["status"] = "archived"
    changed = {**doc, "stock_items": [archived if s is item else s for s in doc["stock_items"]]}
    changes = [
        cw.PoolChange(change.pool, change.product_id, -1, item.get("location_id"))
        for change in cw.product_pools(changed, [found[0]])
        if change.product_id == item["product_id"]
    ]
    cw.apply_pools(call.store, changes, confirm=values.get("confirm_shortage") is True)
    item.update(archived)
    cw.commit(call.store)
    record = {
        "id": call.space.ids.uuid4(),
        "confirm_shortage": values.get("confirm_shortage"),
        "stock_item_id": item["id"],
    }
    return respond(document(call.store, STOCK_ITEM_ARCHIVATIONS, record, call.query))


def holders_of(call: Call, item: Record) -> list[str]:
    """The orders the item is specified on (see the module doc), in order of booking."""
    inventory = call.space.inventory
    pool_id = product_pool(item["product_id"])
    owners = dict.fromkeys(
        alloc.owner
        for alloc in inventory.allocations()
        if alloc.pool_id == pool_id and item["id"] in alloc.units and alloc.is_active(call.now)
    )
    for planned in call.store.children("stock_item_plannings", "stock_item_id", item["id"]):
        order = call.store.find("orders", planned["order_id"])
        if order is None or planned["stopped"] or order["status"] not in PLANNED:
            continue
        stops = order.get("stops_at")
        if stops is None or parse_instant(stops) > call.now:
            owners.setdefault(order["id"], None)
    return list(owners)
