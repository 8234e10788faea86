"""Orders (reference §4.1): list, show, `new`, create, update (PUT and PATCH) and delete.

Sandbox choices where the docs are silent (docs/vendors/booqable.md):
- `starts_at`/`stops_at` are rounded down to the quarter hour (13:05:39.975Z -> 13:00:00,
  §3.10); `stops_at` must come after `starts_at` (422 on `stops_at`).
- An unknown customer, location, tax region or coupon id is a 422 `must exist` on its
  attribute; an archived or inactive coupon newly applied is a 422 `inactive`.
- Assigning a customer copies its tax region, discount and deposit; its `default` deposit
  is the settings' default (percentage 100). Attributes sent with it win.
- `status` is writable on create only (`new`, `concept` or `reserved`, `draft` read as
  `concept`; DOCS-HEAD "readonly-after-create"); reserving on create needs a period.
- `discount_value` is the percentage for `discount_type: percentage` (0..100) and an
  amount in the currency's unit for `fixed`, turned into `discount_percentage` against the
  discountable lines when written.
- `GET /orders/new` returns the namespace's order that this endpoint created while it is
  still `new` without a period, else creates one (200 either way).
- DELETE removes the order with its lines, plannings and stock item plannings and releases
  its stock; only an order with items out (`started`, `stopped`) is refused (422 on
  `status`). The answer is the order as it last stood, as `application/json` (CASS).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from starlette.responses import Response

from booking_sandbox.vendors.booqable import (
    order_records,
    rules,
    seeding,
    shortage_eras,
    stock,
    transitions,
    views,
)
from booking_sandbox.vendors.booqable.errors import BooqableError, validation
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import check_includes, document
from booking_sandbox.vendors.booqable.order_resources import ORDERS
from booking_sandbox.vendors.booqable.pricing import cents
from booking_sandbox.vendors.booqable.properties import written_properties
from booking_sandbox.vendors.booqable.records import Order, OrderPatch
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.state import BooqableStore
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, respond, timestamp

Record = dict[str, Any]
Problem = tuple[str, str, str]
# Order attributes this module sets by name from a table below (Order's keys: records.py).
EnumKey = Literal["deposit_type", "discount_type", "fulfillment_type"]
ReferenceKey = Literal[
    "customer_id", "tax_region_id", "coupon_id", "start_location_id", "stop_location_id"
]
KeptKey = Literal[
    "override_period_restrictions",
    "order_delivery_rate_attributes",
    "billing_address_property_id",
    "delivery_address_property_id",
    "fulfillment_type",
]
PeriodKey = Literal["starts_at", "stops_at"]
LocationKey = Literal["start_location_id", "stop_location_id"]

# Reference §4.1, request body table of `POST /orders` (the same set for PUT and PATCH).
WRITABLE = {
    "starts_at": "datetime?",
    "stops_at": "datetime?",
    "deposit_type": "enum?",
    "deposit_value": "float",
    "override_period_restrictions": "boolean",
    "confirm_shortage": "boolean?",
    "tag_list": "array_of_strings",
    "properties_attributes": "array",
    "order_delivery_rate_attributes": "hash?",
    "discount_value": "float",
    "discount_type": "enum",
    "billing_address_property_id": "uuid?",
    "delivery_address_property_id": "uuid?",
    "fulfillment_type": "enum",
    "customer_id": "uuid?",
    "tax_region_id": "uuid?",
    "coupon_id": "uuid?",
    "start_location_id": "uuid",
    "stop_location_id": "uuid",
}
CREATE_ONLY = {"status": "enum?"}
CREATABLE = ("new", "concept", "reserved")
ENUMS: dict[EnumKey, tuple[str, ...]] = {
    "deposit_type": ("none", "percentage_total", "percentage", "fixed"),
    "discount_type": ("percentage", "fixed"),
    "fulfillment_type": ("pickup", "delivery"),
}
REFERENCES: dict[ReferenceKey, str] = {
    "customer_id": "customers",
    "tax_region_id": "tax_regions",
    "coupon_id": "coupons",
    "start_location_id": "locations",
    "stop_location_id": "locations",
}
# Stored as sent; the seed's era does not show them.
KEPT: tuple[KeptKey, ...] = (
    "override_period_restrictions",
    "order_delivery_rate_attributes",
    "billing_address_property_id",
    "delivery_address_property_id",
    "fulfillment_type",
)
PERIOD: tuple[PeriodKey, ...] = ("starts_at", "stops_at")
LOCATIONS: tuple[LocationKey, ...] = ("start_location_id", "stop_location_id")
QUARTER = 15


async def show_new(call: Call) -> Response:
    check_includes(ORDERS, call.query.include)
    found = next((o for o in call.store.orders() if _still_new(o)), None)
    if found is None:
        sequence = call.space.ids.to_json()
        found = blank(call)
        found["_from_new"] = True
        order_records.refresh(call.store, found, call.now)
        if call.request.method == "HEAD":  # answered like GET, but changes nothing
            call.space.ids.restore(sequence)
        else:
            call.store.add("orders", found)
            # A GET that writes: the QA plane takes GETs for reads, so this one says it
            # changed the namespace itself (cached order lists must not miss the new order).
            call.space.changed()
    return respond(document(call.store, ORDERS, found, call.query))


def _still_new(order: Order) -> bool:
    """This endpoint's order, still `new` and without a period: the employee's draft."""
    period = (order["starts_at"], order["stops_at"])
    return bool(order.get("_from_new")) and order["status"] == "new" and period == (None, None)


async def create(call: Call) -> Response:
    check_includes(ORDERS, call.query.include)  # a 400 before any change
    sent = attributes_of(call, "orders", WRITABLE | CREATE_ONLY)
    confirm = sent.pop("confirm_shortage", None) is True
    status = transitions.status_name(sent.pop("status", None) or "new")
    if status not in CREATABLE:
        raise validation(("status", "is not included in the list", "inclusion"))
    order = blank(call)
    order.update(changes(call.store, order, sent))
    check_period(order)
    if status != "new":  # checked (period, stock) before the order exists
        transitions.move(call.store, order, status, confirm_shortage=confirm, now=call.now)
    call.store.add("orders", order)
    settle(call.store, order, call.now)
    return respond(document(call.store, ORDERS, order, call.query), 201)


async def update(call: Call) -> Response:
    store = call.store
    order = views.path_order(call)
    check_includes(ORDERS, call.query.include)
    sent = attributes_of(call, "orders", WRITABLE)
    confirm = sent.pop("confirm_shortage", None) is True
    updated: Order = {**order, **changes(store, order, sent)}
    check_period(updated)
    moved = any(updated[k] != order[k] for k in PERIOD)
    plannings = order_records.plannings_of(store, order)
    taken = None
    if moved and order["status"] in rules.TAKES_STOCK:
        # One engine call moves every planning's stock; a refusal leaves everything as it was.
        transitions.require_period(updated)
        holding = [p for p in plannings if transitions.due(p, order["status"]) > 0]
        needs = stock.needs_of(store, holding)
        held = stock.held(store, holding)
        try:
            ids, report = stock.take(
                store, updated, needs, confirm_shortage=confirm, replacing=held
            )
        except BooqableError as exc:  # the 2024 docs' shape on `/api/4`
            raise shortage_eras.in_era(exc, call.query.era, store, updated) from None
        taken = (holding, needs, ids, report)
    order.update(updated)
    if moved:
        order_records.reprice(store, order, call.now)
    if taken is not None:
        transitions.assign(store, *taken)
    for planning in plannings:  # plannings follow the order's locations
        for key in LOCATIONS:
            if planning[key] != order[key]:
                planning[key] = order[key]
                planning["updated_at"] = timestamp(call.now)
    settle(store, order, call.now)
    return respond(document(store, ORDERS, order, call.query))


async def delete(call: Call) -> Response:
    store = call.store
    order = views.path_order(call)
    if order["status"] in ("started", "stopped"):
        raise validation(
            ("status", f"is {order['status']}: return its items before deleting it", "invalid")
        )
    body = document(store, ORDERS, order, call.query)  # as it last stood
    plannings = order_records.plannings_of(store, order)
    stock.release(store, plannings)
    for kind, records in (
        ("stock_item_plannings", order_records.stock_item_plannings_of(store, order)),
        ("plannings", plannings),
        ("lines", order_records.lines_of(store, order)),
        # Its notes and barcode go too: kept, they would name an order no export can import.
        ("notes", order_records.owned_by(store, "notes", order)),
        ("barcodes", order_records.owned_by(store, "barcodes", order)),
    ):
        for record in records:
            store.remove(kind, record["id"])
    store.remove("orders", order["id"])
    return respond(body, 200, PLAIN_JSON)


def blank(call: Call) -> Order:
    """A `new` order with the settings' defaults (§4.1 Create), not stored yet."""
    locations = call.store.all("locations")
    first = locations[0]["id"] if locations else None
    return seeding.order_record(
        {
            "id": call.space.ids.uuid4(),
            "created_at": timestamp(call.now),
            "updated_at": timestamp(call.now),
            "start_location_id": first,
            "stop_location_id": first,
            **dict.fromkeys(KEPT),
            "override_period_restrictions": False,
            "fulfillment_type": "pickup",
        }
    )


def changes(store: BooqableStore, order: Order, sent: Record) -> OrderPatch:
    """The record values `sent` asks for, or a 422 naming every problem."""
    problems: list[Problem] = []
    found: OrderPatch = {}
    if sent.get("customer_id") not in (None, order.get("customer_id")):  # a new customer
        customer = store.find("customers", sent["customer_id"])
        if customer is not None:  # its settings first: explicit attributes override them
            found.update(customer_settings(customer))
    for name, kind in REFERENCES.items():
        if name in sent:
            value = sent[name]
            target = store.find(kind, value) if value is not None else None
            if value is not None and target is None:
                problems.append((name, "must exist", "required"))
            elif name == "coupon_id" and target is not None and _spent(target, order):
                # A shop refuses a code it no longer honours; one already on the order stays.
                problems.append((name, "is not an active coupon", "inactive"))
            found[name] = value
    for enum_name, allowed in ENUMS.items():
        if sent.get(enum_name) is not None and sent[enum_name] not in allowed:
            problems.append((enum_name, "is not included in the list", "inclusion"))
        elif enum_name in sent:
            found[enum_name] = sent[enum_name]
    for period_key in PERIOD:
        if period_key in sent:
            value = sent[period_key]
            found[period_key] = None if value is None else timestamp(quarter(value))
    if "deposit_value" in sent:
        if sent["deposit_value"] < 0:
            problems.append(
                ("deposit_value", "must be greater than or equal to 0", "greater_than_or_equal_to")
            )
        found["deposit_value"] = sent["deposit_value"]
    problems += discount(order, sent, found)
    if "tag_list" in sent:
        found["tag_list"] = sent["tag_list"]
    if "properties_attributes" in sent:
        properties, trouble = written_properties(order, sent["properties_attributes"])
        problems += trouble
        found["properties"] = properties
    for kept in KEPT:  # in KEPT's order, as an update with them would
        if kept in sent:
            found[kept] = sent[kept]
    if problems:
        raise validation(*problems)
    return found


def customer_settings(customer: Record) -> OrderPatch:
    """What assigning a customer persists on the order (§4.1): its tax region, discount and
    deposit. A customer's `default` deposit is the settings' one (percentage, 100): the docs'
    "assign a customer" example adds up only so (97103 + 100 % of a 100000 deposit = 197103)."""
    deposit = (customer.get("deposit_type"), customer.get("deposit_value", 0))
    if deposit[0] in (None, "default"):
        base = seeding.order_record({})
        deposit = (base["deposit_type"], base["deposit_value"])
    return {
        "tax_region_id": customer.get("tax_region_id"),
        "discount_type": "percentage",
        "discount_percentage": float(customer.get("discount_percentage") or 0),
        "_discount_fixed_in_cents": None,
        "deposit_type": deposit[0],
        "deposit_value": deposit[1],
    }


def discount(order: Order, sent: Record, found: OrderPatch) -> list[Problem]:
    kind = found.get("discount_type", order.get("discount_type", "percentage"))
    if "discount_value" not in sent:
        if kind == "fixed" and order.get("discount_type") != "fixed":  # keep today's amount
            found["_discount_fixed_in_cents"] = order.get("discount_in_cents", 0)
        return []
    value = sent["discount_value"]
    if value < 0 or (kind == "percentage" and value > 100):
        limit = "between 0 and 100" if kind == "percentage" else "greater than or equal to 0"
        return [("discount_value", f"must be {limit}", "invalid")]
    if kind == "percentage":
        found["discount_percentage"] = float(value)
        found["_discount_fixed_in_cents"] = None
    else:
        found["_discount_fixed_in_cents"] = cents(Decimal(str(value)) * 100)
    return []


def quarter(moment: datetime) -> datetime:
    return moment.replace(minute=moment.minute - moment.minute % QUARTER, second=0, microsecond=0)


def check_period(order: Order) -> None:
    span = order_records.period(order)
    if span is not None and not span[0] < span[1]:
        raise validation(("stops_at", "must be after starts_at", "after"))


def settle(store: BooqableStore, order: Order, now: datetime) -> None:
    """A fixed discount is a percentage of today's discountable lines; then the totals."""
    fixed = order.get("_discount_fixed_in_cents")
    if fixed is not None:
        lines = order_records.lines_of(store, order)
        base = sum(
            ln["price_in_cents"]
            for ln in lines
            if ln.get("parent_line_id") is None and ln.get("discountable")
        )
        if not base:
            order["discount_percentage"] = 0.0
        else:  # compared first: a huge amount over a small base is past a float's range
            order["discount_percentage"] = 100.0 if fixed >= base else fixed * 100 / base
    order_records.refresh(store, order, now)


def _spent(coupon: Record, order: Order) -> bool:
    """A coupon that can no longer be applied: archived or switched off, unless the order
    already carries it (changing other attributes must not drop it)."""
    if coupon["id"] == order.get("coupon_id"):
        return False
    return bool(coupon.get("archived")) or coupon.get("active") is False
