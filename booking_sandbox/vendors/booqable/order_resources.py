"""Orders and what bookings create on them, attribute order as in seed 003 (2022 docs)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from booking_sandbox.vendors.booqable import notes, properties, resource_filters
from booking_sandbox.vendors.booqable.jsonapi import (
    AnyRecord,
    Ref,
    Rel,
    Resource,
    Store,
    item_rel,
    many,
    one,
    owned,
    register,
)


def _ids(kind: str, key: str) -> Rel:
    """To-many over ids a transient record lists (what an order booking touched)."""

    def resolve(store: Store, record: AnyRecord) -> list[Ref]:
        return [(kind, r) for i in record[key] if (r := store.find(kind, i)) is not None]

    return Rel(kind, True, (kind,), resolve)


def _line_of_planning(store: Store, record: AnyRecord) -> list[Ref]:
    return [("lines", r) for r in store.children("lines", "planning_id", record["id"])][:1]


def _tax_values(store: Store, record: AnyRecord) -> list[Ref]:
    """An order's taxes per rate, kept on the order by its refresh (taxes.py serves them)."""
    owned = {"owner_id": record["id"], "owner_type": "orders"}
    return [("tax_values", {**value, **owned}) for value in record.get("_tax_values", [])]


def _properties(store: Store, record: AnyRecord) -> list[Ref]:
    return [("properties", r) for r in properties.of_owner("orders", record)]


def _barcode(store: Store, record: AnyRecord) -> list[Ref]:
    return [("barcodes", r) for r in store.children("barcodes", "owner_id", record["id"])][:1]


def _float(value: Any) -> Any:
    """The 2025 era writes `deposit_value` as a float (`100.0`); the seed's wrote `100`."""
    return float(value) if type(value) is int else value


def _addressed(properties: dict[str, Any] | None) -> dict[str, Any]:
    """A 2025 order's properties: every recorded order (CASS) has a delivery and a billing
    address property, null until filled; the seed's era wrote `{}`."""
    return {"delivery_address": None, "billing_address": None, **(properties or {})}


# DOCS-2024 lines (reference §4.11), in the wire order of its examples.
_LINE_ATTRIBUTES_V4 = (
    "created_at", "updated_at", "archived", "archived_at", "title", "extra_information",
    "quantity", "original_price_each_in_cents", "original_charge_length",
    "original_charge_label", "price_each_in_cents", "price_in_cents", "display_price_in_cents",
    "position", "charge_label", "charge_length", "price_rule_values", "discountable", "taxable",
    "line_type", "relevant", "order_id", "item_id", "tax_category_id", "price_structure_id",
    "price_tile_id", "planning_id", "parent_line_id", "owner_id", "owner_type",
)  # fmt: skip
# DOCS-2024 stock item plannings (reference §4.10).
_SIP_ATTRIBUTES_V4 = (
    "created_at", "updated_at", "archived", "archived_at", "reserved", "started", "stopped",
    "stock_item_id", "planning_id", "order_id",
)  # fmt: skip
_UUID = "uuid"
_TIME = "datetime"

# The recorded 2025 order (reference §3.4 and Appendix C, CASS) in its wire order.
_ORDER_ATTRIBUTES_V4 = (
    "created_at", "updated_at", "number", "status", "statuses", "status_counts",
    "starts_at", "stops_at", "deposit_type", "deposit_value", "entirely_started",
    "entirely_stopped", "location_shortage", "shortage", "payment_status",
    "override_period_restrictions", "has_signed_contract", "item_count", "tag_list",
    "properties", "amount_in_cents", "amount_paid_in_cents", "amount_to_be_paid_in_cents",
    "deposit_in_cents", "deposit_held_in_cents", "deposit_paid_in_cents",
    "deposit_to_be_paid_in_cents", "deposit_refunded_in_cents", "deposit_to_refund_in_cents",
    "total_in_cents", "total_paid_in_cents", "total_to_be_paid_in_cents",
    "total_discount_in_cents", "coupon_discount_in_cents", "discount_in_cents",
    "grand_total_in_cents", "grand_total_with_tax_in_cents", "paid_in_cents",
    "price_in_cents", "tax_in_cents", "to_be_paid_in_cents", "discount_type",
    "discount_percentage", "billing_address_property_id", "delivery_address_property_id",
    "fulfillment_type", "delivery_address", "customer_id", "tax_region_id", "coupon_id",
    "start_location_id", "stop_location_id", "order_delivery_rate_id",
)  # fmt: skip

# DOCS-2024 plannings (reference §4.9's list), with the `price_tile_id` the same docs'
# booking answer (Appendix A) ends with.
_PLANNING_ATTRIBUTES_V4 = (
    "created_at", "updated_at", "archived", "archived_at", "quantity", "starts_at",
    "stops_at", "reserved_from", "reserved_till", "reserved", "started", "stopped",
    "location_shortage_amount", "shortage_amount", "order_id", "item_id",
    "start_location_id", "stop_location_id", "parent_planning_id", "price_tile_id",
)  # fmt: skip

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
        Rel("barcode", False, ("barcodes",), _barcode, related=owned("barcodes", "orders")),
        Rel(
            "properties", True, ("properties",), _properties, related=owned("properties", "orders")
        ),
        one("start_location", "locations", "start_location_id"),
        one("stop_location", "locations", "stop_location_id"),
        Rel(
            "tax_values",
            True,
            ("tax_values",),
            _tax_values,
            related="tax_values?filter[owner_id]={id}",
        ),
        many("lines", "lines", "owner_id", owned("lines", "orders")),
        many("stock_item_plannings", "stock_item_plannings", "order_id"),
        replace(many("plannings", "plannings", "order_id"), listed=False),
        replace(notes.of_owner("orders"), listed=False),  # DOCS-HEAD; not in the 2022 list
    ),
    # DOCS-2022 and DOCS-HEAD "Filters" (reference §4.1): their union. `status`,
    # `deposit_type` and `payment_status` were strings in 2022 (enums since).
    {
        "id": "uuid eq not_eq gt",
        "created_at": _TIME,
        "updated_at": _TIME,
        "number": "integer",
        "status": "string",
        "statuses": "array eq not_eq",
        "status_counts": "hash",
        "starts_at": _TIME,
        "stops_at": _TIME,
        "deposit_type": "string",
        "discount_type": "enum",
        "fulfillment_type": "string",
        "entirely_started": "boolean",
        "entirely_stopped": "boolean",
        "location_shortage": "boolean",
        "shortage": "boolean",
        "payment_status": "string",
        "tag_list": "array",
        "price_in_cents": "integer",
        "grand_total_in_cents": "integer",
        "grand_total_with_tax_in_cents": "integer",
        "tax_in_cents": "integer",
        "discount_in_cents": "integer",
        "coupon_discount_in_cents": "integer",
        "total_discount_in_cents": "integer",
        "deposit_in_cents": "integer",
        "deposit_paid_in_cents": "integer",
        "deposit_refunded_in_cents": "integer",
        "deposit_held_in_cents": "integer",
        "deposit_to_refund_in_cents": "integer",
        "to_be_paid_in_cents": "integer",
        "paid_in_cents": "integer",
        "discount_percentage": "float",
        "customer_id": _UUID,
        "tax_region_id": _UUID,
        "coupon_id": _UUID,
        "start_location_id": _UUID,
        "stop_location_id": _UUID,
        "billing_address_property_id": _UUID,
        "delivery_address_property_id": _UUID,
        "order_delivery_rate_id": _UUID,
        "conditions": "hash",
    },
    resource_filters.ORDER_CUSTOM,
    attributes_v4=_ORDER_ATTRIBUTES_V4,
    values_v4={"deposit_value": _float, "properties": _addressed},
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
        item_rel(),
        one("tax_category", "tax_categories", "tax_category_id"),
        one("planning", "plannings", "planning_id"),
        one("parent_line", "lines", "parent_line_id"),
        many("nested_lines", "lines", "parent_line_id"),
        one("owner", "orders", "owner_id"),
        replace(one("order", "orders", "order_id"), listed=False),
    ),
    {
        "id": _UUID,
        "created_at": _TIME,
        "updated_at": _TIME,
        "archived": "boolean",
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
        # DOCS-HEAD lines "Filters" (reference §4.11).
        "archived_at": _TIME,
        "bundle_item_id": _UUID,
        "discountable": "boolean",
        "price_structure_id": _UUID,
        "price_tile_id": _UUID,
        "relevant": "boolean",
        "tax_category_id": _UUID,
        "taxable": "boolean",
    },
    attributes_v4=_LINE_ATTRIBUTES_V4,
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
        item_rel(),
        one("order", "orders", "order_id"),
        Rel(
            "order_line",
            False,
            ("lines",),
            _line_of_planning,
            related="lines?filter[planning_id]={id}",
        ),
        one("start_location", "locations", "start_location_id"),
        one("stop_location", "locations", "stop_location_id"),
        one("parent_planning", "plannings", "parent_planning_id"),
        # (the 2022 docs' link filters on `planning_id`)
        many(
            "nested_plannings",
            "plannings",
            "parent_planning_id",
            "plannings?filter[planning_id]={id}",
        ),
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
        "location_shortage_amount": "integer",
        "item_id": _UUID,
        "order_id": _UUID,
        "start_location_id": _UUID,
        "stop_location_id": _UUID,
        "parent_planning_id": _UUID,
        "conditions": "hash",
    },
    resource_filters.PLANNING_CUSTOM,
    attributes_v4=_PLANNING_ATTRIBUTES_V4,
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
    resource_filters.STOCK_ITEM_PLANNING_CUSTOM,
    attributes_v4=_SIP_ATTRIBUTES_V4,
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


def _carried(name: str, kind: str, key: str) -> Rel:
    """To-many over records a transient answer carries (what a fulfillment changed, an
    archived stock item planning included: fulfillment_changes.py). Written only when
    included: the seed's era never listed them."""

    def resolve(store: Store, record: AnyRecord) -> list[Ref]:
        return [(kind, r) for r in record.get(key, ())]

    return Rel(name, True, (kind,), resolve, False)


ORDER_FULFILLMENTS = Resource(
    "order_fulfillments",
    ("order_id",),
    (
        one("order", "orders", "order_id"),
        _carried("changed_lines", "lines", "_changed_lines"),
        _carried("changed_plannings", "plannings", "_changed_plannings"),
        _carried(
            "changed_stock_item_plannings",
            "stock_item_plannings",
            "_changed_stock_item_plannings",
        ),
    ),
)

register(
    ORDERS, LINES, PLANNINGS, STOCK_ITEM_PLANNINGS, ORDER_BOOKINGS, ORDER_STATUS_TRANSITIONS,
    ORDER_FULFILLMENTS,
)  # fmt: skip
