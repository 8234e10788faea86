"""`GET /inventory_levels`: availability of products over a period, from the engine.

Levels are transient: never stored, each with a version-5 UUID derived from what it describes
(item, location, order filter, period), so the same question gets the same id (§3.10).

Sandbox choices where the vendor is silent (reference §4.14, §9):
- Stock is not split by location: every location is its own cluster-less place holding the
  company's whole stock, so `location_*` equal `cluster_*` (the fixtures' `cluster_ids` are
  []). Without `filter[location_id]` each item gets one level, at the first fixture location,
  so summing levels never counts stock twice.
- `stock_count` is the engine pool's capacity, `planned` the peak the pool has taken in the
  period, `available` their difference (negative under a confirmed shortage, as the vendor's
  shortage errors show), `plannable` that plus the group's allowed shortage, and `needed`
  equals `planned` (returns are not tracked per period).
- Only bulk and trackable products have levels: other item ids (services, consumables without
  stock, bundles, unknown ids) are left out rather than invented.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from starlette.responses import Response

from booking_sandbox.engine import Interval
from booking_sandbox.vendors.booqable import computed_filters, listing
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import (
    Record,
    Resource,
    document,
    item_rel,
    one,
    register,
)
from booking_sandbox.vendors.booqable.pools import product_pool
from booking_sandbox.vendors.booqable.rules import POOLED
from booking_sandbox.vendors.booqable.wire import respond

KIND = "inventory_levels"
FILTERS = ("item_id", "order_id", "location_id", "from", "till")
REQUIRED = ("from", "till")
_IDS = uuid.uuid5(uuid.NAMESPACE_URL, "https://booking-sandbox.local/booqable/inventory_levels")


INVENTORY_LEVELS = Resource(
    KIND,
    (
        "item_id",
        "order_id",
        "location_id",
        "location_available",
        "location_stock_count",
        "location_plannable",
        "location_planned",
        "location_needed",
        "cluster_available",
        "cluster_stock_count",
        "cluster_plannable",
        "cluster_planned",
        "cluster_needed",
    ),
    (
        item_rel(),
        one("location", "locations", "location_id"),
    ),
)
register(INVENTORY_LEVELS)


async def levels(call: Call) -> Response:
    wanted = computed_filters.read(call, KIND, "InventoryLevelResource", FILTERS, REQUIRED)
    period = Interval(*computed_filters.period(wanted["from"], wanted["till"]))
    order_ids = computed_filters.values(wanted.get("order_id"))
    item_ids = computed_filters.values(wanted.get("item_id"))
    records = [
        _level(call, product, location, order_id, period)
        for order_id, product in _items(call, item_ids, order_ids)
        for location in _locations(call, computed_filters.values(wanted.get("location_id")))
    ]
    # Filters are consumed above; sort, stats and pages work as on any list.
    query = replace(call.query, filter={})
    records = listing.select(call.store, INVENTORY_LEVELS, records, query)
    meta = listing.stats(INVENTORY_LEVELS, records, query)
    page = listing.page(records, query)
    return respond(document(call.store, INVENTORY_LEVELS, page, query, meta))


def _items(
    call: Call, item_ids: list[str], order_ids: list[str]
) -> list[tuple[str | None, Record]]:
    """(order filter, product) pairs: the asked products, an order's, or every pooled one."""
    products = call.store.all("products")
    pairs: list[tuple[str | None, Record]]
    if order_ids:  # the order's plannings from the index, in catalog order of products
        planned = {
            order_id: {p["item_id"] for p in call.store.children("plannings", "order_id", order_id)}
            for order_id in order_ids
        }
        pairs = [
            (order_id, product)
            for order_id in order_ids
            for product in products
            if product["id"] in planned[order_id]
        ]
        if item_ids:
            pairs = [(o, p) for o, p in pairs if p["id"] in item_ids]
    elif item_ids:
        found = [call.store.find("products", i) for i in dict.fromkeys(item_ids)]
        pairs = [(None, p) for p in found if p is not None]
    else:
        pairs = [(None, p) for p in products]
    return [(o, p) for o, p in pairs if p.get("tracking_type") in POOLED]


def _locations(call: Call, location_ids: list[str]) -> list[str | None]:
    if location_ids:
        return [i for i in dict.fromkeys(location_ids) if call.store.find("locations", i)]
    first = next(iter(call.store.all("locations")), None)
    return [first["id"] if first is not None else None]


def _level(
    call: Call, product: Record, location_id: str | None, order_id: str | None, period: Interval
) -> Record:
    free = call.space.inventory.availability(product_pool(product["id"]), period)
    available = free.capacity - free.taken
    figures = {
        "available": available,
        "stock_count": free.capacity,
        "plannable": available + free.shortage_limit,
        "planned": free.taken,
        "needed": free.taken,
    }
    key = "|".join(
        (
            product["id"],
            location_id or "",
            order_id or "",
            *(d.isoformat() for d in (period.start, period.end)),
        )
    )
    return {
        "id": str(uuid.uuid5(_IDS, key)),
        "item_id": product["id"],
        "order_id": order_id,
        "location_id": location_id,
        **{f"location_{name}": value for name, value in figures.items()},
        **{f"cluster_{name}": value for name, value in figures.items()},
    }
