"""Booking products and bundles onto an order: one engine call, then the records.

Shared by `POST /order_bookings` (seed 003), `POST /order_fulfillments` (its successor) and
the fixtures' pre-booked orders. A request is validated and, on a stock-taking order, checked
and allocated as a whole before any record is written: a failed request changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from booking_sandbox.vendors.booqable import order_records, pricing, rules, stock
from booking_sandbox.vendors.booqable.errors import validation
from booking_sandbox.vendors.booqable.records import Line, Order, Planning, StockItemPlanning
from booking_sandbox.vendors.booqable.state import BooqableStore
from booking_sandbox.vendors.booqable.wire import timestamp

Record = dict[str, Any]
NOT_BOOKABLE = frozenset({"canceled", "archived"})


@dataclass(frozen=True)
class Want:
    """A product (with named stock items), or a bundle with a product per bundle item."""

    quantity: int
    product: Record | None = None
    stock_item_ids: tuple[str, ...] = ()
    bundle: Record | None = None
    choices: tuple[tuple[Record, Record], ...] = ()  # (bundle item, product)
    merge: bool = True  # add to the order's planning of the same product when there is one
    planning_id: str | None = None  # the planning to add to (fulfillments' update_existing)


@dataclass
class Booked:
    lines: list[str] = field(default_factory=list)
    plannings: list[str] = field(default_factory=list)
    stock_item_plannings: list[str] = field(default_factory=list)


def book(
    store: BooqableStore, order: Order, wants: list[Want], *, confirm_shortage: bool, now: datetime
) -> Booked:
    if order["status"] in NOT_BOOKABLE:
        raise validation(
            ("order_id", f"cannot book items on an order that is {order['status']}", "invalid")
        )
    _check_stock_items(store, order, wants)
    takes = order["status"] in rules.TAKES_STOCK
    needs: list[stock.Need] = []
    if takes:
        needs = [n for want in wants for n in _needs(want)]
    allocations, report = stock.take(store, order, needs, confirm_shortage=confirm_shortage)
    shortages = {
        id(n): c.shortage for n, c in zip(needs, report.lines if report else (), strict=False)
    }
    by_need = dict(zip((id(n) for n in needs), allocations, strict=True))
    booked = Booked()
    need_iter = iter(needs)
    for want in wants:
        if want.bundle is not None:
            _write_bundle(store, order, want, takes, now, booked, need_iter, by_need, shortages)
        else:
            need = next(need_iter) if takes and stock.has_pool(want.product or {}) else None
            _write_product(store, order, want, takes, now, booked, need, by_need, shortages)
    order_records.refresh(store, order, now)
    positions = {line["id"]: line["position"] for line in order_records.lines_of(store, order)}
    booked.lines.sort(key=lambda i: positions[i])
    booked.plannings.sort(key=lambda i: _line_position(store, i, positions))
    return booked


def _needs(want: Want) -> list[stock.Need]:
    if want.bundle is not None:
        return [
            stock.Need(product, want.quantity * item["quantity"], (), None)
            for item, product in want.choices
            if stock.has_pool(product)
        ]
    assert want.product is not None
    if not stock.has_pool(want.product):
        return []
    return [stock.Need(want.product, want.quantity, want.stock_item_ids, want.planning_id)]


def _check_stock_items(store: BooqableStore, order: Order, wants: list[Want]) -> None:
    booked = {s["stock_item_id"] for s in order_records.stock_item_plannings_of(store, order)}
    for want in wants:
        for ident in want.stock_item_ids:
            item = store.find("stock_items", ident)
            assert want.product is not None
            if item is None or item["product_id"] != want.product["id"]:
                raise validation(
                    (
                        "items",
                        f"stock item {ident} is not a stock item of {want.product['id']}",
                        "invalid",
                    )
                )
            if ident in booked:
                raise validation(
                    (
                        "items",
                        f"stock_item_id {ident} has already been booked on this order",
                        "taken",
                    )
                )


def _line_position(store: BooqableStore, planning_id: str, positions: dict[str, int]) -> int:
    line = order_records.line_of(store, planning_id)
    return positions.get(line["id"], 0) if line else 0


def _existing(store: BooqableStore, order: Order, want: Want) -> Planning | None:
    assert want.product is not None
    if want.planning_id is not None:
        return store.find("plannings", want.planning_id)
    if not want.merge:
        return None
    return next(
        (
            p
            for p in order_records.plannings_of(store, order)
            if p["item_id"] == want.product["id"] and p.get("parent_planning_id") is None
        ),
        None,
    )


def _write_product(
    store: BooqableStore,
    order: Order,
    want: Want,
    takes: bool,
    now: datetime,
    booked: Booked,
    need: stock.Need | None,
    by_need: dict[int, str],
    shortages: dict[int, int],
) -> None:
    product = want.product
    assert product is not None
    existing = _existing(store, order, want)
    if existing is None:
        planning = _new_planning(store, order, product["id"], product, 0, takes, now)
        line = _new_line(store, order, product, planning, now)
    else:
        planning = existing
        found = order_records.line_of(store, planning["id"])
        assert found is not None  # every top-level planning has its line
        line = found
    planning["quantity"] += want.quantity
    planning["updated_at"] = timestamp(now)
    if need is not None:
        planning["_allocations"].append(by_need[id(need)])
        planning["shortage_amount"] = planning["location_shortage_amount"] = shortages.get(
            id(need), 0
        )
    span = order_records.period(order)
    starts, stops = span if span else (None, None)
    order_records.set_price(
        line, pricing.product_price(store.catalog, product, starts, stops), planning["quantity"]
    )
    line["updated_at"] = timestamp(now)
    for ident in want.stock_item_ids:
        made = new_stock_item_planning(store, order, planning, ident, takes, now)
        booked.stock_item_plannings.append(made["id"])
    if line["id"] not in booked.lines:
        booked.lines.append(line["id"])
    if planning["id"] not in booked.plannings:
        booked.plannings.append(planning["id"])


def _write_bundle(
    store: BooqableStore,
    order: Order,
    want: Want,
    takes: bool,
    now: datetime,
    booked: Booked,
    need_iter: Any,
    by_need: dict[int, str],
    shortages: dict[int, int],
) -> None:
    bundle = want.bundle
    assert bundle is not None
    parent = _new_planning(store, order, bundle["id"], None, want.quantity, takes, now)
    line = _new_line(store, order, bundle, parent, now)
    line["quantity"] = want.quantity
    line["_choices"] = [[item["id"], product["id"]] for item, product in want.choices]
    line["_deposit_each"] = sum(
        int(p.get("deposit_in_cents") or 0) * item["quantity"] for item, p in want.choices
    )
    span = order_records.period(order)
    order_records.bundle_price(store, line, *(span if span else (None, None)))
    for item, product in want.choices:
        child = _new_planning(
            store, order, product["id"], product, want.quantity * item["quantity"], takes, now
        )
        child["parent_planning_id"] = parent["id"]
        if takes and stock.has_pool(product):
            need = next(need_iter)
            child["_allocations"].append(by_need[id(need)])
            child["shortage_amount"] = child["location_shortage_amount"] = shortages.get(
                id(need), 0
            )
    booked.lines.append(line["id"])
    booked.plannings.append(parent["id"])


def _new_planning(
    store: BooqableStore,
    order: Order,
    item_id: str,
    product: Record | None,
    quantity: int,
    takes: bool,
    now: datetime,
) -> Planning:
    ident = store.space.ids.uuid4()
    record: Planning = {
        "id": ident,
        "created_at": timestamp(now),
        "updated_at": timestamp(now),
        "quantity": quantity,
        **order_records.planning_period(order, product),
        "reserved": takes,
        "started": 0,
        "stopped": 0,
        "location_shortage_amount": 0,
        "shortage_amount": 0,
        "item_id": item_id,
        "order_id": order["id"],
        "start_location_id": order.get("start_location_id"),
        "stop_location_id": order.get("stop_location_id"),
        "parent_planning_id": None,
        "_allocations": [],
    }
    store.add("plannings", record)
    return record


def _new_line(
    store: BooqableStore, order: Order, item: Record, planning: Planning, now: datetime
) -> Line:
    ident = store.space.ids.uuid4()
    position = 1 + max((ln["position"] for ln in order_records.lines_of(store, order)), default=0)
    group = store.catalog.group_of(item) if item.get("type") == "products" else item
    record: Line = {
        "id": ident,
        "created_at": timestamp(now),
        "updated_at": timestamp(now),
        "title": item["name"],
        "extra_information": group.get("extra_information"),
        "quantity": 0,
        "original_price_each_in_cents": 0,
        "price_each_in_cents": 0,
        "price_in_cents": 0,
        "position": position,
        "charge_label": None,
        "charge_length": None,
        "price_rule_values": None,
        "discountable": item.get("discountable", True),
        "taxable": item.get("taxable", True),
        "line_type": "charge",
        "relevant": True,
        "item_id": item["id"],
        "tax_category_id": item.get("tax_category_id"),
        "planning_id": planning["id"],
        "parent_line_id": None,
        "owner_id": order["id"],
        "owner_type": "orders",
        "_deposit_each": int(item.get("deposit_in_cents") or 0),
    }
    store.add("lines", record)
    return record


def new_stock_item_planning(
    store: BooqableStore,
    order: Order,
    planning: Planning,
    stock_item_id: str,
    reserved: bool,
    now: datetime,
) -> StockItemPlanning:
    record: StockItemPlanning = {
        "id": store.space.ids.uuid4(),
        "created_at": timestamp(now),
        "updated_at": timestamp(now),
        "reserved": reserved,
        "started": False,
        "stopped": False,
        "stock_item_id": stock_item_id,
        "planning_id": planning["id"],
        "order_id": order["id"],
    }
    store.add("stock_item_plannings", record)
    return record
