"""The fulfillment actions that hand items out and take them back (reference §4.4).

`start_product`/`stop_product` count bulk items (services and sales items can be started,
not stopped); `start_stock_items`/`stop_stock_items` name trackable units. Starting moves the
order to `started` (taking its stock first when it was `new` or `concept`, reference §4.1:
"An order can go from `new` to `started` directly"); a stock item not yet specified on the
planning is specified when it starts, if the planning has an unspecified unit left. Stopping
gives the stopped items back to the engine ("Items are available for other rentals again")
and the order becomes `stopped` when every item with stock is stopped.

Choices where the docs are silent (docs/vendors/booqable.md): `planning_id` may be omitted when
the product has one planning on the order; a request starts, stops or books, never two of
these ("not all (types of) actions can be combined"); every check runs before any change, and
the engine work is one call, so a refused request changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from booking_sandbox.engine import DomainError
from booking_sandbox.vendors.booqable import booking, order_records, rules, stock, transitions
from booking_sandbox.vendors.booqable.errors import BooqableError
from booking_sandbox.vendors.booqable.jsonapi import Record
from booking_sandbox.vendors.booqable.order_bookings import Reader
from booking_sandbox.vendors.booqable.pools import UNAVAILABLE_ITEM_STATES
from booking_sandbox.vendors.booqable.records import Order, Planning, Progress, StockItemPlanning
from booking_sandbox.vendors.booqable.state import BooqableStore
from booking_sandbox.vendors.booqable.wire import timestamp

_COUNT = frozenset({"action", "product_id", "planning_id", "quantity"})
_UNITS = frozenset({"action", "product_id", "planning_id", "stock_item_ids"})
PROGRESS: tuple[Progress, ...] = ("started", "stopped")
KEYS = {
    "start_product": _COUNT,
    "stop_product": _COUNT,
    "start_stock_items": _UNITS,
    "stop_stock_items": _UNITS,
}


@dataclass
class Move:
    """What one request does to one planning."""

    planning: Planning
    started: int = 0
    stopped: int = 0
    sips: list[StockItemPlanning] = field(default_factory=list)  # to start or stop (new ones too)
    new_units: list[str] = field(default_factory=list)  # stock items specified as they start


@dataclass
class Mover:
    reader: Reader
    moves: dict[str, Move] = field(default_factory=dict)

    def read(self, path: str, name: str, action: Record) -> None:
        reader = self.reader
        product = reader.record(
            "products", f"{path}.product_id", action.get("product_id"), "product"
        )
        if product is None:
            return
        tracking = product.get("tracking_type")
        by_count = name.endswith("_product")
        if by_count and tracking == "trackable":
            text = f"{product['id']} is trackable: use {name.replace('product', 'stock_items')}"
        elif by_count and name == "stop_product" and tracking == "none":
            text = "Sales items and Services cannot be stopped"  # the docs' words (§4.4)
        elif not by_count and tracking != "trackable":
            text = f"{product['id']} has no stock items (not trackable)"
        else:
            move = self._move(path, product, action.get("planning_id"))
            if move is None:
                return
            if by_count:
                self._count(path, name, move, action.get("quantity"))
            elif name == "start_stock_items":
                self._start_units(path, move, product, action.get("stock_item_ids"))
            else:
                self._stop_units(path, move, action.get("stock_item_ids"))
            return
        reader.problem(f"{path}.product_id", text)

    def _move(self, path: str, product: Record, planning_id: Any) -> Move | None:
        planning = planning_of(self.reader, path, product, planning_id)
        if planning is None:
            return None
        return self.moves.setdefault(planning["id"], Move(planning))

    def _count(self, path: str, name: str, move: Move, value: Any) -> None:
        quantity = self.reader.quantity(f"{path}.quantity", value, None)
        if quantity is None:
            return
        planning = move.planning
        if name == "start_product":
            left = planning["quantity"] - planning["started"] - move.started
            what = "not started yet"
        else:
            left = planning["started"] + move.started - planning["stopped"] - move.stopped
            what = "started and not stopped"
        if quantity > left:
            self.reader.problem(f"{path}.quantity", f"must be at most {left} ({what})")
        elif name == "start_product":
            move.started += quantity
        else:
            move.stopped += quantity

    def _ids(self, path: str, ids: Any) -> list[str]:
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            self.reader.problem(
                f"{path}.stock_item_ids", "must be a non-empty array of stock item ids"
            )
            return []
        return ids

    def _start_units(self, path: str, move: Move, product: Record, ids: Any) -> None:
        store, planning = self.reader.store, move.planning
        on_order = order_records.stock_item_plannings_of(store, self.reader.order)
        for ident in self._ids(path, ids):
            sip = next((s for s in on_order if s["stock_item_id"] == ident), None)
            item = store.find("stock_items", ident)
            if sip is not None and sip["planning_id"] != planning["id"]:
                text = "is specified on another planning of this order"
            elif sip is not None and (sip["started"] or sip in move.sips):
                text = "has already been started"
            elif sip is not None:
                move.sips.append(sip)
                continue
            elif item is None or item["product_id"] != product["id"]:
                text = f"is not a stock item of {product['id']}"
            elif item.get("status") in UNAVAILABLE_ITEM_STATES:
                text = f"is {item['status']}"
            elif ident in move.new_units:
                text = "is named twice"
            elif _specified(store, planning) + len(move.new_units) >= planning["quantity"]:
                # "It is not possible to specify more StockItems than there is remaining
                # quantity left on the Planning" (DOCS-HEAD).
                text = "cannot be specified: every unit of the planning is specified"
            else:
                move.new_units.append(ident)
                continue
            self.reader.problem("", f"stock_item_id {ident} {text}")
        move.started = len(move.sips) + len(move.new_units)

    def _stop_units(self, path: str, move: Move, ids: Any) -> None:
        sips = list(
            self.reader.store.children("stock_item_plannings", "planning_id", move.planning["id"])
        )
        for ident in self._ids(path, ids):
            sip = next((s for s in sips if s["stock_item_id"] == ident), None)
            if sip is None or not sip["started"]:
                self.reader.problem("", f"stock_item_id {ident} is not started on this planning")
            elif sip["stopped"] or sip in move.sips:
                self.reader.problem("", f"stock_item_id {ident} has already been stopped")
            else:
                move.sips.append(sip)
        move.stopped = len(move.sips)

    def apply(self, *, confirm_shortage: bool, now: datetime) -> None:
        store, order = self.reader.store, self.reader.order
        starting = any(m.started for m in self.moves.values())
        # New stock item plannings first: the engine must hold their units. A refusal takes
        # them back (and http.endpoint the id sequence), so it leaves no trace.
        made = []
        for move in self.moves.values():
            # starting always leaves the order holding its stock: reserved
            new = [
                booking.new_stock_item_planning(store, order, move.planning, u, True, now)
                for u in move.new_units
            ]
            move.sips += new
            made += new
        changed = [m.planning for m in self.moves.values() if m.new_units or m.stopped]
        try:  # the engine work, before any other change
            if order["status"] in rules.TAKES_STOCK:
                _hold(store, order, changed, self.moves)
            elif starting:
                transitions.move(
                    store, order, "started", confirm_shortage=confirm_shortage, now=now
                )
        except (BooqableError, DomainError):
            for sip in made:
                store.remove("stock_item_plannings", sip["id"])
            raise
        for move in self.moves.values():
            _count_in(move, now)
        _roll_up(store, order, now)
        if starting and order["status"] == "reserved":
            transitions.move(store, order, "started", confirm_shortage=True, now=now)
        elif starting:
            order["status"] = "started"  # a `stopped` order with items booked since
        elif _all_stopped(store, order):
            order["status"] = "stopped"
        order_records.refresh(store, order, now)


def planning_of(reader: Reader, path: str, product: Record, planning_id: Any) -> Planning | None:
    """The action's planning of `product` on the order (nested ones too); `planning_id` may
    be left out when the product has one planning there."""
    mine = [
        p
        for p in order_records.plannings_of(reader.store, reader.order)
        if p["item_id"] == product["id"] and (planning_id is None or p["id"] == planning_id)
    ]
    if len(mine) == 1:
        return mine[0]
    if planning_id is not None:
        text = f"{planning_id} is not a planning of {product['id']} on this order"
    elif mine:
        text = "can't be blank: the product has several plannings on this order"
    else:
        text = f"can't be blank: {product['id']} is not booked on this order"
    reader.problem(f"{path}.planning_id", text)
    return None


def _specified(store: BooqableStore, planning: Planning) -> int:
    return len(store.children("stock_item_plannings", "planning_id", planning["id"]))


def _hold(
    store: BooqableStore, order: Order, plannings: list[Planning], moves: dict[str, Move]
) -> None:
    """The changed plannings' stock in one engine call: what is still due, with its units.

    Quantities never grow here (units are named, items come back), so no shortage is made:
    warnings are accepted; a unit held by another order is still refused (blocking).
    """
    needs, empty = [], []
    for planning in plannings:
        product = store.find("products", planning["item_id"])
        if product is None or not stock.has_pool(product):
            continue
        move = moves[planning["id"]]
        back = {s["id"] for s in move.sips} if move.stopped else set()
        units = tuple(
            s["stock_item_id"]
            for s in store.children("stock_item_plannings", "planning_id", planning["id"])
            if not s["stopped"] and s["id"] not in back
        )
        quantity = planning["quantity"] - planning["stopped"] - move.stopped
        if quantity:
            needs.append(stock.Need(product, quantity, units, planning["id"]))
        else:
            empty.append(planning)
    replacing = stock.held(store, [p for p in plannings if p not in empty])
    ids, _ = stock.take(store, order, needs, confirm_shortage=True, replacing=replacing)
    for need, ident in zip(needs, ids, strict=True):
        next(p for p in plannings if p["id"] == need.planning_id)["_allocations"] = [ident]
    stock.release(store, empty)


def _count_in(move: Move, now: datetime) -> None:
    planning = move.planning
    key: Progress = "started" if move.started else "stopped"
    planning[key] += move.started or move.stopped
    planning["updated_at"] = timestamp(now)
    for sip in move.sips:
        sip[key] = True
        sip["updated_at"] = timestamp(now)


def _roll_up(store: BooqableStore, order: Order, now: datetime) -> None:
    """A bundle's planning is out (back) as far as all of its nested plannings are."""
    plannings = order_records.plannings_of(store, order)
    for parent in plannings:
        children = [p for p in plannings if p.get("parent_planning_id") == parent["id"]]
        if not children or not parent["quantity"]:
            continue
        for key in PROGRESS:
            value = min(c[key] * parent["quantity"] // max(c["quantity"], 1) for c in children)
            if parent[key] != value:
                parent[key] = value
                parent["updated_at"] = timestamp(now)


def _all_stopped(store: BooqableStore, order: Order) -> bool:
    """Every planning with stock is back (services and sales items are never stopped)."""
    counted = [
        p
        for p in order_records.plannings_of(store, order)
        if stock.has_pool(store.find("products", p["item_id"]) or {})
    ]
    return bool(counted) and all(p["stopped"] >= p["quantity"] for p in counted)
