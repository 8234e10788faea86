"""Tax categories and tax regions (DOCS-HEAD `_tax_categories.md`, `_tax_regions.md`): create,
update and archive, with their rates as `tax_rates_attributes` (tax_rate_writes.py).

A category lives in the catalog document (products and lines name it), a region in the
namespace's state (orders and customers name it). Choices where the docs are silent
(docs/vendors/booqable.md):
- `name` is required; a region's `strategy` defaults to `add_to`. `default: true` sets every
  other category (region) to `false`, as the docs say.
- DELETE archives, as the docs' examples show, `(Archived)` appended to the name; it is never
  refused, whoever uses the record. The owner's rates are archived with it: orders taxed by
  them keep their totals until they next change, then no longer are.
- A rate's change never recalculates orders by itself (Booqable recalculates an order when the
  order changes; order_records.refresh).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.booqable import catalog_writes as cw
from booking_sandbox.vendors.booqable import tax_rate_writes as rates
from booking_sandbox.vendors.booqable.catalog_resources import TAX_CATEGORIES
from booking_sandbox.vendors.booqable.http import Call, Handler
from booking_sandbox.vendors.booqable.jsonapi import Record, Resource, check_includes, document
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.taxes import TAX_REGIONS
from booking_sandbox.vendors.booqable.views import find
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, respond, timestamp

STRATEGIES = ("add_to", "replace", "compound")
WRITABLE = {
    "tax_categories": {"name": "string", "default": "boolean", "tax_rates_attributes": "array"},
    "tax_regions": {
        "name": "string",
        "default": "boolean",
        "strategy": "enum",
        "tax_rates_attributes": "array",
    },
}
SPECS: dict[str, Resource] = {"tax_categories": TAX_CATEGORIES, "tax_regions": TAX_REGIONS}
ARCHIVED = " (Archived)"


def _problems(kind: str, record: Record) -> list[cw.Problem]:
    found = cw.check(bool((record.get("name") or "").strip()), ("name", *cw.BLANK))
    if kind == "tax_regions" and record.get("strategy") not in STRATEGIES:
        found.append(("strategy", *cw.NOT_LISTED))
    return found


def _add(call: Call, kind: str, record: Record) -> None:
    if kind == "tax_regions":
        call.store.add(kind, {**record, "_tax_rates": record.pop("tax_rates")})
        return
    cw.document(call.store)["tax_categories"].append(record)
    cw.commit(call.store)


def _only_default(call: Call, kind: str, ident: str) -> None:
    """`default: true` on one sets the others to false (the docs)."""
    if kind == "tax_regions":
        others = call.store.all(kind)
    else:
        others = cw.document(call.store)["tax_categories"]
    for other in others:
        if other["id"] != ident and other.get("default"):
            other["default"] = False
    if kind == "tax_categories":
        cw.commit(call.store)


def creating(kind: str) -> Handler:
    spec = SPECS[kind]

    async def create(call: Call) -> Response:
        check_includes(spec, call.query.include)  # a 400 before any change
        values = attributes_of(call, kind, WRITABLE[kind])
        entries = values.pop("tax_rates_attributes", None) or []
        now = timestamp(call.now)
        record: Record = {
            "id": call.space.ids.uuid4(),
            "created_at": now,
            "updated_at": now,
            "archived": False,
            "archived_at": None,
            "name": None,
            **({"strategy": "add_to"} if kind == "tax_regions" else {}),
            "default": False,
            **values,
        }
        made = rates.nested(call, [], entries, now)  # its 400 before any 422
        cw.raise_problems(_problems(kind, record))
        _add(call, kind, {**record, "tax_rates": made})
        if record["default"]:
            _only_default(call, kind, record["id"])
        return respond(document(call.store, spec, find(call, kind, record["id"]), call.query), 201)

    return create


def updating(kind: str) -> Handler:
    spec = SPECS[kind]

    async def update(call: Call) -> Response:
        record = find(call, kind)
        check_includes(spec, call.query.include)
        values = attributes_of(call, kind, WRITABLE[kind])
        entries: list[Any] = values.pop("tax_rates_attributes", None) or []
        now = timestamp(call.now)
        owned = rates.nested(call, rates.rates_of(call.store, kind, record), entries, now)
        cw.raise_problems(_problems(kind, {**record, **values}))
        if values or entries:
            rates.keep(call.store, kind, record["id"], owned, **values, updated_at=now)
            if values.get("default"):
                _only_default(call, kind, record["id"])
        return respond(document(call.store, spec, find(call, kind), call.query))

    return update


def archiving(kind: str) -> Handler:
    spec = SPECS[kind]

    async def archive(call: Call) -> Response:
        record = find(call, kind)
        check_includes(spec, call.query.include)
        if not record.get("archived"):  # archiving twice keeps the first moment
            now = timestamp(call.now)
            owned = rates.rates_of(call.store, kind, record)
            for rate in owned:
                rates.archive_rate(rate, now)
            name = f"{record['name']}{ARCHIVED}"
            changes = {"archived": True, "archived_at": now, "updated_at": now, "name": name}
            rates.keep(call.store, kind, record["id"], owned, **changes)
        body = document(call.store, spec, find(call, kind), call.query)
        return respond(body, 200, PLAIN_JSON)

    return archive
