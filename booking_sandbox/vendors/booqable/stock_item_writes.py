"""Stock items: create and update (reference §4.8; the docs have no DELETE for them).

A stock item belongs to a trackable product and is one unit of its pool: a new one adds
capacity at once. `status` and `stock_item_type` follow `from`/`till` on the namespace clock
(`expected` before `from`, `expired` after `till`, `temporary` when `till` is set); an
expired item leaves the pool, and one an order holds cannot (422 `shortage`, blocking
`stock_item_specified` entry). Statuses set by fulfillment (`started`...) are kept. Without
an `identifier` one is made as stock adjustments make them; without a location, the
catalog's first location is the item's (the docs' example answers with a location it was
not sent).
"""

from __future__ import annotations

import copy
import re
from datetime import datetime
from typing import Any

from starlette.responses import Response

from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable import catalog_writes as cw
from booking_sandbox.vendors.booqable.catalog_resources import STOCK_ITEMS
from booking_sandbox.vendors.booqable.errors import not_found, unwritable_attribute
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import document
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.wire import respond, timestamp

Record = dict[str, Any]
KIND = "stock_items"
WRITABLE = {
    "identifier": "string",
    "from": "datetime?",
    "till": "datetime?",
    "product_id": "uuid",
    "location_id": "uuid?",
    "properties_attributes": "array",  # accepted and dropped: properties are not emulated
    "confirm_shortage": "boolean",
}
# Set by orders going out and coming back: a date change leaves them alone.
KEPT_STATUSES = frozenset({"started", "overdue", "archived"})


async def create(call: Call) -> Response:
    values, confirm = _written(call)
    doc = cw.document(call.store)
    found = cw.find_product(doc, values.get("product_id"))
    problems: list[cw.Problem] = []
    if found is None:
        problems.append(("product_id", *cw.MISSING))
    elif found[0].get("tracking_type") != "trackable":
        problems.append(("product_id", "is not a trackable product", "invalid"))
    problems += _checks(call, doc, values, None)
    cw.raise_problems(problems)
    assert found is not None
    group, product = found
    item = new_stock_item(
        call,
        doc,
        product,
        identifier=values.get("identifier") or next_identifiers(doc, prefix_of(product), 1)[0],
        location_id=values.get("location_id", default_location(doc)),
        starts=values.get("from"),
        stops=values.get("till"),
    )
    changed = {**doc, "stock_items": [*doc["stock_items"], item]}
    cw.apply_pools(call.store, cw.product_pools(changed, [group]), confirm=confirm)
    doc["stock_items"].append(item)
    cw.commit(call.store)
    return _answer(call, item["id"], 201)


async def update(call: Call) -> Response:
    doc = cw.document(call.store)
    current = next((s for s in doc["stock_items"] if s["id"] == call.path_id), None)
    if current is None:
        raise not_found()
    values, confirm = _written(call)
    if values.pop("product_id", current["product_id"]) != current["product_id"]:
        raise unwritable_attribute("data.attributes.product_id")
    cw.raise_problems(_checks(call, doc, values, current))
    item = copy.deepcopy(current)
    for name in ("identifier", "location_id"):
        if name in values:
            item[name] = values[name]
    for name in ("from", "till"):
        if name in values:
            item[name] = timestamp(values[name]) if values[name] is not None else None
    item["stock_item_type"] = "temporary" if item.get("till") else "regular"
    if item.get("status") not in KEPT_STATUSES:
        item["status"] = status_of(call.now, _instant(item.get("from")), _instant(item.get("till")))
    item["updated_at"] = timestamp(call.now)
    found = cw.find_product(doc, item["product_id"])
    assert found is not None  # the fixtures' cross references and creation checked it
    changed = {**doc, "stock_items": [item if s is current else s for s in doc["stock_items"]]}
    change = cw.product_pools(changed, [found[0]])
    mine = [c for c in change if c.product_id == item["product_id"]]
    cw.apply_pools(call.store, mine, confirm=confirm)
    current.clear()
    current.update(item)
    cw.commit(call.store)
    return _answer(call, item["id"])


def new_stock_item(
    call: Call,
    doc: Record,
    product: Record,
    *,
    identifier: str,
    location_id: str | None,
    starts: datetime | None,
    stops: datetime | None,
) -> Record:
    """A stock item record as the fixtures hold them."""
    now = timestamp(call.now)
    return {
        "id": call.space.ids.uuid4(),
        "created_at": now,
        "updated_at": now,
        "archived": False,
        "archived_at": None,
        "identifier": identifier,
        "product_id": product["id"],
        "status": status_of(call.now, starts, stops),
        "from": timestamp(starts) if starts is not None else None,
        "till": timestamp(stops) if stops is not None else None,
        "stock_item_type": "temporary" if stops is not None else "regular",
        "properties": {},
        "location_id": location_id,
    }


def status_of(now: datetime, starts: datetime | None, stops: datetime | None) -> str:
    if stops is not None and stops <= now:
        return "expired"
    if starts is not None and starts > now:
        return "expected"
    return "in_stock"


def prefix_of(product: Record) -> str:
    """The docs: "When left empty, the SKU from the product will be used"."""
    return str(product.get("sku") or "ITEM")


def next_identifiers(doc: Record, prefix: str, count: int) -> list[str]:
    """`XYZ-1`, `XYZ-2`… after the highest number already used with `prefix`."""
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
    used = [int(m.group(1)) for s in doc["stock_items"] if (m := pattern.match(s["identifier"]))]
    start = max(used, default=0) + 1
    return [f"{prefix}-{n}" for n in range(start, start + count)]


def default_location(doc: Record) -> str | None:
    return next((loc["id"] for loc in doc.get("locations", []) if not loc.get("archived")), None)


def _checks(call: Call, doc: Record, values: Record, current: Record | None) -> list[cw.Problem]:
    problems = cw.references(call.store, values, location_id="locations")
    identifier = values.get("identifier")
    if identifier is not None:
        others = {s["identifier"] for s in doc["stock_items"] if s is not current}
        problems += cw.check(bool(identifier.strip()), ("identifier", *cw.BLANK))
        problems += cw.check(identifier not in others, ("identifier", *cw.TAKEN))
    starts = values["from"] if "from" in values else _instant((current or {}).get("from"))
    stops = values["till"] if "till" in values else _instant((current or {}).get("till"))
    if starts is not None and stops is not None and stops <= starts:
        problems.append(("till", "must be after from", "invalid"))
    return problems


def _instant(value: Any) -> datetime | None:
    return parse_instant(value) if isinstance(value, str) else None


def _written(call: Call) -> tuple[Record, bool]:
    values = attributes_of(call, KIND, WRITABLE)
    values.pop("properties_attributes", None)
    return values, values.pop("confirm_shortage", None) is True


def _answer(call: Call, ident: str, status: int = 200) -> Response:
    record = call.store.find(KIND, ident)
    assert record is not None
    return respond(document(call.store, STOCK_ITEMS, record, call.query), status)
