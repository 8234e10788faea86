"""Fill a namespace's Booqable records from its fixtures: customers, orders, their bookings.

Fixture orders may list pre-booked `items` (products by quantity or stock items); they are
booked through the same code as `POST /order_bookings`, at the order's own `created_at`, so
a reserved fixture order holds its stock in the engine from the start.
"""

from __future__ import annotations

import marshal
from typing import Any, cast

from booking_sandbox.core.ids import IdFactory
from booking_sandbox.core.namespace import Namespace
from booking_sandbox.engine.errors import DomainError
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable import booking, order_records
from booking_sandbox.vendors.booqable.catalog import seed_era
from booking_sandbox.vendors.booqable.catalog_extras import account_employee
from booking_sandbox.vendors.booqable.errors import BooqableError
from booking_sandbox.vendors.booqable.records import Order
from booking_sandbox.vendors.booqable.rules import KINDS, LATER_KINDS
from booking_sandbox.vendors.booqable.state import VENDOR, BooqableStore
from booking_sandbox.vendors.booqable.wire import timestamp

Record = dict[str, Any]
# Money the sandbox never moves (no payments): always zero on the wire.
UNPAID = (
    "deposit_paid_in_cents",
    "deposit_refunded_in_cents",
    "deposit_held_in_cents",
    "deposit_to_refund_in_cents",
    "paid_in_cents",
)
# `space.derived` key: the namespace's records have every 2025 attribute (`records`).
UPGRADED = "booqable.later_values"
KINDS_SEEDED = ("orders", *LATER_KINDS)  # besides customers, the fixtures' records seeded


def records(space: Namespace) -> Record:
    """The namespace's Booqable records, seeded from its fixtures the first time."""
    state = space.state_of(VENDOR)
    if not state:
        # Filled aside and attached whole: a seed that fails leaves no half-made records.
        fresh: Record = {kind: {} for kind in (*KINDS, *LATER_KINDS)} | {
            "order_number": 0,
            "customer_number": 0,
        }
        seed(space, fresh)
        state.update(fresh)
    elif UPGRADED not in space.derived:
        # A state imported from before the 2025 attributes were kept: filled once, as its
        # orders' next refresh would (`derived` starts empty after an import or a reset).
        store = BooqableStore(space, state)
        for order in store.orders():
            if "item_count" not in order:
                order_records.later_values(store, order)
    space.derived[UPGRADED] = True
    return state


def prepare(space: Namespace) -> None:
    """Book the fixture orders' items when the namespace is made (reserved ones hold stock)."""
    records(space)


def seed(space: Namespace, state: dict[str, Any]) -> None:
    doc = space.catalogs["booqable"]  # shared with other namespaces: read only
    # The fixtures' records become this namespace's: copied deep, so that no later change of
    # a record (its nested properties...) can reach the shared catalog.
    copied = marshal.loads(marshal.dumps({k: doc.get(k, []) for k in ("customers", *KINDS_SEEDED)}))
    for customer in copied["customers"]:
        state["customers"][customer["id"]] = seed_era(customer)
    for kind in LATER_KINDS:  # before the orders: their totals read coupons and tax regions
        for record in copied[kind]:
            state[kind][record["id"]] = later_record(kind, record)
    made = timestamp(space.clock.now())
    for note in state["notes"].values():  # by the account's employee (notes.py), undated: now
        note.setdefault("employee_id", account_employee(doc))
        note.setdefault("created_at", made)
        note.setdefault("updated_at", note["created_at"])
    state["customer_number"] = max(
        (c.get("number") or 0 for c in doc.get("customers", [])), default=0
    )
    state["order_number"] = max((o.get("number") or 0 for o in doc.get("orders", [])), default=0)
    store = BooqableStore(space, state)  # the state being filled
    # Ids of what the fixtures imply come from a sequence of their own: the same in every
    # namespace, whatever was requested before, and the namespace's own sequence untouched.
    own, space.ids = space.ids, IdFactory(0, "booqable-fixtures")
    try:
        for i, fixture in enumerate(copied["orders"]):
            _seed_order(store, fixture, f"$.orders[{i}]")
    finally:
        space.ids = own


def _seed_order(store: BooqableStore, fixture: Record, path: str) -> None:
    fixture = _dated(store, fixture)
    order = order_record(seed_era({k: v for k, v in fixture.items() if k != "items"}))
    store.add("orders", order)
    at = parse_instant(fixture["created_at"])
    wants = [_want(store, item) for item in fixture.get("items", [])]
    try:  # booking refreshes the order's totals; an order without items is refreshed here
        if wants:
            booking.book(store, order, wants, confirm_shortage=False, now=at)
        else:
            order_records.refresh(store, order, at)
    except (BooqableError, DomainError) as exc:
        raise FixtureSetupError(f"booqable: {path}.items: cannot be booked: {exc}") from None
    order["updated_at"] = seed_era(fixture)["updated_at"]


def _dated(store: BooqableStore, fixture: Record) -> Record:
    """The fixtures' schema leaves an order's timestamps out: it was then made when the
    namespace's records were (its clock's start) and not updated since."""
    made = fixture.get("created_at") or timestamp(store.space.clock.now())
    return {**fixture, "created_at": made, "updated_at": fixture.get("updated_at") or made}


def later_record(kind: str, fixture: Record) -> Record:
    """A coupon, tax region or barcode of the fixtures as stored: a tax region keeps its
    rates as bookkeeping (`_tax_rates`, served as `tax_rates`, taxes.py)."""
    record = seed_era({k: v for k, v in fixture.items() if k != "tax_rates"})
    if kind == "tax_regions":
        record["_tax_rates"] = [seed_era(rate) for rate in fixture.get("tax_rates", [])]
    return record


class FixtureSetupError(ValueError):
    """The fixtures' pre-booked orders do not fit their stock (or their order's status)."""


def order_record(attributes: Record) -> Order:
    """An order's record with every attribute the wire needs (totals filled by refresh)."""
    order: Record = {
        "number": None,
        "status": "new",
        "starts_at": None,
        "stops_at": None,
        "deposit_type": "percentage",
        "deposit_value": 100.0,
        "discount_type": "percentage",
        "discount_percentage": 0.0,
        "tag_list": [],
        "properties": {},
        "customer_id": None,
        "tax_region_id": None,
        "coupon_id": None,
        **dict.fromkeys(UNPAID, 0),
        # What a client may set (orders.KEPT): the 2025 answers show these defaults.
        "override_period_restrictions": False,
        "order_delivery_rate_attributes": None,
        "billing_address_property_id": None,
        "delivery_address_property_id": None,
        "fulfillment_type": "pickup",
        **attributes,
    }
    # The one place an order is made, from JSON-like attributes (a fixture order, closed by
    # the fixtures' schema, or what `orders.blank` sets): their keys are Order's.
    return cast(Order, order)


def _want(store: BooqableStore, item: Record) -> booking.Want:
    product = store.find("products", item["product_id"])
    assert product is not None  # checked by the fixtures' cross references
    ids = tuple(item.get("stock_item_ids", []))
    return booking.Want(item.get("quantity", len(ids)), product, ids)
