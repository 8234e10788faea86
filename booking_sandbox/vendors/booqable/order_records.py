"""Order records: their derived attributes (totals, status counts) and their stock periods.

Every change to an order's lines, plannings, period or status goes through `refresh`, so the
totals on the wire always follow from the lines (principle: one place computes them).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

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


def owned_by(store: BooqableStore, kind: str, order: Order) -> list[Record]:
    """The notes or barcodes (`owner_type`/`owner_id`) that belong to `order`: they go with it."""
    found = store.children(kind, "owner_id", order["id"])
    return [r for r in found if r.get("owner_type") == "orders"]


def wire_number(value: Any) -> Any:
    """The seed's era printed a whole `deposit_value` as an integer (`10`, `100`)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def refresh(store: BooqableStore, order: Order, now: datetime) -> None:
    """Recompute every derived attribute of `order` and stamp `updated_at`."""
    lines = lines_of(store, order)
    for line in lines:
        _client_set(store, order, line)
        _later_attributes(line)
    for record in stock_item_plannings_of(store, order):
        if "archived" not in record:
            record["archived"] = False
            record["archived_at"] = None
    plannings = [p for p in plannings_of(store, order) if p.get("parent_planning_id") is None]
    totals = pricing.order_totals(store.catalog, order, lines, taxing(store, order))
    values = totals.pop("_tax_values", [])
    order.update(totals)
    order["_tax_values"] = _stamped(order, values, now)
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
    later_values(store, order)
    order["updated_at"] = timestamp(now)


def reprice(store: BooqableStore, order: Order, now: datetime) -> None:
    """New period, new charge: every product line is priced again (bundles from their items);
    custom lines keep the price they were given (DOCS-HEAD lines)."""
    span = period(order)
    starts, stops = span if span else (None, None)
    for line in lines_of(store, order):
        if line["item_id"] is None:
            continue
        reprice_line(store, line, starts, stops)
        line["updated_at"] = timestamp(now)
    for planning in plannings_of(store, order):
        span_of = planning_period(order, store.find("products", planning["item_id"]))
        planning["starts_at"] = span_of["starts_at"]  # every key of PlanningPeriod, in order
        planning["stops_at"] = span_of["stops_at"]
        planning["reserved_from"] = span_of["reserved_from"]
        planning["reserved_till"] = span_of["reserved_till"]
        planning["updated_at"] = timestamp(now)


def reprice_line(
    store: BooqableStore, line: Line, starts: datetime | None, stops: datetime | None
) -> None:
    """An item's line priced for the period (what the client set on it: `refresh`)."""
    item = store.find("products", line["item_id"])
    if item is not None:
        set_price(line, pricing.product_price(store.catalog, item, starts, stops), line["quantity"])
    else:
        bundle_price(store, line, starts, stops)


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


def taxing(store: BooqableStore, order: Order) -> pricing.Taxing:
    """The order's coupon and tax region, as the totals read them."""
    region = store.find("tax_regions", order.get("tax_region_id"))
    rates = tuple(
        pricing.TaxRate(rate["id"], rate["name"], float(rate["value"]))
        for rate in (region or {}).get("_tax_rates", [])
        if not rate.get("archived")
    )
    return pricing.Taxing(
        store.find("coupons", order.get("coupon_id")),
        region["strategy"] if region is not None else None,
        rates,
        pricing.category_rates(store.catalog),
    )


def _stamped(order: Order, values: list[Record], now: datetime) -> list[Record]:
    """Tax values with their ids (one per order and rate) and timestamps: a value keeps its
    `created_at`, and its `updated_at` while its amount stays the same."""
    before = {v["tax_rate_id"]: v for v in order.get("_tax_values", [])}
    found = []
    for value in values:
        old = before.get(value["tax_rate_id"], {})
        same = {k: old.get(k) for k in value} == value
        found.append(
            {
                "id": pricing.derived_id("tax_values", order["id"], value["tax_rate_id"]),
                "created_at": old.get("created_at", timestamp(now)),
                "updated_at": old["updated_at"] if same else timestamp(now),
                **value,
            }
        )
    return found


def _client_set(store: BooqableStore, order: Order, line: Line) -> None:
    """What a client set on a line (lines.py) holds over repricing: its own charge length
    prices the item for that length without price rules; its own price each wins."""
    length = line.get("_charge_length")
    manual = line.get("_price_each")
    if length is None and manual is None:
        return
    each = line["price_each_in_cents"]
    if length is not None:
        line["charge_length"] = length
        original = _length_price(store, line, length)
        if original is not None:  # an item's line; a custom line's price is its own
            line["original_price_each_in_cents"] = each = original
            line["charge_label"] = pricing.label(length) if length else "0 days"
            line["price_rule_values"] = None
    if manual is not None:
        each = manual
        line["price_rule_values"] = None
    line["price_each_in_cents"] = each
    line["price_in_cents"] = each * line["quantity"]


def _length_price(store: BooqableStore, line: Line, length: int) -> int | None:
    product = store.find("products", line["item_id"])
    if product is not None:
        return pricing.length_price(product, length)
    if line["item_id"] is None:
        return None
    choices = [
        (store.catalog.by_id["bundle_items"][bi], store.catalog.by_id["products"][p])
        for bi, p in line.get("_choices", [])
    ]
    return pricing.bundle_length_price(choices, length)


def _later_attributes(line: Line) -> None:
    """The attributes the 2024 docs show on a line, for lines made before they were kept."""
    if "archived" not in line:
        line["archived"] = False
        line["archived_at"] = None
        line["original_charge_length"] = None
        line["original_charge_label"] = None
        line["price_structure_id"] = None
        line["price_tile_id"] = None
    line["order_id"] = line["owner_id"]
    # Prices exclude tax (the sandbox's company setting): the display price is the price.
    line["display_price_in_cents"] = line["price_in_cents"]


def later_values(store: BooqableStore, order: Order) -> None:
    """The 2025 attributes (reference §3.4, Appendix C) from the order's totals: what a client
    owes on the order's amount, its deposit and both (the sandbox moves no money, so what is
    paid stays 0). With no line at all nothing was ever priced: the recordings then write
    `null` for what is still to be paid on the amount and on the deposit (CASS create, list)."""
    lines = lines_of(store, order)
    plannings = plannings_of(store, order)
    for planning in plannings:
        if "archived" not in planning:  # records.Planning: kept untyped
            later = cast(Record, planning)
            later.update(archived=False, archived_at=None, price_tile_id=None)
    amount = order.get("grand_total_with_tax_in_cents", 0)
    deposit = order.get("deposit_in_cents", 0)
    amount_paid = order["paid_in_cents"]
    deposit_paid = order["deposit_paid_in_cents"]
    priced = bool(lines)
    order["item_count"] = sum(
        p["quantity"] for p in plannings if p.get("parent_planning_id") is None
    )
    order["has_signed_contract"] = False  # no documents are signed in the sandbox
    order["amount_in_cents"] = amount
    order["amount_paid_in_cents"] = amount_paid
    order["amount_to_be_paid_in_cents"] = max(0, amount - amount_paid) if priced else None
    order["deposit_to_be_paid_in_cents"] = max(0, deposit - deposit_paid) if priced else None
    order["total_in_cents"] = amount + deposit
    order["total_paid_in_cents"] = amount_paid + deposit_paid
    order["total_to_be_paid_in_cents"] = order.get("to_be_paid_in_cents", 0)
    # Neither address properties nor delivery rates are kept: both stay null.
    order["delivery_address"] = None
    order["order_delivery_rate_id"] = None
    # What a client may set (orders.KEPT), on orders made before they were kept.
    order.setdefault("override_period_restrictions", False)
    order.setdefault("order_delivery_rate_attributes", None)
    order.setdefault("billing_address_property_id", None)
    order.setdefault("delivery_address_property_id", None)
    order.setdefault("fulfillment_type", "pickup")
