"""An imported Booqable state must name only what its records, catalog and inventory hold.

The records are already valid against schemas/state/booqable.schema.json; these are the
cross references a schema cannot express. The engine's side is the planning's `_allocations`:
on its product's pool, owned by its order, held by that planning only, and active exactly
while the order takes stock (reserved, started, stopped) and the planning has items that
are not back yet; together they hold the quantity still due (quantity - stopped) with every
stock item not stopped, as fulfillment_moves leaves them ("Items are available for other
rentals again" once stopped, reference §4.1).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from booking_sandbox.vendors.adapter import Document
from booking_sandbox.vendors.booqable.pools import product_pool
from booking_sandbox.vendors.booqable.records import Line, Order, Planning, StockItemPlanning
from booking_sandbox.vendors.booqable.rules import KINDS, LATER_KINDS, POOLED, TAKES_STOCK
from booking_sandbox.vendors.crossref import Problems, resolves


class _Catalog:
    """The fixture document (products nested in their group) as the lookups the checks need."""

    def __init__(self, doc: Document) -> None:
        self.product_group: dict[str, str] = {}
        self.pooled: set[str] = set()
        for group in doc["product_groups"]:
            for product in group["products"]:
                self.product_group[product["id"]] = group["id"]
                if group["tracking_type"] in POOLED:
                    self.pooled.add(product["id"])
        self.bundle_items = {
            item["id"]: {**item, "bundle_id": bundle["id"]}
            for bundle in doc.get("bundles", [])
            for item in bundle["bundle_items"]
        }
        self.items = set(self.product_group) | {b["id"] for b in doc.get("bundles", [])}
        self.stock_items = {s["id"]: s["product_id"] for s in doc.get("stock_items", [])}
        # A catalog without `locations` predates them: location ids are then not checked.
        self.locations: set[str] | None = (
            {loc["id"] for loc in doc["locations"]} if "locations" in doc else None
        )


def state_problems(
    records: Document, catalog: Document, allocations: dict[str, Document]
) -> Problems:
    cat = _Catalog(catalog)
    found: Problems = []
    for kind in (*KINDS, *LATER_KINDS):
        found += [
            (f"$.{kind}.{key}.id", "differs from the record's key")
            for key, record in records.get(kind, {}).items()
            if record["id"] != key
        ]
    found += _orders(records, cat)
    found += _lines(records, cat)
    found += _plannings(records, cat)
    found += _allocations(records, cat, allocations)
    found += _stock_item_plannings(records, cat)
    found += _notes(records, catalog, cat)
    found += _sequence(records, "orders", "order_number", "an order")
    found += _sequence(records, "customers", "customer_number", "a customer")
    return found


def _refs(records: Document, kind: str, attribute: str) -> Iterator[tuple[str, Any]]:
    """(path, value) of a non-null reference attribute of every record of `kind`."""
    for key, record in records[kind].items():
        if record.get(attribute) is not None:
            yield f"$.{kind}.{key}.{attribute}", record[attribute]


def _locations(records: Document, kind: str, cat: _Catalog) -> Problems:
    if cat.locations is None:
        return []
    found: Problems = []
    for attribute in ("start_location_id", "stop_location_id"):
        found += resolves(_refs(records, kind, attribute), cat.locations, "location")
    return found


def _orders(records: Document, cat: _Catalog) -> Problems:
    found = resolves(_refs(records, "orders", "customer_id"), set(records["customers"]), "customer")
    # Tables of the 2025 resources may be absent from an older export (rules.LATER_KINDS).
    for attribute, kind, what in (
        ("coupon_id", "coupons", "coupon"),
        ("tax_region_id", "tax_regions", "tax region"),
    ):
        found += resolves(_refs(records, "orders", attribute), set(records.get(kind, {})), what)
    return found + _locations(records, "orders", cat) + _barcodes(records, cat)


def _barcodes(records: Document, cat: _Catalog) -> Problems:
    """A barcode's owner exists: a customer, an order, a product or a stock item."""
    owners = {
        "customers": set(records["customers"]),
        "orders": set(records["orders"]),
        "products": set(cat.product_group),
        "stock_items": set(cat.stock_items),
    }
    found: Problems = []
    for key, barcode in records.get("barcodes", {}).items():
        if barcode.get("owner_id") not in owners.get(barcode.get("owner_type"), set()):
            found.append((f"$.barcodes.{key}.owner_id", "names no record of its owner_type"))
    return found


def _notes(records: Document, catalog: Document, cat: _Catalog) -> Problems:
    """A note's owner exists (documents and users are not emulated: never)."""
    owners = {
        "customers": set(records["customers"]),
        "orders": set(records["orders"]),
        "product_groups": {g["id"] for g in catalog["product_groups"]},
        "products": set(cat.product_group),
        "stock_items": set(cat.stock_items),
        "bundles": {b["id"] for b in catalog.get("bundles", [])},
    }
    return [
        (f"$.notes.{key}.owner_id", "names no record of its owner_type")
        for key, note in records.get("notes", {}).items()
        if note.get("owner_id") not in owners.get(note.get("owner_type"), set())
    ]


def _lines(records: Document, cat: _Catalog) -> Problems:
    # Valid against schemas/state/booqable.schema.json, which describes these records.
    lines: dict[str, Line] = records["lines"]
    plannings: dict[str, Planning] = records["plannings"]
    found = resolves(_refs(records, "lines", "owner_id"), set(records["orders"]), "order")
    found += resolves(_refs(records, "lines", "item_id"), cat.items, "product or bundle")
    found += resolves(_refs(records, "lines", "planning_id"), set(plannings), "planning")
    found += resolves(_refs(records, "lines", "parent_line_id"), set(lines), "line")
    for key, line in lines.items():
        planning = plannings.get(line["planning_id"] or "")  # a custom line has none
        if planning is not None and planning["order_id"] != line["owner_id"]:
            found.append((f"$.lines.{key}.planning_id", "a planning of another order"))
        for i, (item_id, product_id) in enumerate(line.get("_choices", [])):
            item = cat.bundle_items.get(item_id)
            if item is None or item["bundle_id"] != line["item_id"]:
                found.append((f"$.lines.{key}._choices[{i}][0]", "not a bundle item of the line"))
            elif cat.product_group.get(product_id) != item["product_group_id"]:
                found.append(
                    (f"$.lines.{key}._choices[{i}][1]", "not a product of the bundle item's group")
                )
    return found


def _plannings(records: Document, cat: _Catalog) -> Problems:
    plannings: dict[str, Planning] = records["plannings"]
    found = resolves(_refs(records, "plannings", "order_id"), set(records["orders"]), "order")
    found += resolves(_refs(records, "plannings", "item_id"), cat.items, "product or bundle")
    parents = _refs(records, "plannings", "parent_planning_id")
    found += resolves(parents, set(plannings), "planning")
    for key, planning in plannings.items():
        parent_id = planning["parent_planning_id"]  # ids are strings: None names no planning
        parent = plannings.get(parent_id) if parent_id is not None else None
        if parent is not None and parent["order_id"] != planning["order_id"]:
            found.append((f"$.plannings.{key}.parent_planning_id", "a planning of another order"))
    return found + _locations(records, "plannings", cat)


def _allocations(records: Document, cat: _Catalog, allocations: dict[str, Document]) -> Problems:
    found: Problems = []
    claimed: dict[str, str] = {}  # allocation -> the planning holding it
    plannings: dict[str, Planning] = records["plannings"]
    orders: dict[str, Order] = records["orders"]
    sips: dict[str, StockItemPlanning] = records["stock_item_plannings"]
    for key, planning in plannings.items():
        path = f"$.plannings.{key}._allocations"
        order = orders.get(planning["order_id"])
        takes = order is not None and order["status"] in TAKES_STOCK
        pool = product_pool(planning["item_id"])
        held, units = 0, set()
        for i, ident in enumerate(planning["_allocations"]):
            alloc = allocations.get(ident)
            if alloc is None:
                found.append((f"{path}[{i}]", f"no allocation {ident}"))
            elif claimed.setdefault(ident, key) != key:
                found.append((f"{path}[{i}]", f"{ident} is held by planning {claimed[ident]}"))
            elif alloc["owner"] != planning["order_id"]:
                found.append((f"{path}[{i}]", f"{ident} is owned by {alloc['owner']}"))
            elif alloc["pool"] != pool:
                found.append((f"{path}[{i}]", f"{ident} is on pool {alloc['pool']}, not {pool}"))
            elif order is not None and alloc["status"] != _status(order, planning):
                wanted = _status(order, planning)
                found.append((f"{path}[{i}]", f"{ident} must be {wanted} ({order['status']})"))
            elif alloc["status"] == "confirmed":
                held += alloc["quantity"]
                units |= set(alloc["units"])
        # The engine holds what is still out or due: the planning less what came back.
        if takes and planning["item_id"] in cat.pooled:
            due = planning["quantity"] - planning.get("stopped", 0)
            if held != due:
                found.append((path, f"hold {held}, not the {due} still due"))
            found += [
                (f"$.stock_item_plannings.{k}.stock_item_id", "not held by its planning")
                for k, sip in sips.items()
                if sip["planning_id"] == key
                and not sip.get("stopped")
                and sip["stock_item_id"] not in units
            ]
    # The other way round: stock held on a Booqable pool belongs to some planning, or no
    # request could ever give it back.
    found += [
        (f"$.inventory.allocations[{ident!r}]", "held on a Booqable pool by no planning")
        for ident, alloc in allocations.items()
        if alloc["pool"].startswith("booqable:")
        and alloc["status"] in ("held", "confirmed")
        and ident not in claimed
    ]
    return found


def _status(order: Order, planning: Planning) -> str:
    """What a planning's allocations may be: active exactly while the order takes stock and
    the planning has items still due (stopped ones are "available for other rentals again")."""
    if order["status"] in TAKES_STOCK and planning["quantity"] > planning.get("stopped", 0):
        return "confirmed"
    return "released"


def _stock_item_plannings(records: Document, cat: _Catalog) -> Problems:
    plannings: dict[str, Planning] = records["plannings"]
    sips = "stock_item_plannings"
    found = resolves(_refs(records, sips, "planning_id"), set(plannings), "planning")
    found += resolves(_refs(records, sips, "order_id"), set(records["orders"]), "order")
    booked: dict[tuple[str, str], str] = {}  # (order, stock item) -> its stock item planning
    table: dict[str, StockItemPlanning] = records[sips]
    for key, sip in table.items():
        path = f"$.{sips}.{key}"
        planning = plannings.get(sip["planning_id"])
        product = cat.stock_items.get(sip["stock_item_id"])
        if product is None:
            found.append((f"{path}.stock_item_id", "unknown stock item"))
        elif planning is not None and product != planning["item_id"]:
            found.append((f"{path}.stock_item_id", "not a stock item of the planning's product"))
        if planning is not None and planning["order_id"] != sip["order_id"]:
            found.append((f"{path}.order_id", "not the order of the planning"))
        first = booked.setdefault((sip["order_id"], sip["stock_item_id"]), key)
        if first != key:
            found.append((f"{path}.stock_item_id", f"booked twice on the order (also {first})"))
    return found


def _sequence(records: Document, kind: str, sequence: str, what: str) -> Problems:
    numbers = [r.get("number") or 0 for r in records[kind].values()]
    if max(numbers, default=0) > records[sequence]:
        return [(f"$.{sequence}", f"lower than {what}'s number: the next one would reuse it")]
    return []
