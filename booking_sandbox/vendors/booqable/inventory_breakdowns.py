"""`GET /inventory_breakdowns` (DOCS-2024 and DOCS-HEAD `_inventory_breakdowns.md`): the stock
of each product "compared to the current time", by location, type and mutation dates.

Computed from the catalog on the namespace clock at the request (nothing is stored): one
record per product, location, status (`in_stock`, `expected`, `expired`), type (`regular`,
`temporary`) and dates, with version-5 UUIDs derived from what it counts (§3.10).
- A trackable product's stock items are counted by the status their `from`/`till` give now
  (expected before `from`, expired from `till`), archived ones not at all. `from` is written
  for expected records only, `till` for temporary or expired ones, `started` (the items out
  with a customer) for in-stock ones only: "only rendered when applicable", as the docs'
  examples show.
- A bulk product is one regular in-stock record of its `stock_count` (bulk stock counts at
  once and for ever, stock_adjustments.py) at the catalog's first location, as inventory
  levels place it; `started` is what its plannings have out and not back.
- `downtime_count` is 0: downtimes are not emulated. Products of tracking type `none`,
  archived products and records counting nothing are left out.

Filters, each `eq` with one value or several (`status` required): `status`,
`inventory_breakdown_type`, `location_id`, `product_id`, `product_group_id`. Stats are the
documented ones only: `sum` of `stock_count` and `started`, `sum` per value of `status` and
`inventory_breakdown_type` (the stock each counts, every value listed), `count` of
`stock_count` and `total`. The `status` sum ignores the status filter, as the docs' three
examples show (the same `in_stock`/`expected`/`expired` sums whichever status they list).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from starlette.responses import Response

from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable import computed_filters, listing
from booking_sandbox.vendors.booqable.errors import request_error
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import Record, Resource, document, one, register
from booking_sandbox.vendors.booqable.rules import POOLED
from booking_sandbox.vendors.booqable.stock_item_writes import status_of
from booking_sandbox.vendors.booqable.wire import respond

KIND = "inventory_breakdowns"
STATUSES = ("in_stock", "expected", "expired")
TYPES = ("regular", "temporary")
FILTERS = ("inventory_breakdown_type", "location_id", "product_group_id", "product_id", "status")
# DOCS-HEAD "Meta": the aggregations each name allows.
STATS = {
    "inventory_breakdown_type": ("sum",),
    "started": ("sum",),
    "status": ("sum",),
    "stock_count": ("sum", "count"),
    "total": ("count",),
}
# Stock items out with a customer: set by fulfillment or by the fixtures.
_OUT = frozenset({"started", "overdue"})
_IDS = uuid.uuid5(uuid.NAMESPACE_URL, "https://booking-sandbox.local/booqable/inventory_breakdowns")

INVENTORY_BREAKDOWNS = Resource(
    KIND,
    (
        "from",
        "till",
        "stock_count",
        "started",
        "downtime_count",
        "status",
        "inventory_breakdown_type",
        "location_id",
        "product_id",
    ),
    (one("location", "locations", "location_id"), one("product", "products", "product_id")),
)
register(INVENTORY_BREAKDOWNS)


async def breakdowns(call: Call) -> Response:
    wanted = computed_filters.read(call, KIND, "InventoryBreakdownResource", FILTERS, ("status",))
    records = _records(call)
    for name in ("inventory_breakdown_type", "location_id", "product_id"):
        if name in wanted:
            keep = set(computed_filters.values(wanted[name]))
            records = [r for r in records if r[name] in keep]
    if "product_group_id" in wanted:
        groups = set(computed_filters.values(wanted["product_group_id"]))
        records = [r for r in records if r["_group"] in groups]
    statuses = set(computed_filters.values(wanted["status"]))
    kept = [r for r in records if r["status"] in statuses]
    query = replace(call.query, filter={}, stats={})  # consumed here; sort and pages as usual
    kept = listing.select(call.store, INVENTORY_BREAKDOWNS, kept, query)
    meta = _stats(call.query.stats, kept, records)
    page = listing.page(kept, query)
    body = document(call.store, INVENTORY_BREAKDOWNS, page, query, meta)
    for obj, record in zip(body["data"], page, strict=True):  # attributes "when applicable"
        obj["attributes"] = {k: v for k, v in obj["attributes"].items() if k in record}
    return respond(body)


def _records(call: Call) -> list[Record]:
    locations = [loc["id"] for loc in call.store.all("locations")]
    first = next(
        (loc["id"] for loc in call.store.all("locations") if not loc.get("archived")), None
    )
    items: dict[str, list[Record]] = {}
    for item in call.store.all("stock_items"):
        if not (item.get("archived") or item.get("status") == "archived"):
            items.setdefault(item["product_id"], []).append(item)
    out = _items_out(call)
    found: list[Record] = []
    for product in call.store.all("products"):
        if product.get("archived") or product.get("tracking_type") not in POOLED:
            continue
        if product["tracking_type"] == "bulk":
            started = _bulk_out(call, product["id"])
            if product["stock_count"] or started:
                counts = {"stock_count": product["stock_count"], "started": started}
                found.append(_record(product, first, "in_stock", "regular", None, None, counts))
            continue
        mine = _trackable(call.now, product, items.get(product["id"], []), out)
        found += sorted(mine, key=lambda r: _order(r, locations))
    return found


def _trackable(
    now: datetime, product: Record, items: Iterable[Record], out: set[str]
) -> list[Record]:
    groups: dict[tuple[Any, ...], Record] = {}
    for item in items:
        starts, stops = _instant(item.get("from")), _instant(item.get("till"))
        status = status_of(now, starts, stops)
        kind = item.get("stock_item_type") or ("temporary" if stops else "regular")
        since = item.get("from") if status == "expected" else None
        until = item.get("till") if kind == "temporary" or status == "expired" else None
        key = (item.get("location_id"), status, kind, since, until)
        if key not in groups:
            counts = {"stock_count": 0, "started": 0}
            groups[key] = _record(product, key[0], status, kind, since, until, counts)
        record = groups[key]
        record["stock_count"] += 1
        if "started" in record and item["id"] in out:
            record["started"] += 1
    return list(groups.values())


def _record(
    product: Record,
    location_id: str | None,
    status: str,
    kind: str,
    since: str | None,
    until: str | None,
    counts: Record,
) -> Record:
    key = "|".join((product["id"], location_id or "", status, kind, since or "", until or ""))
    record: Record = {"id": str(uuid.uuid5(_IDS, key))}
    if since is not None:
        record["from"] = since
    if until is not None:
        record["till"] = until
    record["stock_count"] = counts["stock_count"]
    if status == "in_stock":
        record["started"] = counts["started"]
    record.update(
        downtime_count=0,
        status=status,
        inventory_breakdown_type=kind,
        location_id=location_id,
        product_id=product["id"],
        _group=product["product_group_id"],
    )
    return record


def _order(record: Record, locations: list[str]) -> tuple[Any, ...]:
    where = record["location_id"]
    return (
        STATUSES.index(record["status"]),
        locations.index(where) if where in locations else len(locations),
        TYPES.index(record["inventory_breakdown_type"]),
        record.get("from") or "",
        record.get("till") or "",
    )


def _items_out(call: Call) -> set[str]:
    """Stock items started on an order and not yet stopped, or out by the fixtures' word."""
    out = {
        planned["stock_item_id"]
        for planned in call.store.all("stock_item_plannings")
        if planned["started"] and not planned["stopped"]
    }
    return out | {i["id"] for i in call.store.all("stock_items") if i.get("status") in _OUT}


def _bulk_out(call: Call, product_id: str) -> int:
    plannings = call.store.children("plannings", "item_id", product_id)
    return sum(max(0, int(p["started"]) - int(p["stopped"])) for p in plannings)


def _instant(value: Any) -> datetime | None:
    return parse_instant(value) if isinstance(value, str) else None


def _stats(asked: dict[str, list[str]], kept: list[Record], unfiltered: list[Record]) -> Any:
    """`meta.stats` of the documented aggregations; `unfiltered`: less the status filter."""
    if not asked:
        return None
    found: Record = {}
    for name, aggregates in asked.items():
        found[name] = {}
        for aggregate in aggregates:
            if aggregate not in STATS.get(name, ()):  # Graphiti's StatNotFound
                raise request_error(
                    f"No stat configured for calculation {_symbol(aggregate)} on attribute "
                    f"{_symbol(name)}",
                    "invalid_stat",
                )
            found[name][aggregate] = _stat(name, aggregate, kept, unfiltered)
    return {"stats": found}


def _stat(name: str, aggregate: str, kept: list[Record], unfiltered: list[Record]) -> Any:
    if aggregate == "count":
        return len(kept)
    if name == "status":
        return {s: _sum(r for r in unfiltered if r["status"] == s) for s in STATUSES}
    if name == "inventory_breakdown_type":
        return {t: _sum(r for r in kept if r["inventory_breakdown_type"] == t) for t in TYPES}
    return sum(int(r.get(name) or 0) for r in kept)


def _sum(records: Iterable[Record]) -> int:
    return sum(int(r["stock_count"]) for r in records)


def _symbol(name: str) -> str:
    """Ruby's `inspect` of the names Graphiti's message quotes (listing.py writes it so)."""
    return f":{name}" if name.isidentifier() else f"'{name}'"
