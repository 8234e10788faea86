"""Properties written (DOCS-HEAD `_properties.md`): create, update and destroy, through the
owner's `properties` hash, so the owner's `properties` attribute and `/properties` read back
the same (properties.py). What the hash cannot hold is kept on the owner as `_properties`.

Choices where the docs are silent (docs/vendors/booqable.md):
- Owners are customers and orders (the owners properties.py serves); `product_groups`,
  `stock_items` and `documents` are a 422 `owner_type` inclusion.
- `identifier` defaults to the name, parameterized with underscores ("Birth date" ->
  `birth_date`); it is unique per owner (422 `taken`). `property_type` defaults to
  `text_field`; an `address` keeps the address fields sent as its value hash; any other type
  keeps `value`.
- Default properties are not emulated: `default_property_id` is null, and a non-null one is a
  422 `default_property` `must exist`.
- `owner_id`/`owner_type` are readonly after create (400 `cannot be written` on update).
- DELETE destroys (the docs' "Delete a property" answers the property as it stood, with
  `meets_validation_requirements: null`): its key leaves the owner's hash.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.booqable import catalog_writes as cw
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import Record, check_includes, document
from booking_sandbox.vendors.booqable.properties import KIND, OWNERS, PROPERTIES, of_owner
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.views import find
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, respond, timestamp

TYPES = ("address", "date_field", "email", "phone", "select", "text_area", "text_field")
SHOW_ON = ("contract", "invoice", "packing", "quote")
ADDRESS = (
    "first_name", "last_name", "address1", "address2", "city", "region", "zipcode",
    "country", "country_id", "province_id", "latitude", "longitude",
)  # fmt: skip
NOT_KEPT = (*ADDRESS, "value")  # (what makes the hash entry: `_value`)
# What the property keeps besides its value (properties.py merges it over the defaults).
KEPT = ("name", "position", "property_type", "show_on", "validation_required")
UPDATABLE: dict[str, str] = {
    **dict.fromkeys(ADDRESS, "string?"),
    "default_property_id": "uuid?",
    "identifier": "string",
    "name": "string",
    "position": "integer",
    "property_type": "enum",
    "show_on": "array_of_strings",
    "validation_required": "boolean",
    "value": "string?",
}
CREATABLE = {**UPDATABLE, "owner_id": "uuid", "owner_type": "enum"}


def identifier_of(name: str) -> str:
    """`Birth date` -> `birth_date`: Rails' parameterize with underscores."""
    return re.sub(r"-+", "_", cw.parameterize(name))


def _problems(record: Record, others: list[Record]) -> list[cw.Problem]:
    found: list[cw.Problem] = []
    if not (record.get("name") or "").strip() and not record.get("identifier"):
        found.append(("name", *cw.BLANK))
    elif not (record.get("identifier") or "").strip():  # a name of no letters or digits
        found.append(("identifier", *cw.BLANK))
    if record.get("property_type") not in TYPES:
        found.append(("property_type", *cw.NOT_LISTED))
    if any(item not in SHOW_ON for item in record.get("show_on") or []):
        found.append(("show_on", *cw.NOT_LISTED))
    if record.get("default_property_id") is not None:
        found.append(("default_property", *cw.MISSING))
    if record.get("position", 0) < 0:
        found.append(("position", *cw.AT_LEAST_0))
    if any(other["identifier"] == record.get("identifier") for other in others):
        found.append(("identifier", *cw.TAKEN))
    return found


def _value(record: Record, values: Record) -> Any:
    """The hash entry: an address's fields (as sent over those it had), else `value`."""
    if record["property_type"] == "address":
        had = record.get("value")
        before: Record = had if isinstance(had, dict) else {}
        return {**before, **{k: values[k] for k in ADDRESS if k in values}}
    if isinstance(record.get("value"), dict):  # an address made another type: no value yet
        return values.get("value")
    return values.get("value", record.get("value"))


def _store(owner: Record, old: str | None, record: Record) -> None:
    """Write `record` into the owner's hash and bookkeeping, replacing the entry `old` in
    place (a renamed identifier keeps its place and its id)."""
    hashed = dict(owner.get("properties") or {})
    kept = dict(owner.get("_properties") or {})
    entries = list(hashed.items())
    at = next((i for i, (k, _) in enumerate(entries) if k == old), len(entries))
    entries[at : at + (old is not None)] = [(record["identifier"], record["value"])]
    kept.pop(old or "", None)
    kept[record["identifier"]] = {
        "id": record["id"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        **{name: record[name] for name in KEPT},
    }
    owner["properties"] = dict(entries)
    owner["_properties"] = kept


def _owner_of(call: Call, record: Record) -> tuple[str, Record]:
    kind = str(record["owner_type"])
    owner = call.store.find(kind, record["owner_id"])
    assert owner is not None
    return kind, owner


async def create(call: Call) -> Response:
    check_includes(PROPERTIES, call.query.include)  # a 400 before any change
    values = attributes_of(call, KIND, CREATABLE)
    kind, owner_id = values.get("owner_type"), values.get("owner_id")
    owner = None
    problems: list[cw.Problem] = []
    if kind is None:
        problems.append(("owner_type", *cw.BLANK))
    elif kind not in OWNERS:
        problems.append(("owner_type", *cw.NOT_LISTED))
    else:
        owner = call.store.find(kind, owner_id)
        if owner is None:
            problems.append(("owner", *cw.MISSING))
    now = timestamp(call.now)
    others = of_owner(kind, owner) if isinstance(kind, str) and owner is not None else []
    record: Record = {
        "id": call.space.ids.uuid4(),
        "created_at": now,
        "updated_at": now,
        "name": values.get("name") or "",
        "identifier": values.get("identifier") or identifier_of(values.get("name") or ""),
        "position": len(others),
        "property_type": "text_field",
        "show_on": [],
        "validation_required": False,
        "default_property_id": None,
        **{k: v for k, v in values.items() if k in UPDATABLE and k not in NOT_KEPT},
    }
    record["name"] = record["name"] or record["identifier"].replace("_", " ").capitalize()
    record["value"] = _value(record, values)
    cw.raise_problems(problems + _problems(record, others))
    assert isinstance(kind, str)
    assert owner is not None
    _store(owner, None, record)
    owner["updated_at"] = now
    return respond(
        document(call.store, PROPERTIES, find(call, KIND, record["id"]), call.query), 201
    )


async def update(call: Call) -> Response:
    found = find(call, KIND)
    check_includes(PROPERTIES, call.query.include)
    values = attributes_of(call, KIND, UPDATABLE)
    if values:
        kind, owner = _owner_of(call, found)
        record = {**found, **{k: v for k, v in values.items() if k not in NOT_KEPT}}
        record["value"] = _value(record, values)
        others = [p for p in of_owner(kind, owner) if p["id"] != found["id"]]
        cw.raise_problems(_problems(record, others))
        record["updated_at"] = timestamp(call.now)
        _store(owner, found["identifier"], record)
    return respond(document(call.store, PROPERTIES, find(call, KIND), call.query))


async def destroy(call: Call) -> Response:
    found = find(call, KIND)
    check_includes(PROPERTIES, call.query.include)
    body = document(
        call.store, PROPERTIES, {**found, "meets_validation_requirements": None}, call.query
    )
    _, owner = _owner_of(call, found)
    owner["properties"] = {
        k: v for k, v in (owner.get("properties") or {}).items() if k != found["identifier"]
    }
    kept = dict(owner.get("_properties") or {})
    kept.pop(found["identifier"], None)
    owner["_properties"] = kept
    return respond(body, 200, PLAIN_JSON)
