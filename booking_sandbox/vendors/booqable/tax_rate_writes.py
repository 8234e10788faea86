"""Tax rates (DOCS-HEAD `_tax_rates.md`): create, update and archive, and the owners' nested
`tax_rates_attributes` (tax_writes.py). A rate is kept on its owner (taxes.py): a region's
in `_tax_rates` (namespace state), a category's in the catalog document's `tax_rates`.

Choices where the docs are silent (docs/vendors/booqable.md):
- `name` and `value` are required, `value` a percentage from 0 to 100 (422 otherwise).
- A new rate comes last: `position` one past the owner's highest (the docs' examples).
- `owner_id`/`owner_type` are readonly after create (400 `cannot be written` on update).
- DELETE archives (the docs' example): the rate stays listed with `archived: true` and no
  longer taxes. Orders keep their totals until they next change (order_records.refresh).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.booqable import catalog_writes as cw
from booking_sandbox.vendors.booqable.errors import (
    not_found,
    type_error,
)
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import Record, check_includes, document
from booking_sandbox.vendors.booqable.pricing import category_rate_records
from booking_sandbox.vendors.booqable.request_body import attributes_of, cast_entry, refuse
from booking_sandbox.vendors.booqable.state import BooqableStore
from booking_sandbox.vendors.booqable.taxes import TAX_RATES
from booking_sandbox.vendors.booqable.views import find
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, respond, timestamp

KIND = "tax_rates"
OWNERS = ("tax_categories", "tax_regions")
CREATABLE = {"name": "string", "value": "float", "owner_id": "uuid", "owner_type": "enum"}
UPDATABLE = {"name": "string", "value": "float"}
NESTED = {"id": "uuid", "_destroy": "boolean", "name": "string", "value": "float"}
Problem = tuple[str, str, str]


# ----- the owner's rates -------------------------------------------------------------------


def rates_of(store: BooqableStore, kind: str, owner: Record) -> list[Record]:
    """Copies of an owner's stored rates (a category's shorthand rate made a record)."""
    stored = owner.get("_tax_rates", []) if kind == "tax_regions" else category_rate_records(owner)
    return [dict(rate) for rate in stored]


def keep(
    store: BooqableStore, kind: str, owner_id: str, rates: list[Record], **changes: Any
) -> None:
    """Store an owner's rates (checked) and other changes to it: a region in the state, a
    category in the catalog document (indexed again)."""
    if kind == "tax_regions":
        region = store.find(kind, owner_id)
        assert region is not None
        region.update(changes, _tax_rates=rates)
        return
    entry = next(c for c in cw.document(store)["tax_categories"] if c["id"] == owner_id)
    entry.pop("tax_rate", None)  # the shorthand gives way to the records
    entry.update(changes, tax_rates=rates)
    cw.commit(store)


def new_rate(call: Call, rates: list[Record], values: Record, now: str) -> Record:
    position = 1 + max((int(r.get("position") or 0) for r in rates), default=0)
    return {
        "id": call.space.ids.uuid4(),
        "created_at": now,
        "updated_at": now,
        "archived": False,
        "archived_at": None,
        "name": values.get("name"),
        "value": values.get("value"),
        "position": position,
    }


def archive_rate(rate: Record, now: str) -> None:
    if not rate.get("archived"):  # archiving twice keeps the first moment
        rate.update(archived=True, archived_at=now, updated_at=now)


def rate_problems(rate: Record, prefix: str = "") -> list[Problem]:
    found: list[Problem] = []
    if not (rate.get("name") or "").strip():
        found.append((f"{prefix}name", *cw.BLANK))
    value = rate.get("value")
    if value is None:
        found.append((f"{prefix}value", *cw.BLANK))
    elif value < 0:
        found.append((f"{prefix}value", *cw.AT_LEAST_0))
    elif value > 100:
        found.append(
            (f"{prefix}value", "must be less than or equal to 100", "less_than_or_equal_to")
        )
    return found


def nested(call: Call, rates: list[Record], entries: list[Any], now: str) -> list[Record]:
    """`tax_rates_attributes` applied to copies of the owner's rates, as Rails' nested
    attributes: an entry without `id` adds a rate, one with `id` changes that rate, or
    archives it with `_destroy: true` (the docs' update example). 400 on a malformed entry,
    404 on an id that is not the owner's, 422 naming every invalid rate."""
    problems: list[Problem] = []
    for i, entry in enumerate(entries):
        path = f"data.attributes.tax_rates_attributes.{i}"
        values = _entry_values(entry, path)
        ident = values.pop("id", None)
        destroy = values.pop("_destroy", False)
        if ident is None:
            if not destroy:  # Rails skips a new record marked for destruction
                rate = new_rate(call, rates, values, now)
                rates.append(rate)
                problems += rate_problems(rate, "tax_rates.")
            continue
        target = next((r for r in rates if r["id"] == ident), None)
        if target is None:
            raise not_found()
        if destroy:
            archive_rate(target, now)
            continue
        if values:
            target.update(values, updated_at=now)
            problems += rate_problems(target, "tax_rates.")
    cw.raise_problems(problems)
    return rates


def _entry_values(entry: Any, path: str) -> Record:
    if not isinstance(entry, dict):
        raise type_error(path, "hash")
    found, problems = cast_entry(entry, path, NESTED)
    refuse(problems)
    return found


def locate(store: BooqableStore, ident: str) -> tuple[str, Record]:
    """The owner (kind, record) of the rate `ident`, or 404."""
    rate = store.find(KIND, ident)
    if rate is None:
        raise not_found()
    kind = str(rate["owner_type"])
    owner = store.find(kind, rate["owner_id"])
    assert owner is not None
    return kind, owner


# ----- endpoints ---------------------------------------------------------------------------


async def create(call: Call) -> Response:
    check_includes(TAX_RATES, call.query.include)  # a 400 before any change
    values = attributes_of(call, KIND, CREATABLE)
    kind, owner_id = values.get("owner_type"), values.get("owner_id")
    problems = rate_problems(values)
    owner = None
    if kind is None:
        problems.append(("owner_type", *cw.BLANK))
    elif kind not in OWNERS:
        problems.append(("owner_type", *cw.NOT_LISTED))
    else:
        owner = call.store.find(kind, owner_id)
        if owner is None:
            problems.append(("owner", *cw.MISSING))
    cw.raise_problems(problems)
    assert isinstance(kind, str)
    assert owner is not None
    now = timestamp(call.now)
    rates = rates_of(call.store, kind, owner)
    rate = new_rate(call, rates, values, now)
    keep(call.store, kind, owner["id"], [*rates, rate], updated_at=now)  # the docs' example
    return respond(document(call.store, TAX_RATES, find(call, KIND, rate["id"]), call.query), 201)


async def update(call: Call) -> Response:
    kind, owner = locate(call.store, call.path_id)
    check_includes(TAX_RATES, call.query.include)
    values = attributes_of(call, KIND, UPDATABLE)
    if values:
        rates = rates_of(call.store, kind, owner)
        rate = next(r for r in rates if r["id"] == call.path_id)
        rate.update(values)
        cw.raise_problems(rate_problems(rate))
        rate["updated_at"] = timestamp(call.now)
        keep(call.store, kind, owner["id"], rates)
    return respond(document(call.store, TAX_RATES, find(call, KIND), call.query))


async def archive(call: Call) -> Response:
    kind, owner = locate(call.store, call.path_id)
    check_includes(TAX_RATES, call.query.include)
    rates = rates_of(call.store, kind, owner)
    archive_rate(next(r for r in rates if r["id"] == call.path_id), timestamp(call.now))
    keep(call.store, kind, owner["id"], rates)
    body = document(call.store, TAX_RATES, find(call, KIND), call.query)
    return respond(body, 200, PLAIN_JSON)
