"""Locations: create, update and archive (DOCS-HEAD `_locations.md`), in the namespace's
catalog document (catalog_writes.py: exported and imported whole by `/_sandbox/state`).

Choices where the docs are silent (docs/vendors/booqable.md):
- A new location holds no stock: stock is counted per product, not split by location
  (inventory levels and availabilities answer for any location the catalog knows, as for the
  fixtures' locations). Bulk stock is placed at the first active location and stock items at
  their `location_id` (inventory_breakdowns.py), which is what `location_has_stock` reads.
- `code` defaults to `LOC<n>`; codes are unique among active locations. `location_type`
  defaults to `rental`, `pickup_enabled` to true; `delivery_enabled` stays false.
- `main_address_attributes` (or `main_address`) sets the address lines from its `address1`,
  `address2`, `zipcode`, `city`, `region`, `country` keys; its other keys are not kept.
- Changing the address of a location with running or future orders needs
  `confirm_has_orders: true`, else the docs' `location_has_orders` 422.
- DELETE archives, checked in the docs' order: `location_has_stock` (active stock items
  there, or bulk stock when it is the first active location: `meta.item_ids` are products),
  `location_has_orders` (new, concept, reserved or started orders starting or stopping there
  whose period has not ended on the namespace clock; started ones always), then the last
  active location (a 422 on `archived`).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable import catalog_writes as cw
from booking_sandbox.vendors.booqable.catalog_resources import LOCATIONS
from booking_sandbox.vendors.booqable.errors import (
    location_has_orders,
    location_has_stock,
    not_found,
)
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import check_includes, document
from booking_sandbox.vendors.booqable.pools import UNAVAILABLE_ITEM_STATES
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, respond, timestamp

Record = dict[str, Any]
KIND = "locations"
TYPES = ("rental", "internal")
ADDRESS = ("address_line_1", "address_line_2", "zipcode", "city", "region", "country")
# main_address keys -> the location's own attributes.
_FROM_HASH = {
    "address1": "address_line_1",
    "address2": "address_line_2",
    "zipcode": "zipcode",
    "city": "city",
    "region": "region",
    "country": "country",
}
WRITABLE = {
    **dict.fromkeys(ADDRESS, "string?"),
    "code": "string",
    "confirm_has_orders": "boolean",
    "location_type": "enum",
    "main_address": "hash?",
    "main_address_attributes": "hash?",
    "name": "string",
    "pickup_enabled": "boolean",
}
# Orders that will still start or stop at their locations.
_RUNNING = frozenset({"new", "concept", "reserved", "started"})


async def create(call: Call) -> Response:
    check_includes(LOCATIONS, call.query.include)  # a 400 before any change
    values, _ = _written(call)
    doc = cw.document(call.store)
    locations: list[Record] = doc.setdefault("locations", [])
    now = timestamp(call.now)
    record: Record = {
        "id": call.space.ids.uuid4(),
        "created_at": now,
        "updated_at": now,
        "archived": False,
        "archived_at": None,
        "name": "",
        "code": values.get("code") or _next_code(locations),
        "location_type": "rental",
        **dict.fromkeys(ADDRESS),
        "cluster_ids": [],
        **values,
    }
    cw.raise_problems(_problems(record, locations, check_code=True))
    locations.append(record)
    cw.commit(call.store)
    return _answer(call, record["id"], 201)


async def update(call: Call) -> Response:
    doc = cw.document(call.store)
    current = _find(doc, call.path_id)
    check_includes(LOCATIONS, call.query.include)
    values, confirm = _written(call)
    record = {**current, **values}
    problems = _problems(record, doc["locations"], check_code="code" in values)
    cw.raise_problems(problems)
    moved = any(record.get(k) != current.get(k) for k in ADDRESS)
    if moved and not confirm:
        orders = _orders_at(call, current["id"])
        if orders:
            raise location_has_orders(orders)
    record["updated_at"] = timestamp(call.now)
    current.update(record)
    cw.commit(call.store)
    return _answer(call, current["id"])


async def archive(call: Call) -> Response:
    doc = cw.document(call.store)
    current = _find(doc, call.path_id)
    check_includes(LOCATIONS, call.query.include)
    if not current.get("archived"):  # archiving twice keeps the first moment
        stocked = stock_at(doc, current["id"])
        if stocked:
            raise location_has_stock(stocked)
        orders = _orders_at(call, current["id"])
        if orders:
            raise location_has_orders(orders)
        if not any(not loc.get("archived") for loc in doc["locations"] if loc is not current):
            raise cw.refuse(("archived", "can't be set on the last active location", "invalid"))
        now = timestamp(call.now)
        current.update(archived=True, archived_at=now, updated_at=now)
        cw.commit(call.store)
    return _answer(call, current["id"], 200, PLAIN_JSON)


def stock_at(doc: Record, location_id: str) -> list[str]:
    """The products with active stock at the location: stock items there that can go out, and
    bulk stock when it is the first active location (where bulk stock is counted)."""
    found = dict.fromkeys(
        s["product_id"]
        for s in doc.get("stock_items", [])
        if s.get("location_id") == location_id and s["status"] not in UNAVAILABLE_ITEM_STATES
    )
    first = next((loc for loc in doc["locations"] if not loc.get("archived")), None)
    if first is not None and first["id"] == location_id:
        for group in doc["product_groups"]:
            if group["tracking_type"] == "bulk":
                found.update((p["id"], None) for p in group["products"] if p["stock_count"] > 0)
    return list(found)


def _orders_at(call: Call, location_id: str) -> list[str]:
    found = []
    for order in call.store.all("orders"):
        at = location_id in (order.get("start_location_id"), order.get("stop_location_id"))
        if not at or order["status"] not in _RUNNING:
            continue
        stops = order.get("stops_at")
        if order["status"] == "started" or (stops and parse_instant(stops) > call.now):
            found.append(order["id"])
    return found


def _written(call: Call) -> tuple[Record, bool]:
    values = attributes_of(call, KIND, WRITABLE)
    confirm = values.pop("confirm_has_orders", False) is True
    for name in ("main_address", "main_address_attributes"):
        address = values.pop(name, None) or {}
        for key, attribute in _FROM_HASH.items():
            if key in address:
                values[attribute] = address[key]
    return values, confirm


def _problems(record: Record, locations: list[Record], *, check_code: bool) -> list[cw.Problem]:
    """`check_code`: on create, or when sent (a fixture location may have none)."""
    problems: list[cw.Problem] = []
    problems += cw.check(bool((record.get("name") or "").strip()), ("name", *cw.BLANK))
    code = (record.get("code") or "").strip() if check_code else ""
    problems += cw.check(bool(code) or not check_code, ("code", *cw.BLANK))
    taken = any(
        loc["id"] != record["id"] and not loc.get("archived") and loc.get("code") == code
        for loc in locations
    )
    problems += cw.check(not (code and taken), ("code", *cw.TAKEN))
    kind = record.get("location_type", "rental")  # (fixture locations may leave it out)
    problems += cw.check(kind in TYPES, ("location_type", *cw.NOT_LISTED))
    problems += [
        (name, "is invalid", "invalid")
        for name in ADDRESS
        if record.get(name) is not None and not isinstance(record[name], str)
    ]
    return problems


def _next_code(locations: list[Record]) -> str:
    codes = {loc.get("code") for loc in locations}
    n = 1000000 + len(locations)
    while f"LOC{n}" in codes:
        n += 1
    return f"LOC{n}"


def _find(doc: Record, ident: str) -> Record:
    found: Record | None = next((x for x in doc.get("locations", []) if x["id"] == ident), None)
    if found is None:
        raise not_found()
    return found


def _answer(call: Call, ident: str, status: int = 200, content_type: str | None = None) -> Response:
    record = call.store.find(KIND, ident)
    assert record is not None
    body = document(call.store, LOCATIONS, record, call.query)
    return respond(body, status) if content_type is None else respond(body, status, content_type)
