"""Orders and what bookings create on them, attribute order as in seed 003 (2022 docs)."""

from __future__ import annotations

from booking_sandbox.vendors.booqable.jsonapi import (
    AnyRecord,
    Ref,
    Rel,
    Resource,
    Store,
    many,
    one,
    register,
)


def _item(store: Store, record: AnyRecord) -> list[Ref]:
    """A line's or planning's item: a product or a bundle."""
    for kind in ("products", "bundles"):
        found = store.find(kind, record.get("item_id"))
        if found is not None:
            return [(kind, found)]
    return []


def _ids(kind: str, key: str) -> Rel:
    """To-many over ids a transient record lists (what an order booking touched)."""

    def resolve(store: Store, record: AnyRecord) -> list[Ref]:
        return [(kind, r) for i in record[key] if (r := store.find(kind, i)) is not None]

    return Rel(kind, True, (kind,), resolve)


def _line_of_planning(store: Store, record: AnyRecord) -> list[Ref]:
    return [("lines", r) for r in store.children("lines", "planning_id", record["id"])][:1]


ITEM = ("products", "bundles")
_UUID = "uuid"
_TIME = "datetime"

ORDERS = Resource(
    "orders",
    (
        "created_at",
        "updated_at",
        "number",
        "status",
        "statuses",
        "status_counts",
        "starts_at",
        "stops_at",
        "deposit_type",
        "deposit_value",
        "entirely_started",
        "entirely_stopped",
        "location_shortage",
        "shortage",
        "payment_status",
        "tag_list",
        "properties",
        "price_in_cents",
        "grand_total_in_cents",
        "grand_total_with_tax_in_cents",
        "tax_in_cents",
        "discount_in_cents",
        "coupon_discount_in_cents",
        "total_discount_in_cents",
        "deposit_in_cents",
        "deposit_paid_in_cents",
        "deposit_refunded_in_cents",
        "deposit_held_in_cents",
        "deposit_to_refund_in_cents",
        "to_be_paid_in_cents",
        "paid_in_cents",
        "discount_percentage",
        "customer_id",
        "tax_region_id",
        "coupon_id",
        "start_location_id",
        "stop_location_id",
    ),
    (
        one("customer", "customers", "customer_id"),
        one("tax_region", "tax_regions", "tax_region_id"),
        one("coupon", "coupons", "coupon_id"),
        Rel("barcode", False, (), lambda store, record: []),
        Rel("properties", True, (), lambda store, record: []),
        one("start_location", "locations", "start_location_id"),
        one("stop_location", "locations", "stop_location_id"),
        Rel("tax_values", True, (), lambda store, record: []),
        many("lines", "lines", "owner_id"),
        many("stock_item_plannings", "stock_item_plannings", "order_id"),
        Rel("plannings", True, ("plannings",), many("p", "plannings", "order_id").resolve, False),
    ),
    {
        "id": _UUID,
        "created_at": _TIME,
        "updated_at": _TIME,
        "number": "integer",
        "status": "enum",
        "statuses": "array",
        "starts_at": _TIME,
        "stops_at": _TIME,
        "deposit_type": "enum",
        "entirely_started": "boolean",
        "entirely_stopped": "boolean",
        "location_shortage": "boolean",
        "shortage": "boolean",
        "payment_status": "enum",
        "tag_list": "array",
        "price_in_cents": "integer",
        "grand_total_in_cents": "integer",
        "grand_total_with_tax_in_cents": "integer",
        "tax_in_cents": "integer",
        "discount_in_cents": "integer",
        "deposit_in_cents": "integer",
        "to_be_paid_in_cents": "integer",
        "paid_in_cents": "integer",
        "discount_percentage": "float",
        "customer_id": _UUID,
        "tax_region_id": _UUID,
        "coupon_id": _UUID,
        "start_location_id": _UUID,
        "stop_location_id": _UUID,
    },
)

LINES = Resource(
    "lines",
    (
        "created_at",
        "updated_at",
        "title",
        "extra_information",
        "quantity",
        "original_price_each_in_cents",
        "price_each_in_cents",
        "price_in_cents",
        "position",
        "charge_label",
        "charge_length",
        "price_rule_values",
        "discountable",
        "taxable",
        "line_type",
        "relevant",
        "item_id",
        "tax_category_id",
        "planning_id",
        "parent_line_id",
        "owner_id",
        "owner_type",
    ),
    (
        Rel("item", False, ITEM, _item),
        one("tax_category", "tax_categories", "tax_category_id"),
        one("planning", "plannings", "planning_id"),
        one("parent_line", "lines", "parent_line_id"),
        many("nested_lines", "lines", "parent_line_id"),
        one("owner", "orders", "owner_id"),
    ),
    {
        "id": _UUID,
        "created_at": _TIME,
        "updated_at": _TIME,
        "title": "string",
        "quantity": "integer",
        "price_in_cents": "integer",
        "position": "integer",
        "line_type": "enum",
        "item_id": _UUID,
        "planning_id": _UUID,
        "parent_line_id": _UUID,
        "owner_id": _UUID,
        "owner_type": "string",
        "order_id": _UUID,
    },
)

PLANNINGS = Resource(
    "plannings",
    (
        "created_at",
        "updated_at",
        "quantity",
        "starts_at",
        "stops_at",
        "reserved_from",
        "reserved_till",
        "reserved",
        "started",
        "stopped",
        "location_shortage_amount",
        "shortage_amount",
        "item_id",
        "order_id",
        "start_location_id",
        "stop_location_id",
        "parent_planning_id",
    ),
    (
        Rel("item", False, ITEM, _item),
        one("order", "orders", "order_id"),
        Rel("order_line", False, ("lines",), _line_of_planning),
        one("start_location", "locations", "start_location_id"),
        one("stop_location", "locations", "stop_location_id"),
        one("parent_planning", "plannings", "parent_planning_id"),
        many("nested_plannings", "plannings", "parent_planning_id"),
        many("stock_item_plannings", "stock_item_plannings", "planning_id"),
    ),
    {
        "id": _UUID,
        "created_at": _TIME,
        "updated_at": _TIME,
        "quantity": "integer",
        "starts_at": _TIME,
        "stops_at": _TIME,
        "reserved_from": _TIME,
        "reserved_till": _TIME,
        "reserved": "boolean",
        "started": "integer",
        "stopped": "integer",
        "shortage_amount": "integer",
        "item_id": _UUID,
        "order_id": _UUID,
        "start_location_id": _UUID,
        "stop_location_id": _UUID,
        "parent_planning_id": _UUID,
    },
)

STOCK_ITEM_PLANNINGS = Resource(
    "stock_item_plannings",
    (
        "created_at",
        "updated_at",
        "reserved",
        "started",
        "stopped",
        "stock_item_id",
        "planning_id",
        "order_id",
    ),
    (
        one("stock_item", "stock_items", "stock_item_id"),
        one("planning", "plannings", "planning_id"),
        one("order", "orders", "order_id"),
    ),
    {
        "id": _UUID,
        "created_at": _TIME,
        "updated_at": _TIME,
        "reserved": "boolean",
        "started": "boolean",
        "stopped": "boolean",
        "stock_item_id": _UUID,
        "planning_id": _UUID,
        "order_id": _UUID,
    },
)

# Transient answers of the action endpoints: never stored, never listed.
ORDER_BOOKINGS = Resource(
    "order_bookings",
    ("order_id",),
    (
        one("order", "orders", "order_id"),
        _ids("lines", "_lines"),
        _ids("plannings", "_plannings"),
        _ids("stock_item_plannings", "_stock_item_plannings"),
    ),
)

ORDER_STATUS_TRANSITIONS = Resource(
    "order_status_transitions",
    ("order_id", "transition_from", "transition_to", "revert", "confirm_shortage"),
    (one("order", "orders", "order_id"),),
)

ORDER_FULFILLMENTS = Resource(
    "order_fulfillments",
    ("order_id",),
    (one("order", "orders", "order_id"),),
)

register(
    ORDERS, LINES, PLANNINGS, STOCK_ITEM_PLANNINGS, ORDER_BOOKINGS, ORDER_STATUS_TRANSITIONS,
    ORDER_FULFILLMENTS,
)  # fmt: skip
