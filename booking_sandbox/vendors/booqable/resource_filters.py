"""The documented filters that are not a stored attribute of the same name, per resource.

Sources: each resource's "Filters" table in DOCS-2022 (`source/includes/_<resource>.md`, the
seed's era) and DOCS-HEAD (`source/includes/v4/resources/_<resource>.md`); the sandbox serves
the union on both prefixes. Where the docs only name a filter, the sandbox's reading is said
here (and in docs/vendors/booqable.md). A value the sandbox keeps no record of (a downtime,
a collection) is null, so `eq` finds nothing and `not_eq` everything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from booking_sandbox.vendors.booqable.filters import Derived, derived
from booking_sandbox.vendors.booqable.jsonapi import Record, Store

Predicate = Callable[[Store, Record, list[str]], bool]


def stored_or(name: str, spec: str, default: Any) -> Derived:
    """An attribute the records of an older state may lack (or hold as null): `default`."""
    return derived(spec, lambda store, record: _or(record.get(name), default))


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


def _texts_match(values: list[str], texts: list[Any]) -> bool:
    """`q`: any value (case-insensitive) inside any of the texts."""
    wanted = [v.strip().lower() for v in values if v.strip()]
    found = [t.lower() for t in texts if isinstance(t, str)]
    return any(w in t for w in wanted for t in found)


# --- orders ---------------------------------------------------------------------------------


def _order_q(store: Store, record: Record, values: list[str]) -> bool:
    """Orders' `q`: the order number (exact), the customer's name or email (part of), or a
    tag (exact); the docs name the filter only."""
    customer = store.find("customers", record.get("customer_id")) or {}
    number = record.get("number")
    tags = [t.lower() for t in record.get("tag_list") or []]
    for value in (v.strip().lower() for v in values):
        if value and (value == str(number) or value in tags):
            return True
    return _texts_match(values, [customer.get("name"), customer.get("email")])


def _order_items(store: Store, record: Record) -> list[str]:
    """`item_id`: the products and bundles planned on the order, a bundle's products too."""
    return [p["item_id"] for p in store.children("plannings", "order_id", record["id"])]


def _order_stock_items(store: Store, record: Record) -> list[str]:
    sips = store.children("stock_item_plannings", "order_id", record["id"])
    return [s["stock_item_id"] for s in sips]


def _top_plannings(store: Store, record: Record) -> list[Record]:
    plannings = store.children("plannings", "order_id", record["id"])
    return [p for p in plannings if p.get("parent_planning_id") is None]


def _money(name: str, compute: Callable[[Record], int | None]) -> Derived:
    """A 2025 total: as stored when the order holds one (a stored null too: what is still to
    be paid on an order never priced, as written), else computed from the 2022 totals the way
    the DOCS-HEAD list example adds up."""
    return derived(
        "integer", lambda store, record: record[name] if name in record else compute(record)
    )


def _cents(record: Record, name: str) -> int:
    value = record.get(name)
    return value if isinstance(value, int) else 0


def _discount_value(store: Store, record: Record) -> float | None:
    """What `discount_value` was written as: the percentage, or the fixed amount."""
    if record.get("discount_type") == "fixed":
        fixed = record.get("_discount_fixed_in_cents")
        return fixed / 100 if isinstance(fixed, int) else None
    percentage = record.get("discount_percentage")
    return float(percentage) if isinstance(percentage, int | float) else None


ORDER_CUSTOM: dict[str, Predicate] = {
    "q": _order_q,
    "item_id": derived("uuid eq", _order_items),
    "stock_item_id": derived("uuid eq", _order_stock_items),
    # Its start or its stop: `gte` and `lte` together find the orders whose period touches
    # the range; `between` takes `from,till` (or a `[from, till]` list) and finds the orders
    # that start or stop inside it (both ends included).
    "start_or_stop_time": derived(
        "datetime eq not_eq gt gte lt lte between",
        lambda store, record: [record.get("starts_at"), record.get("stops_at")],
    ),
    "any_shortage": derived(
        "boolean",
        lambda store, record: bool(record.get("shortage") or record.get("location_shortage")),
    ),
    "has_signed_contract": stored_or("has_signed_contract", "boolean", False),
    "discount_value": derived("float", _discount_value),
    "item_count": derived(
        "integer",
        lambda store, record: _or(
            record.get("item_count"), sum(p["quantity"] for p in _top_plannings(store, record))
        ),
    ),
    "amount_in_cents": _money(
        "amount_in_cents", lambda r: _cents(r, "grand_total_with_tax_in_cents")
    ),
    "amount_paid_in_cents": _money("amount_paid_in_cents", lambda r: _cents(r, "paid_in_cents")),
    "amount_to_be_paid_in_cents": _money(
        "amount_to_be_paid_in_cents",
        lambda r: max(0, _cents(r, "grand_total_with_tax_in_cents") - _cents(r, "paid_in_cents")),
    ),
    "deposit_to_be_paid_in_cents": _money(
        "deposit_to_be_paid_in_cents",
        lambda r: max(0, _cents(r, "deposit_in_cents") - _cents(r, "deposit_paid_in_cents")),
    ),
    "total_in_cents": _money(
        "total_in_cents",
        lambda r: _cents(r, "grand_total_with_tax_in_cents") + _cents(r, "deposit_in_cents"),
    ),
    "total_paid_in_cents": _money(
        "total_paid_in_cents",
        lambda r: _cents(r, "paid_in_cents") + _cents(r, "deposit_paid_in_cents"),
    ),
    "total_to_be_paid_in_cents": _money(
        "total_to_be_paid_in_cents", lambda r: _cents(r, "to_be_paid_in_cents")
    ),
}


# --- plannings and stock item plannings -------------------------------------------------------


def _item(store: Store, record: Record) -> Record:
    return (
        store.find("products", record.get("item_id"))
        or store.find("bundles", record.get("item_id"))
        or {}
    )


def _planning_q(store: Store, record: Record, values: list[str]) -> bool:
    """Plannings' `q`: the item's name (part of) or the order's number (exact)."""
    order = store.find("orders", record.get("order_id")) or {}
    if any(v.strip() == str(order.get("number")) for v in values):
        return True
    return _texts_match(values, [_item(store, record).get("name")])


def _planning_status(store: Store, record: Record) -> str | None:
    """How far the planning went: stopped, started, reserved, else its order's status."""
    quantity = record.get("quantity") or 0
    if quantity and record.get("stopped") == quantity:
        return "stopped"
    if record.get("started"):
        return "started"
    if record.get("reserved"):
        return "reserved"
    order = store.find("orders", record.get("order_id")) or {}
    status = order.get("status")
    return status if isinstance(status, str) else None


_ORDER_PLANNING = {
    "archived": stored_or("archived", "boolean", False),
    "archived_at": stored_or("archived_at", "datetime", None),
    "downtime_id": derived("uuid", lambda store, record: None),  # no downtimes kept
}

PLANNING_CUSTOM: dict[str, Predicate] = {
    **_ORDER_PLANNING,
    "q": _planning_q,
    "item_type": derived(
        "string",
        lambda store, record: (
            "Bundle" if store.find("bundles", record.get("item_id")) is not None else "Product"
        ),
    ),
    "planning_type": derived("string", lambda store, record: "order"),
    "product_type": derived(
        "string", lambda store, record: _item(store, record).get("product_type")
    ),
    "status": derived("enum", _planning_status),
}


def _sip_status(store: Store, record: Record) -> str | None:
    if record.get("stopped"):
        return "stopped"
    if record.get("started"):
        return "started"
    if record.get("reserved"):
        return "reserved"
    order = store.find("orders", record.get("order_id")) or {}
    status = order.get("status")
    return status if isinstance(status, str) else None


def _planning_time(name: str) -> Derived:
    return derived(
        "datetime",
        lambda store, record: (store.find("plannings", record.get("planning_id")) or {}).get(name),
    )


STOCK_ITEM_PLANNING_CUSTOM: dict[str, Predicate] = {
    **_ORDER_PLANNING,
    "starts_at": _planning_time("starts_at"),
    "stops_at": _planning_time("stops_at"),
    "status": derived("enum", _sip_status),
    "stock_item_planning_type": derived("enum", lambda store, record: "order"),
}


# --- customers ----------------------------------------------------------------------------


def _customer_q(store: Store, record: Record, values: list[str]) -> bool:
    """Customers' `q`: the name or email (part of), or the number (exact)."""
    if any(v.strip() == str(record.get("number")) for v in values):
        return True
    return _texts_match(values, [record.get("name"), record.get("email")])


def _orders_of(store: Store, record: Record) -> list[Record]:
    """The customer's orders that count as business: not `new`, not canceled."""
    orders = store.children("orders", "customer_id", record["id"])
    return [o for o in orders if o.get("status") not in ("new", "canceled")]


def _revenue(store: Store, record: Record) -> int:
    return sum(_cents(o, "grand_total_with_tax_in_cents") for o in _orders_of(store, record))


def _average(store: Store, record: Record) -> int:
    orders = _orders_of(store, record)
    return round(_revenue(store, record) / len(orders)) if orders else 0


CUSTOMER_CUSTOM: dict[str, Predicate] = {
    "q": _customer_q,
    "order_count": derived("integer", lambda store, record: len(_orders_of(store, record))),
    "revenue_in_cents": derived("integer", _revenue),
    "average_order_value_in_cents": derived("integer", _average),
    "balance_due_in_cents": derived(
        "integer",
        lambda store, record: sum(
            _cents(o, "to_be_paid_in_cents") for o in _orders_of(store, record)
        ),
    ),
    "latest_order_at": derived(
        "datetime gt gte lt lte",
        lambda store, record: max(
            (o["created_at"] for o in _orders_of(store, record)), default=None
        ),
    ),
}


# --- catalog ------------------------------------------------------------------------------


def item_q(store: Store, record: Record, values: list[str]) -> bool:
    """Items' `q`: the name or the SKU (part of)."""
    return _texts_match(values, [record.get("name"), record.get("sku")])


def stock_item_q(store: Store, record: Record, values: list[str]) -> bool:
    """Stock items' `q`: the identifier (part of)."""
    return _texts_match(values, [record.get("identifier")])
