"""Coupons (DOCS-HEAD `_coupons.md`; the reference has no section): list, show, create,
update and archive, kept in the namespace's state. An order's `coupon_id` applies one
(pricing.order_totals: `coupon_discount_in_cents`).

Choices where the docs are silent (docs/vendors/booqable.md):
- The "coupons improvements" feature is on: the advanced fields are stored as sent.
  `starts_at` is kept at the start of its day and `ends_at` at its end (UTC).
- Only `active` and `tag_list` change on update ("all other attributes are immutable");
  another value for any other attribute is a 422 `can't be changed` on it.
- A coupon discounts every discountable line (collections are not emulated, so
  `eligible_item_ids` is accepted and kept, not applied); `redemptions_count` counts
  webshop checkouts, which the sandbox has none of: always 0.
- DELETE archives: the coupon stays listed with `archived: true` (the docs' example).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.booqable.errors import validation
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import (
    Record,
    Resource,
    check_includes,
    document,
    register,
)
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.views import find
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, respond, timestamp

KIND = "coupons"
TYPES = ("percentage", "cents")
ELIGIBLE = ("all", "collection", "item")
MUTABLE = ("active", "tag_list")

COUPONS = Resource(
    KIND,
    (
        "created_at",
        "updated_at",
        "archived",
        "archived_at",
        "identifier",
        "coupon_type",
        "value",
        "active",
        "starts_at",
        "ends_at",
        "eligible_item_type",
        "max_redemptions",
        "one_per_customer",
        "minimum_order_amount_in_cents",
        "stackable",
        "tag_list",
        "redemptions_count",
    ),
    (),
    {
        "id": "uuid",
        "created_at": "datetime",
        "updated_at": "datetime",
        "archived": "boolean",
        "archived_at": "datetime",
        "active": "boolean",
        "coupon_type": "string",
        "eligible_item_type": "enum",
        "ends_at": "datetime",
        "identifier": "string",
        "max_redemptions": "integer",
        "minimum_order_amount_in_cents": "integer",
        "one_per_customer": "boolean",
        "stackable": "boolean",
        "starts_at": "datetime",
        "tag_list": "array",
        "value": "integer",
    },
)
register(COUPONS)

# DOCS-HEAD, request body of create and update.
WRITABLE = {
    "active": "boolean",
    "coupon_type": "string",
    "eligible_item_ids": "array_of_strings",
    "eligible_item_type": "enum",
    "ends_at": "datetime?",
    "identifier": "string",
    "max_redemptions": "integer?",
    "minimum_order_amount_in_cents": "integer?",
    "one_per_customer": "boolean",
    "stackable": "boolean",
    "starts_at": "datetime?",
    "tag_list": "array_of_strings",
    "value": "integer",
}


def defaults() -> Record:
    """A new coupon's attributes before the request's (DOCS-HEAD create example)."""
    return {
        "archived": False,
        "archived_at": None,
        "identifier": None,
        "coupon_type": None,
        "value": None,
        "active": True,
        "starts_at": None,
        "ends_at": None,
        "eligible_item_type": "all",
        "max_redemptions": None,
        "one_per_customer": False,
        "minimum_order_amount_in_cents": None,
        "stackable": True,
        "tag_list": [],
        "redemptions_count": 0,
        "_eligible_item_ids": [],
    }


async def create(call: Call) -> Response:
    check_includes(COUPONS, call.query.include)  # a 400 before any change
    values = _written(call)
    record = {**defaults(), **values}
    problems = _problems(record, call.store.all(KIND))
    if problems:
        raise validation(*problems)
    now = timestamp(call.now)
    record = {"id": call.space.ids.uuid4(), "created_at": now, "updated_at": now, **record}
    call.store.add(KIND, record)
    return respond(document(call.store, COUPONS, record, call.query), 201)


async def update(call: Call) -> Response:
    record = find(call, KIND)
    check_includes(COUPONS, call.query.include)
    values = _written(call)
    problems = [
        (name, "can't be changed", "immutable")
        for name, value in values.items()
        if name not in MUTABLE and record.get(name) != value
    ]
    if problems:
        raise validation(*problems)
    if values:
        record.update(values, updated_at=timestamp(call.now))
    return respond(document(call.store, COUPONS, record, call.query))


async def archive(call: Call) -> Response:
    record = find(call, KIND)
    check_includes(COUPONS, call.query.include)
    if not record.get("archived"):  # archiving twice keeps the first moment
        now = timestamp(call.now)
        record.update(archived=True, archived_at=now, updated_at=now)
    return respond(document(call.store, COUPONS, record, call.query), 200, PLAIN_JSON)


def _written(call: Call) -> dict[str, Any]:
    values = attributes_of(call, KIND, WRITABLE)
    if "eligible_item_ids" in values:
        values["_eligible_item_ids"] = values.pop("eligible_item_ids")
    for name, day_edge in (("starts_at", time.min), ("ends_at", time.max)):
        if isinstance(values.get(name), datetime):
            values[name] = timestamp(_on_day(values[name], day_edge))
    return values


def _on_day(moment: datetime, edge: time) -> datetime:
    return datetime.combine(moment.date(), edge.replace(microsecond=0), moment.tzinfo)


_NOT_LISTED = ("is not included in the list", "inclusion")
_BLANK = ("can't be blank", "blank")
Problem = tuple[str, str] | None


def _value(record: Record) -> Problem:
    value = record.get("value")
    if value is None:
        return _BLANK
    if value <= 0:
        return ("must be greater than 0", "greater_than")
    if record.get("coupon_type") == "percentage" and value > 100:
        return ("must be less than or equal to 100", "less_than_or_equal_to")
    return None


def _optional_at_least(low: int) -> Callable[[Record, str], Problem]:
    def check(record: Record, name: str) -> Problem:
        value = record.get(name)
        if value is not None and value < low:
            return (f"must be greater than or equal to {low}", "greater_than_or_equal_to")
        return None

    return check


CHECKS: dict[str, Callable[[Record, str], Problem]] = {
    "identifier": lambda r, n: None if (r.get(n) or "").strip() else _BLANK,
    "coupon_type": lambda r, n: (
        _BLANK if r.get(n) is None else (None if r.get(n) in TYPES else _NOT_LISTED)
    ),
    "value": lambda r, n: _value(r),
    "eligible_item_type": lambda r, n: None if r.get(n) in ELIGIBLE else _NOT_LISTED,
    "max_redemptions": _optional_at_least(1),
    "minimum_order_amount_in_cents": _optional_at_least(0),
    "ends_at": lambda r, n: (
        ("must be after starts_at", "after")
        if r.get(n) and r.get("starts_at") and r[n] < r["starts_at"]
        else None
    ),
}


def _problems(record: Record, others: list[Record]) -> list[tuple[str, str, str]]:
    found = [
        (name, *problem)
        for name, check in CHECKS.items()
        if (problem := check(record, name)) is not None
    ]
    identifier = (record.get("identifier") or "").strip().lower()
    taken = any(
        (c.get("identifier") or "").lower() == identifier and not c.get("archived") for c in others
    )
    if identifier and taken:  # a code customers type in: one live coupon per code
        found.append(("identifier", "has already been taken", "taken"))
    return found
