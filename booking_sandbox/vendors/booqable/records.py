"""The Booqable records a namespace stores (state.py): orders, lines, plannings and stock item
plannings, each its wire attributes plus `id` plus the sandbox's bookkeeping (keys starting
with `_`, which the serializer never writes).

TypedDicts, so mypy checks every key read or written; at runtime they are the plain JSON-able
dicts the state export writes, keys in the order their creation sites insert them
(seeding.order_record, booking.py). schemas/state/booqable.schema.json describes the same
records (strictly only what the import checks use); where it admits a null the code never
writes (a line's `item_id`, `planning_id`), the type is what the code writes. Customers stay
plain dicts.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

# What came out and what came back: counts on a planning, flags on a stock item planning.
Progress = Literal["started", "stopped"]


class Order(TypedDict):
    """An order: `seeding.order_record` makes it (fixture orders, `orders.blank`), every change
    of its lines, plannings, period or status ends in `order_records.refresh`."""

    id: str
    created_at: str
    updated_at: str
    number: int | None  # given when the order leaves `new`
    status: str  # new, concept, reserved, started, stopped, archived, canceled
    starts_at: str | None
    stops_at: str | None
    deposit_type: str | None
    deposit_value: float
    discount_type: str | None
    discount_percentage: float
    tag_list: list[str]
    properties: dict[str, Any]
    customer_id: str | None
    tax_region_id: str | None
    coupon_id: str | None
    # seeding.UNPAID: money the sandbox never moves, always 0.
    deposit_paid_in_cents: int
    deposit_refunded_in_cents: int
    deposit_held_in_cents: int
    deposit_to_refund_in_cents: int
    paid_in_cents: int
    # A fixture order may have no locations.
    start_location_id: NotRequired[str | None]
    stop_location_id: NotRequired[str | None]
    # orders.KEPT: stored as sent; set on the orders the API creates.
    override_period_restrictions: NotRequired[bool | None]
    order_delivery_rate_attributes: NotRequired[dict[str, Any] | None]
    billing_address_property_id: NotRequired[str | None]
    delivery_address_property_id: NotRequired[str | None]
    fulfillment_type: NotRequired[str | None]
    # Derived by order_records.refresh (pricing.order_totals and the status roll-ups): absent
    # only between the order's creation and its first refresh.
    price_in_cents: NotRequired[int]
    grand_total_in_cents: NotRequired[int]
    grand_total_with_tax_in_cents: NotRequired[int]
    tax_in_cents: NotRequired[int]
    discount_in_cents: NotRequired[int]
    coupon_discount_in_cents: NotRequired[int]
    total_discount_in_cents: NotRequired[int]
    deposit_in_cents: NotRequired[int]
    to_be_paid_in_cents: NotRequired[int]
    payment_status: NotRequired[str]
    status_counts: NotRequired[dict[str, int]]
    statuses: NotRequired[list[str]]
    entirely_started: NotRequired[bool]
    entirely_stopped: NotRequired[bool]
    shortage: NotRequired[bool]
    location_shortage: NotRequired[bool]
    # The 2025 era's attributes (reference §3.4, Appendix C), by order_records.later_values:
    # absent on an imported state from before them until its first request (seeding.records).
    item_count: NotRequired[int]
    has_signed_contract: NotRequired[bool]
    amount_in_cents: NotRequired[int]
    amount_paid_in_cents: NotRequired[int]
    amount_to_be_paid_in_cents: NotRequired[int | None]  # None while the order has no line
    deposit_to_be_paid_in_cents: NotRequired[int | None]  # the same
    total_in_cents: NotRequired[int]
    total_paid_in_cents: NotRequired[int]
    total_to_be_paid_in_cents: NotRequired[int]
    delivery_address: NotRequired[str | None]
    order_delivery_rate_id: NotRequired[str | None]
    # Bookkeeping.
    _from_new: NotRequired[bool]  # made by `GET /orders/new`
    _discount_fixed_in_cents: NotRequired[int | None]  # a `fixed` discount, kept as an amount
    # Its taxes per rate, by refresh (pricing.TaxValue as dicts): the `tax_values` resource.
    _tax_values: NotRequired[list[dict[str, Any]]]


class OrderPatch(TypedDict, total=False):
    """Some of an order's attributes, to `update` an order with: the keys and types of `Order`,
    every one optional (a TypedDict's `update` takes nothing narrower)."""

    id: str
    created_at: str
    updated_at: str
    number: int | None
    status: str
    starts_at: str | None
    stops_at: str | None
    deposit_type: str | None
    deposit_value: float
    discount_type: str | None
    discount_percentage: float
    tag_list: list[str]
    properties: dict[str, Any]
    customer_id: str | None
    tax_region_id: str | None
    coupon_id: str | None
    deposit_paid_in_cents: int
    deposit_refunded_in_cents: int
    deposit_held_in_cents: int
    deposit_to_refund_in_cents: int
    paid_in_cents: int
    start_location_id: str | None
    stop_location_id: str | None
    override_period_restrictions: bool | None
    order_delivery_rate_attributes: dict[str, Any] | None
    billing_address_property_id: str | None
    delivery_address_property_id: str | None
    fulfillment_type: str | None
    price_in_cents: int
    grand_total_in_cents: int
    grand_total_with_tax_in_cents: int
    tax_in_cents: int
    discount_in_cents: int
    coupon_discount_in_cents: int
    total_discount_in_cents: int
    deposit_in_cents: int
    to_be_paid_in_cents: int
    payment_status: str
    status_counts: dict[str, int]
    statuses: list[str]
    entirely_started: bool
    entirely_stopped: bool
    shortage: bool
    location_shortage: bool
    item_count: int
    has_signed_contract: bool
    amount_in_cents: int
    amount_paid_in_cents: int
    amount_to_be_paid_in_cents: int | None
    deposit_to_be_paid_in_cents: int | None
    total_in_cents: int
    total_paid_in_cents: int
    total_to_be_paid_in_cents: int
    delivery_address: str | None
    order_delivery_rate_id: str | None
    _from_new: bool
    _discount_fixed_in_cents: int | None
    _tax_values: list[dict[str, Any]]


class Line(TypedDict):
    """A line of an order: one per top-level planning (booking._new_line), or a custom
    charge or section line without item or planning (lines.py)."""

    id: str
    created_at: str
    updated_at: str
    title: str | None  # a custom line may have none
    extra_information: str | None
    quantity: int
    original_price_each_in_cents: int | None  # None on a custom line
    price_each_in_cents: int
    price_in_cents: int
    position: int
    charge_label: str | None
    charge_length: int | None
    price_rule_values: dict[str, Any] | None
    discountable: bool
    taxable: bool
    line_type: str
    relevant: bool
    item_id: str | None  # the catalog product or bundle; None on a custom line
    tax_category_id: str | None
    planning_id: str | None  # None on a custom line
    parent_line_id: str | None
    owner_id: str  # the order
    owner_type: str  # "orders"
    _deposit_each: int  # deposit of one unit, in cents
    # A bundle line's chosen product per bundle item: [bundle item id, product id].
    _choices: NotRequired[list[list[str]]]
    # The 2025 attributes, filled by order_records.refresh where a line lacks them.
    archived: NotRequired[bool]
    archived_at: NotRequired[str | None]
    order_id: NotRequired[str]
    original_charge_length: NotRequired[int | None]
    original_charge_label: NotRequired[str | None]
    display_price_in_cents: NotRequired[int]
    price_structure_id: NotRequired[str | None]
    price_tile_id: NotRequired[str | None]
    # What a client set on the line (lines.py), kept over repricing: its own price each,
    # its own charge length (None: computed from the order's period).
    _price_each: NotRequired[int | None]
    _charge_length: NotRequired[int | None]


class PlanningPeriod(TypedDict):
    """A planning's period: the order's, and the stock interval it reserves."""

    starts_at: str | None
    stops_at: str | None
    reserved_from: str | None
    reserved_till: str | None


class Planning(TypedDict):
    """A product or bundle planned on an order, or a bundle's product (booking._new_planning)."""

    id: str
    created_at: str
    updated_at: str
    quantity: int
    starts_at: str | None
    stops_at: str | None
    reserved_from: str | None
    reserved_till: str | None
    reserved: bool
    started: int  # items out
    stopped: int  # items back
    location_shortage_amount: int
    shortage_amount: int
    item_id: str
    order_id: str
    start_location_id: str | None
    stop_location_id: str | None
    parent_planning_id: str | None  # the bundle planning this one is part of
    # The 2025 attributes `archived`, `archived_at`, `price_tile_id` (DOCS-2024) are added by
    # order_records.later_values, untyped: declared here, every literal making a planning
    # (booking.py) would have to name them.
    _allocations: list[str]  # engine allocation ids on its product's pool


class StockItemPlanning(TypedDict):
    """A stock item named on a planning (booking.new_stock_item_planning)."""

    id: str
    created_at: str
    updated_at: str
    reserved: bool
    started: bool
    stopped: bool
    stock_item_id: str
    planning_id: str
    order_id: str
    # The 2025 attributes, filled by order_records.refresh where a record lacks them.
    archived: NotRequired[bool]
    archived_at: NotRequired[str | None]
