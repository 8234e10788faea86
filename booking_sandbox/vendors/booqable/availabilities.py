"""`GET /inventory_availabilities` and `GET /order_planning_availabilities`, from the engine.

Both read the engine's pools on the namespace clock at the time of the request (nothing is
stored or canned): `available` is a pool's capacity less the peak the active allocations take
over the period, `plannable` adds the product group's allowed shortage. Records are
transient, with version-5 UUIDs derived from the question (reference §3.10).

Sandbox choices where the docs are silent (DOCS-HEAD `_inventory_availabilities.md`,
`_order_planning_availabilities.md`; reference §4.14):
- Stock is not split by location (as inventory levels): every location holds the whole stock.
  An unknown `item_id`, `location_id` or `order_id` is a 404.
- Counts are never negative (a confirmed shortage shows 0 available).
- Items without stock (tracking type `none`: services, consumables) are left out, as the docs
  say for order planning availabilities; so is a bundle made only of such items.
- A bundle is as available as its scarcest item allows: each item's count divided by its
  quantity, rounded down. A variation item is counted with the product `configuration` names
  for it, else with its group's most available product.
- Inventory availabilities come sorted by item id (the docs' two-item example does so).
- An order planning's own reservation counts (stock 10, 2 reserved on the order: 8
  available, as in the docs' example); `plannable` equals `available`, as documented.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from starlette.responses import Response

from booking_sandbox.engine import Interval
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable import computed_filters as filters
from booking_sandbox.vendors.booqable import listing
from booking_sandbox.vendors.booqable.errors import not_found, request_error
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import Record, Resource, document, register
from booking_sandbox.vendors.booqable.pools import product_pool
from booking_sandbox.vendors.booqable.rules import POOLED
from booking_sandbox.vendors.booqable.wire import respond

INVENTORY = "inventory_availabilities"
ORDER_PLANNING = "order_planning_availabilities"
_IDS = uuid.uuid5(uuid.NAMESPACE_URL, "https://booking-sandbox.local/booqable/availabilities")

INVENTORY_AVAILABILITIES = Resource(INVENTORY, ("item_id", "available", "plannable"))
ORDER_PLANNING_AVAILABILITIES = Resource(ORDER_PLANNING, ("order_id", "available"))
register(INVENTORY_AVAILABILITIES, ORDER_PLANNING_AVAILABILITIES)

# (stock_count, available, plannable) of one product or bundle over a period.
Counts = tuple[int, int, int]


async def inventory(call: Call) -> Response:
    wanted = filters.read(
        call,
        INVENTORY,
        "InventoryAvailabilityResource",
        ("configuration", "from", "item_id", "location_id", "till"),
        ("from", "item_id", "location_id", "till"),
        hashes=("configuration",),
    )
    period = Interval(*filters.period(wanted["from"], wanted["till"]))
    for ident in filters.values(wanted["location_id"]):
        if call.store.find("locations", ident) is None:
            raise not_found()
    items = filters.records(call, ("products", "bundles"), filters.values(wanted["item_id"]))
    configuration: dict[str, str] = wanted.get("configuration", {})
    _check_configuration(call, configuration, [i for k, i in items if k == "bundles"])
    records = []
    for kind, item in sorted(items, key=lambda pair: pair[1]["id"]):
        if kind == "products":
            counts = _product(call, item, period)
        else:
            counts = _bundle(call, item, period, configuration)
        if counts is None:
            continue
        key = "|".join(
            (item["id"], _wanted_text(wanted["location_id"]), str(period), str(configuration))
        )
        records.append(
            {
                "id": str(uuid.uuid5(_IDS, key)),
                "item_id": item["id"],
                "available": counts[1],
                "plannable": counts[2],
            }
        )
    query = replace(call.query, filter={})  # consumed above; sort, stats and pages as usual
    records = listing.select(call.store, INVENTORY_AVAILABILITIES, records, query)
    meta = listing.stats(INVENTORY_AVAILABILITIES, records, query)
    page = listing.page(records, query)
    body = document(call.store, INVENTORY_AVAILABILITIES, page, query, meta)
    return respond(_without_relationships(body))


async def order_planning(call: Call) -> Response:
    wanted = filters.read(
        call,
        ORDER_PLANNING,
        "OrderPlanningAvailabilityResource",
        ("order_id",),
        ("order_id",),
    )
    order = call.store.find("orders", filters.one("order_id", wanted["order_id"]))
    if order is None:
        raise not_found()
    plannings = call.store.children("plannings", "order_id", order["id"])
    nested: dict[str, list[Record]] = {}
    for planning in plannings:
        parent = planning.get("parent_planning_id")
        if parent:
            nested.setdefault(parent, []).append(dict(planning))
    available: Record = {}
    for planning in plannings:
        counts = _planning(call, dict(planning), nested.get(planning["id"], []))
        if counts is not None:
            stock_count, free, _ = counts
            available[planning["id"]] = {
                "location": {"stock_count": stock_count, "available": free, "plannable": free}
            }
    record = {"id": order["id"], "order_id": order["id"], "available": available}
    body = document(call.store, ORDER_PLANNING_AVAILABILITIES, record, call.query)
    return respond(_without_relationships(body))


def _wanted_text(raw: Any) -> str:
    return ",".join(filters.values(raw))


def _without_relationships(body: Record) -> Record:
    """The docs' records of these resources have no `relationships` member at all."""
    data = body["data"]
    for obj in data if isinstance(data, list) else [data]:
        obj.pop("relationships", None)
    return body


def _product(call: Call, product: Record, period: Interval | None) -> Counts | None:
    if product.get("tracking_type") not in POOLED:
        return None
    free = call.space.inventory.availability(product_pool(product["id"]), period)
    return (
        free.capacity,
        max(0, free.capacity - free.taken),
        max(0, free.capacity + free.shortage_limit - free.taken),
    )


def _bundle(
    call: Call, bundle: Record, period: Interval, configuration: dict[str, str]
) -> Counts | None:
    found: list[Counts] = []
    for item in _of(call, "bundle_items", "bundle_id", bundle["id"]):
        chosen = call.store.find(
            "products", configuration.get(item["id"]) or item.get("product_id")
        )
        candidates = (
            [chosen]
            if chosen is not None
            else _of(call, "products", "product_group_id", item["product_group_id"])
        )
        counts = [c for p in candidates if (c := _product(call, p, period)) is not None]
        if counts:
            best = max(counts, key=lambda c: (c[1], c[2]))
            found.append(_per_set(best, int(item["quantity"])))
    if not found:
        return None
    return (min(c[0] for c in found), min(c[1] for c in found), min(c[2] for c in found))


def _per_set(counts: Counts, quantity: int) -> Counts:
    each = max(1, quantity)
    return (counts[0] // each, counts[1] // each, counts[2] // each)


def _check_configuration(call: Call, configuration: dict[str, str], bundles: list[Record]) -> None:
    """Each key a bundle item of an asked bundle, each value a product of that item's group."""
    items = {
        item["id"]: item
        for bundle in bundles
        for item in _of(call, "bundle_items", "bundle_id", bundle["id"])
    }
    for item_id, product_id in configuration.items():
        item = items.get(item_id)
        product = call.store.find("products", product_id)
        if item is None:
            raise request_error(
                f"invalid filter: configuration names {item_id!r}, no item of the bundle",
                "invalid_filter",
            )
        fixed = item.get("product_id")
        if (
            product is None
            or product["product_group_id"] != item["product_group_id"]
            or (fixed and fixed != product_id)
        ):
            raise request_error(
                f"invalid filter: configuration[{item_id}] is no product of that bundle item",
                "invalid_filter",
            )


def _planning(call: Call, planning: Record, nested: list[Record]) -> Counts | None:
    """A product planning's counts, or a bundle planning's from its products' plannings."""
    period = _period_of(planning)
    if not nested:
        product = call.store.find("products", planning.get("item_id"))
        return _product(call, product, period) if product is not None else None
    found: list[Counts] = []
    parent_quantity = max(1, int(planning["quantity"]))
    for child in nested:
        product = call.store.find("products", child.get("item_id"))
        counts = _product(call, product, _period_of(child)) if product is not None else None
        if counts is not None:
            found.append(_per_set(counts, int(child["quantity"]) // parent_quantity))
    if not found:
        return None
    return (min(c[0] for c in found), min(c[1] for c in found), min(c[2] for c in found))


def _period_of(planning: Record) -> Interval | None:
    start = planning.get("reserved_from") or planning.get("starts_at")
    till = planning.get("reserved_till") or planning.get("stops_at")
    if not (isinstance(start, str) and isinstance(till, str)):
        return None  # no period yet: the engine answers for now
    begin, end = parse_instant(start), parse_instant(till)
    return Interval(begin, end) if begin < end else None


def _of(call: Call, kind: str, key: str, value: Any) -> list[Record]:
    """Catalog records by a key: scanned, since catalog writes may change them any time."""
    return [r for r in call.store.all(kind) if r.get(key) == value]
