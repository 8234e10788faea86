"""The `specify_stock_items` fulfillment action (DOCS-HEAD §4.4): name stock items on a
planning, or take them off, without changing its quantity.

    {"action": "specify_stock_items", "product_id": ..., "planning_id": ...,
     "stock_item_ids_to_add": [...], "stock_item_ids_to_remove": [...]}

The docs' rules: "It is not possible to specify more StockItems than there is remaining
quantity left on the Planning" (the planning's stock item plannings, less the removed, plus
the added, never exceed its quantity), and "StockItems that have already been started cannot
be removed". Choices where the docs are silent (docs/vendors/booqable.md): a missing list is
empty, but an action must add or remove something; `planning_id` may be left out when the
product has one planning on the order (as for starting); a stock item is named once per
request; an added one must be free of this order's other plannings.

On an order that takes stock (reserved, started, stopped) each changed planning's engine
allocation is replaced by one naming its new units, all plannings in one engine call: a unit
held by another order over the period refuses the whole request (422, blocking
`stock_item_specified`), nothing changed. The quantity is unchanged, so no new shortage can
arise; a shortage confirmed earlier stays confirmed. New and concept orders take no stock, so
nothing is checked against other orders there, as for booking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from booking_sandbox.vendors.booqable import booking, order_records, rules, stock
from booking_sandbox.vendors.booqable.fulfillment_moves import planning_of
from booking_sandbox.vendors.booqable.jsonapi import Record
from booking_sandbox.vendors.booqable.order_bookings import Reader
from booking_sandbox.vendors.booqable.pools import UNAVAILABLE_ITEM_STATES
from booking_sandbox.vendors.booqable.records import Planning, StockItemPlanning

KEYS = frozenset(
    {"action", "product_id", "planning_id", "stock_item_ids_to_add", "stock_item_ids_to_remove"}
)
FULL = "cannot be specified: every unit of the planning is specified"


@dataclass
class Spec:
    """What one request does to one planning's stock items."""

    planning: Planning
    product: Record
    add: list[str] = field(default_factory=list)
    remove: list[StockItemPlanning] = field(default_factory=list)


@dataclass
class Specifier:
    reader: Reader
    specs: dict[str, Spec] = field(default_factory=dict)
    named: set[str] = field(default_factory=set)  # every stock item the request names

    def read(self, path: str, action: Record) -> None:
        reader = self.reader
        product = reader.record(
            "products", f"{path}.product_id", action.get("product_id"), "product"
        )
        add = self._ids(f"{path}.stock_item_ids_to_add", action.get("stock_item_ids_to_add"))
        remove = self._ids(
            f"{path}.stock_item_ids_to_remove", action.get("stock_item_ids_to_remove")
        )
        if product is None or add is None or remove is None:
            return
        if product.get("tracking_type") != "trackable":
            reader.problem(
                f"{path}.product_id", f"{product['id']} has no stock items (not trackable)"
            )
            return
        if not add and not remove:
            reader.problem(
                f"{path}.stock_item_ids_to_add",
                "can't be blank when stock_item_ids_to_remove is blank",
                "blank",
            )
            return
        planning = planning_of(reader, path, product, action.get("planning_id"))
        if planning is None:
            return
        spec = self.specs.setdefault(planning["id"], Spec(planning, product))
        for ident in remove:
            self._remove(spec, ident)
        for ident in add:
            self._add(spec, ident)

    def _ids(self, path: str, value: Any) -> list[str] | None:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
            self.reader.problem(path, "must be an array of stock item ids")
            return None
        return value

    def _once(self, ident: str) -> bool:
        if ident in self.named:
            self.reader.problem("", f"stock_item_id {ident} is named twice", "taken")
            return False
        self.named.add(ident)
        return True

    def _remove(self, spec: Spec, ident: str) -> None:
        if not self._once(ident):
            return
        sips = self.reader.store.children(
            "stock_item_plannings", "planning_id", spec.planning["id"]
        )
        sip = next((s for s in sips if s["stock_item_id"] == ident), None)
        if sip is None:
            self.reader.problem("", f"stock_item_id {ident} is not specified on this planning")
        elif sip["started"]:  # the docs: "cannot be removed"
            self.reader.problem("", f"stock_item_id {ident} has been started: it cannot be removed")
        else:
            spec.remove.append(sip)

    def _add(self, spec: Spec, ident: str) -> None:
        if not self._once(ident):
            return
        store, product = self.reader.store, spec.product
        item = store.find("stock_items", ident)
        on_order = order_records.stock_item_plannings_of(store, self.reader.order)
        if item is None or item["product_id"] != product["id"]:
            text = f"is not a stock item of {product['id']}"
        elif item.get("status") in UNAVAILABLE_ITEM_STATES:
            text = f"is {item['status']}"
        elif any(s["stock_item_id"] == ident for s in on_order):
            text = "has already been booked on this order"  # the 2024 docs' words
        else:
            spec.add.append(ident)
            return
        self.reader.problem("", f"stock_item_id {ident} {text}")

    def check(self) -> None:
        """No planning ends with more stock items than its quantity (after every action)."""
        store = self.reader.store
        for spec in self.specs.values():
            planning = spec.planning
            kept = len(store.children("stock_item_plannings", "planning_id", planning["id"]))
            room = planning["quantity"] - kept + len(spec.remove)
            for ident in spec.add[max(room, 0) :]:
                self.reader.problem("", f"stock_item_id {ident} {FULL}")

    def apply(self, now: datetime) -> None:
        """The engine first (it may refuse), then the records."""
        store, order = self.reader.store, self.reader.order
        takes = order["status"] in rules.TAKES_STOCK
        if takes:
            self._hold()
        for spec in self.specs.values():
            for sip in spec.remove:
                store.remove("stock_item_plannings", sip["id"])
            for ident in spec.add:
                booking.new_stock_item_planning(store, order, spec.planning, ident, takes, now)
        order_records.refresh(store, order, now)

    def _hold(self) -> None:
        store, order = self.reader.store, self.reader.order
        needs, plannings = [], []
        for spec in self.specs.values():
            planning = spec.planning
            gone = {s["id"] for s in spec.remove}
            units = tuple(
                s["stock_item_id"]
                for s in store.children("stock_item_plannings", "planning_id", planning["id"])
                if not s["stopped"] and s["id"] not in gone
            ) + tuple(spec.add)
            due = planning["quantity"] - planning["stopped"]
            if due > 0 and stock.has_pool(spec.product):
                needs.append(stock.Need(spec.product, due, units, planning["id"]))
                plannings.append(planning)
        replacing = stock.held(store, plannings)
        ids, _ = stock.take(store, order, needs, confirm_shortage=True, replacing=replacing)
        for planning, ident in zip(plannings, ids, strict=True):
            planning["_allocations"] = [ident]
