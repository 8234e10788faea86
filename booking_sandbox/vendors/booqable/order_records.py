"""Order records: their derived attributes (totals, status counts) and their stock periods.

Every change to an order's lines, plannings, period or status goes through `refresh`, so the
totals on the wire always follow from the lines (principle: one place computes them).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from booking_sandbox.engine import Interval
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable import pricing
from booking_sandbox.vendors.booqable.errors import validation
from booking_sandbox.vendors.booqable.records import (
    Line,
    Order,
    Planning,
    PlanningPeriod,
    StockItemPlanning,
)
from booking_sandbox.vendors.booqable.state import BooqableStore
from booking_sandbox.vendors.booqable.wire import timestamp

Record = dict[str, Any]
# The seed's key order of `status_counts`.
COUNTED = ("concept", "new", "reserved", "started", "stopped")


def period(order: Order) -> tuple[datetime, datetime] | None:
    starts, stops = order.get("starts_at"), order.get("stops_at")
    if not starts or not stops:
        return None
    return parse_instant(starts), parse_instant(stops)


def stock_interval(order: Order, product: Record) -> Interval | None:
    """The reserved period: the order's, widened by the product's lead and lag times."""
    span = period(order)
    if span is None or not span[0] < span[1]:
        return None
    lead = timedelta(seconds=int(product.get("lead_time") or 0))
    lag = timedelta(seconds=int(product.get("lag_time") or 0))
    try:
        return Interval(span[0] - lead, span[1] + lag)
    except OverflowError:  # lead or lag time past year 1 or 9999
        raise validation(("stops_at", "is out of range", "invalid")) from None


def lines_of(store: BooqableStore, order: Order) -> list[Line]:
    return store.children("lines", "owner_id", order["id"])


def line_of(store: BooqableStore, planning_id: str) -> Line | None:
    return next(iter(store.children("lines", "planning_id", planning_id)), None)


def plannings_of(store: BooqableStore, order: Order) -> list[Planning]:
    return store.children("plannings", "order_id", order["id"])


def stock_item_plannings_of(store: BooqableStore, order: Order) -> list[StockItemPlanning]:
    return store.children("stock_item_plannings", "order_id", order["id"])


def wire_number(value: Any) -> Any:
    """The seed's era printed a whole `deposit_value` as an integer (`10`, `100`)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def refresh(store: BooqableStore, order: Order, now: datetime) -> None:
    """Recompute every derived attribute of `order` and stamp `updated_at`."""
    lines = lines_of(store, order)
    plannings = [p for p in plannings_of(store, order) if p.get("parent_planning_id") is None]
    order.update(pricing.order_totals(store.catalog, order, lines))
    counts = dict.fromkeys(COUNTED, 0)
    if order["status"] in counts:
        counts[order["status"]] = sum(p["quantity"] for p in plannings)
    order["status_counts"] = counts
    order["statuses"] = [order["status"]]
    order["entirely_started"] = all(p["started"] >= p["quantity"] for p in plannings)
    order["entirely_stopped"] = bool(plannings) and all(
        p["stopped"] >= p["quantity"] for p in plannings
    )
    short = any(p.get("shortage_amount", 0) > 0 for p in plannings_of(store, order))
    order["shortage"] = order["location_shortage"] = short
    order["deposit_value"] = wire_number(order.get("deposit_value"))
    order["updated_at"] = timestamp(now)


def reprice(store: BooqableStore, order: Order, now: datetime) -> None:
    """New period, new charge: every product line is priced again (bundles from their items)."""
    span = period(order)
    starts, stops = span if span else (None, None)
    for line in lines_of(store, order):
        item = store.find("products", line["item_id"])
        if item is not None:
            price = pricing.product_price(store.catalog, item, starts, stops)
            set_price(line, price, line["quantity"])
        else:
            bundle_price(store, line, starts, stops)
        line["updated_at"] = timestamp(now)
    for planning in plannings_of(store, order):
        span_of = planning_period(order, store.find("products", planning["item_id"]))
        planning["starts_at"] = span_of["starts_at"]  # every key of PlanningPeriod, in order
        planning["stops_at"] = span_of["stops_at"]
        planning["reserved_from"] = span_of["reserved_from"]
        planning["reserved_till"] = span_of["reserved_till"]
        planning["updated_at"] = timestamp(now)


def set_price(line: Line, price: pricing.Price, quantity: int) -> None:
    line["quantity"] = quantity
    line["original_price_each_in_cents"] = price.original_each
    line["price_each_in_cents"] = price.each
    line["price_in_cents"] = price.each * quantity
    line["charge_label"] = price.charge_label
    line["charge_length"] = price.charge_length
    line["price_rule_values"] = price.rule_values


def bundle_price(
    store: BooqableStore, line: Line, starts: datetime | None, stops: datetime | None
) -> None:
    choices = [
        (store.catalog.by_id["bundle_items"][bi], store.catalog.by_id["products"][p])
        for bi, p in line.get("_choices", [])
    ]
    each = pricing.bundle_each(store.catalog, choices, starts, stops)
    length = int((stops - starts).total_seconds()) if starts and stops else 0
    line["original_price_each_in_cents"] = each
    line["price_each_in_cents"] = each
    line["price_in_cents"] = each * line["quantity"]
    line["charge_label"] = pricing.label(length) if length else "0 days"
    line["charge_length"] = length
    line["price_rule_values"] = None


def planning_period(order: Order, product: Record | None) -> PlanningPeriod:
    interval = stock_interval(order, product or {})
    starts, stops = order.get("starts_at"), order.get("stops_at")
    return {
        "starts_at": starts,
        "stops_at": stops,
        "reserved_from": timestamp(interval.start) if interval else starts,
        "reserved_till": timestamp(interval.end) if interval else stops,
    }
