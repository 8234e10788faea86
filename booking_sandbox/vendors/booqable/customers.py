"""Customers: list, show, create, update and archive (DELETE), kept in the namespace's state.

Attribute order is DOCS-2024's create example, with `stripe_id` where the real 2025 server
writes it (CASS); relationships are the 2022-era list. Validation is the sandbox's reading
of the model (reference §9.8: undocumented): a blank name, a malformed email, an unknown
`deposit_type`/`legal_type` or a percentage outside 0..100 answer Graphiti's 422.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.booqable import notes, properties, resource_filters
from booking_sandbox.vendors.booqable.errors import validation
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import (
    AnyRecord,
    Record,
    Ref,
    Rel,
    Resource,
    Store,
    document,
    one,
    owned,
    register,
)
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.views import find
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, respond, timestamp

KIND = "customers"
DEPOSIT_TYPES = ("default", "none", "percentage_total", "percentage", "fixed")
LEGAL_TYPES = ("person", "commercial")
# The fixture schema's email pattern: something@something, no spaces.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def _properties(store: Store, record: AnyRecord) -> list[Ref]:
    return [("properties", r) for r in properties.of_owner(KIND, record)]


def _barcode(store: Store, record: AnyRecord) -> list[Ref]:
    return [("barcodes", r) for r in store.children("barcodes", "owner_id", record["id"])][:1]


CUSTOMERS = Resource(
    KIND,
    (
        "created_at",
        "updated_at",
        "archived",
        "archived_at",
        "number",
        "name",
        "email",
        "deposit_type",
        "deposit_value",
        "discount_percentage",
        "legal_type",
        "email_marketing_consented",
        "email_marketing_consent_updated_at",
        "properties",
        "tag_list",
        "stripe_id",
        "merge_suggestion_customer_id",
        "tax_region_id",
    ),
    (
        one("merge_suggestion_customer", KIND, "merge_suggestion_customer_id"),
        one("tax_region", "tax_regions", "tax_region_id"),
        Rel("properties", True, ("properties",), _properties, related=owned("properties", KIND)),
        Rel("barcode", False, ("barcodes",), _barcode, related=owned("barcodes", KIND)),
        notes.of_owner(KIND),
    ),
    # DOCS-2022 and DOCS-HEAD "Filters" (reference §4.12); the derived ones: resource_filters.
    {
        "id": "uuid eq not_eq gt",
        "created_at": "datetime",
        "updated_at": "datetime",
        "archived": "boolean",
        "archived_at": "datetime",
        "number": "integer",
        "name": "string",
        "email": "string",
        "deposit_type": "string",
        "deposit_value": "float",
        "discount_percentage": "float",
        "legal_type": "string",
        "email_marketing_consented": "boolean",
        "tag_list": "array",
        "merge_suggestion_customer_id": "uuid",
        "tax_region_id": "uuid",
        "stripe_id": "string",
        "conditions": "hash",
    },
    resource_filters.CUSTOMER_CUSTOM,
)
register(CUSTOMERS)

WRITABLE = {
    "name": "string",
    "email": "string?",
    "deposit_type": "string",
    "deposit_value": "float",
    "discount_percentage": "float",
    "legal_type": "string",
    "email_marketing_consented": "boolean",
    # Accepted and dropped: properties (phone, addresses) are not emulated.
    "properties_attributes": "array",
    "tag_list": "array_of_strings",
    "merge_suggestion_customer_id": "uuid?",
    "tax_region_id": "uuid?",
}


def defaults() -> Record:
    """A new customer's attributes before the request's (DOCS-2024 create example)."""
    return {
        "archived": False,
        "archived_at": None,
        "name": None,
        "email": None,
        "deposit_type": "default",
        "deposit_value": 0.0,
        "discount_percentage": 0.0,
        "legal_type": "person",
        "email_marketing_consented": False,
        "email_marketing_consent_updated_at": None,
        "properties": {},
        "tag_list": [],
        "stripe_id": None,
        "merge_suggestion_customer_id": None,
        "tax_region_id": None,
    }


async def create(call: Call) -> Response:
    values = _written(call)
    now = timestamp(call.now)
    record = {**defaults(), **values}
    _validate(record, CHECKS)
    if record["email_marketing_consented"]:
        record["email_marketing_consent_updated_at"] = now
    record = {
        "id": call.space.ids.uuid4(),
        "created_at": now,
        "updated_at": now,
        "number": call.store.next_number("customer_number"),
        **record,
    }
    call.store.add(KIND, record)
    return respond(document(call.store, CUSTOMERS, record, call.query), 201)


async def update(call: Call) -> Response:
    record = find(call, KIND)
    values = _written(call, record)
    changed = {**record, **values}
    _validate(changed, values)
    now = timestamp(call.now)
    if changed["email_marketing_consented"] != record.get("email_marketing_consented"):
        changed["email_marketing_consent_updated_at"] = now
    changed["updated_at"] = now
    record.update(changed)
    return respond(document(call.store, CUSTOMERS, record, call.query))


async def archive(call: Call) -> Response:
    """DELETE archives: the customer stays listed, with `archived: true` (reference §4.12)."""
    record = find(call, KIND)
    if not record.get("archived"):  # archiving twice keeps the first moment
        now = timestamp(call.now)
        record.update(archived=True, archived_at=now, updated_at=now)
    return respond(document(call.store, CUSTOMERS, record, call.query), 200, PLAIN_JSON)


def _written(call: Call, record: Record | None = None) -> dict[str, Any]:
    values = attributes_of(call, KIND, WRITABLE)
    if "properties_attributes" in values:  # into the `properties` hash, as on orders
        merged, trouble = properties.written_properties(
            record or {}, values.pop("properties_attributes") or []
        )
        if trouble:
            raise validation(*trouble)
        values["properties"] = merged
    if isinstance(values.get("email"), str) and not values["email"].strip():
        values["email"] = None  # a cleared email field is no email
    return values


Problem = tuple[str, str] | None  # (message, Rails error code), or None when valid
_AT_LEAST_0 = ("must be greater than or equal to 0", "greater_than_or_equal_to")
_AT_MOST_100 = ("must be less than or equal to 100", "less_than_or_equal_to")
_NOT_LISTED = ("is not included in the list", "inclusion")


def _percentage(value: float) -> Problem:
    return _AT_LEAST_0 if value < 0 else _AT_MOST_100 if value > 100 else None


# The model's checks per attribute, in the order its errors are reported.
CHECKS: dict[str, Callable[[Any], Problem]] = {
    "name": lambda v: None if (v or "").strip() else ("can't be blank", "blank"),
    "email": lambda v: None if v is None or EMAIL.match(v) else ("is invalid", "invalid"),
    "deposit_type": lambda v: None if v in DEPOSIT_TYPES else _NOT_LISTED,
    "deposit_value": lambda v: _AT_LEAST_0 if v < 0 else None,
    "discount_percentage": _percentage,
    "legal_type": lambda v: None if v in LEGAL_TYPES else _NOT_LISTED,
}


def _validate(record: Record, names: Iterable[str]) -> None:
    """422 for every attribute of `names` the model refuses (updates check what they send,
    so a fixture customer missing an optional attribute stays updatable)."""
    wanted = set(names)
    problems = [
        (name, *problem)
        for name, check in CHECKS.items()
        if name in wanted and (problem := check(record.get(name))) is not None
    ]
    if problems:
        raise validation(*problems)
