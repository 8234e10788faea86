"""Barcodes (DOCS-HEAD `_barcodes.md`; the reference has no section): list, show, create,
update and destroy, kept in the namespace's state; the `barcode` of orders resolves to them.

Choices where the docs are silent (docs/vendors/booqable.md):
- A blank `number` on a `qr_code` becomes `http://bqbl.it/<id>` (the docs' examples); other
  formats need one: `ean8`/`ean13` exactly 8/13 digits. A number is unique in the account
  and an owner has one barcode (its relationship is to-one): 422 `has already been taken`.
- `owner_id`/`owner_type` are readonly after create (400 `cannot be written` on update).
- Orders get no QR code of their own unless one is created (the vendor makes one for every
  order); `image_url` points at a host that does not exist.
- DELETE destroys (the docs' "Destroy a barcode"): the answer is the barcode as it stood.
"""

from __future__ import annotations

import re

from starlette.responses import Response

from booking_sandbox.vendors.booqable.errors import validation
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import (
    AnyRecord,
    Record,
    Ref,
    Rel,
    Resource,
    Store,
    check_includes,
    document,
    register,
)
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.views import find
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, respond, timestamp

KIND = "barcodes"
TYPES = ("code39", "code93", "code128", "ean8", "ean13", "qr_code")
OWNERS = ("customers", "products", "orders", "stock_items")
DIGITS = {"ean8": re.compile(r"^[0-9]{8}$"), "ean13": re.compile(r"^[0-9]{13}$")}
IMAGE_HOST = "http://sandbox.booqable.localhost"


def _owner(store: Store, record: AnyRecord) -> list[Ref]:
    kind = record.get("owner_type")
    if not isinstance(kind, str) or kind not in OWNERS:
        return []
    found = store.find(kind, record.get("owner_id"))
    return [(kind, found)] if found is not None else []


BARCODES = Resource(
    KIND,
    ("created_at", "updated_at", "number", "barcode_type", "image_url", "owner_id", "owner_type"),
    (Rel("owner", False, OWNERS, _owner, related="{owner_type}/{owner_id}"),),
    {
        "id": "uuid",
        "created_at": "datetime",
        "updated_at": "datetime",
        "barcode_type": "enum",
        "number": "string",
        "owner_id": "uuid",
        "owner_type": "enum",
    },
)
register(BARCODES)

CREATABLE = {"barcode_type": "enum", "number": "string?", "owner_id": "uuid", "owner_type": "enum"}
UPDATABLE = {"barcode_type": "enum", "number": "string?"}


async def create(call: Call) -> Response:
    check_includes(BARCODES, call.query.include)  # a 400 before any change
    values = attributes_of(call, KIND, CREATABLE)
    ident = call.space.ids.uuid4()
    record: Record = {
        "id": ident,
        "created_at": timestamp(call.now),
        "updated_at": timestamp(call.now),
        "number": None,
        "barcode_type": None,
        "image_url": f"{IMAGE_HOST}/barcodes/{ident}/image",
        "owner_id": None,
        "owner_type": None,
        **values,
    }
    _check(call, record, creating=True)
    call.store.add(KIND, record)
    return respond(document(call.store, BARCODES, record, call.query), 201)


async def update(call: Call) -> Response:
    record = find(call, KIND)
    check_includes(BARCODES, call.query.include)
    values = attributes_of(call, KIND, UPDATABLE)
    changed = {**record, **values}
    _check(call, changed, creating=False)
    if values:
        record.update(values, updated_at=timestamp(call.now))
        record["number"] = changed["number"]  # a blank one made by _check
    return respond(document(call.store, BARCODES, record, call.query))


async def destroy(call: Call) -> Response:
    record = find(call, KIND)
    check_includes(BARCODES, call.query.include)
    body = document(call.store, BARCODES, record, call.query)
    call.store.remove(KIND, record["id"])
    return respond(body, 200, PLAIN_JSON)


def _check(call: Call, record: Record, *, creating: bool) -> None:
    """422 naming every problem; fills in a QR code's blank number. The owner is set on
    create only (readonly after)."""
    problems: list[tuple[str, str, str]] = []
    kind = record.get("barcode_type")
    if kind not in TYPES:
        problems.append(("barcode_type", "is not included in the list", "inclusion"))
    if not (record.get("number") or "").strip():
        if kind == "qr_code":
            record["number"] = f"http://bqbl.it/{record['id']}"
        else:
            problems.append(("number", "can't be blank", "blank"))
    elif kind in DIGITS and not DIGITS[kind].match(record["number"]):
        problems.append(("number", f"is not a valid {kind} number", "invalid"))
    owner_type = str(record.get("owner_type"))
    if creating and owner_type not in OWNERS:
        problems.append(("owner_type", "is not included in the list", "inclusion"))
    elif creating and call.store.find(owner_type, record.get("owner_id")) is None:
        problems.append(("owner", "must exist", "blank"))
    others = [b for b in call.store.all(KIND) if b["id"] != record["id"]]
    if record.get("number") and any(b["number"] == record["number"] for b in others):
        problems.append(("number", "has already been taken", "taken"))
    if creating and any(b["owner_id"] == record.get("owner_id") for b in others):
        problems.append(("owner_id", "has already been taken", "taken"))
    if problems:
        raise validation(*problems)
