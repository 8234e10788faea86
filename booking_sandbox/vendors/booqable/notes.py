"""Notes (DOCS-HEAD `_notes.md`): list, show, create and delete, kept in the namespace's
state (fixtures `notes`, then `POST /notes`); a customer's `notes` resolve to them.

Choices where the docs are silent (docs/vendors/booqable.md):
- The docs have no update: `PUT`/`PATCH /notes/{id}` are unknown routes (404), as Rails
  answers them. DELETE destroys; the answer is the note as it stood (plain JSON, as every
  DELETE answer of the real server).
- `body` must not be blank; `owner_type` is one of the documented eight and `owner_id` must
  name a record of it (documents and users are not emulated: never found): 422 otherwise.
- `employee_id` is the account's employee: that of the fixtures' first authentication
  method (the sandbox has one account), else a fixed id. Employees are not served:
  `include=employee` is `null`.
"""

from __future__ import annotations

from starlette.responses import Response

from booking_sandbox.vendors.booqable.catalog import SECTION
from booking_sandbox.vendors.booqable.catalog_extras import NOTE_OWNERS, account_employee
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
    owned,
    register,
)
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.views import find
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, respond, timestamp

KIND = "notes"
WRITABLE = {"body": "string?", "owner_id": "uuid?", "owner_type": "enum?"}


def _owner(store: Store, record: AnyRecord) -> list[Ref]:
    kind = record.get("owner_type")
    found = store.find(kind, record.get("owner_id")) if isinstance(kind, str) else None
    return [(kind, found)] if isinstance(kind, str) and found is not None else []


def of_owner(owner_type: str) -> Rel:
    """An owner's `notes` (customers'), with the 2022 docs' link."""

    def resolve(store: Store, record: AnyRecord) -> list[Ref]:
        return [
            (KIND, note)
            for note in store.children(KIND, "owner_id", record["id"])
            if note["owner_type"] == owner_type
        ]

    return Rel(KIND, True, (KIND,), resolve, related=owned(KIND, owner_type))


NOTES = Resource(
    KIND,
    ("created_at", "updated_at", "body", "employee_id", "owner_id", "owner_type"),
    (
        # No employee records: included as null.
        Rel("employee", False, ("employees",), lambda s, r: [], related="employees/{employee_id}"),
        Rel("owner", False, NOTE_OWNERS, _owner, related="{owner_type}/{owner_id}"),
    ),
    {
        "id": "uuid",
        "created_at": "datetime",
        "updated_at": "datetime",
        "employee_id": "uuid",
        "owner_id": "uuid",
        "owner_type": "enum",
    },
)
register(NOTES)


async def create(call: Call) -> Response:
    check_includes(NOTES, call.query.include)  # a 400 before any change
    values = attributes_of(call, KIND, WRITABLE)
    problems = _problems(call, values)
    if problems:
        raise validation(*problems)
    now = timestamp(call.now)
    record: Record = {
        "id": call.space.ids.uuid4(),
        "created_at": now,
        "updated_at": now,
        "body": values["body"],
        "employee_id": employee_id(call),
        "owner_id": values["owner_id"],
        "owner_type": values["owner_type"],
    }
    call.store.add(KIND, record)
    return respond(document(call.store, NOTES, record, call.query), 201)


async def destroy(call: Call) -> Response:
    record = find(call, KIND)
    check_includes(NOTES, call.query.include)
    body = document(call.store, NOTES, record, call.query)
    call.store.remove(KIND, record["id"])
    return respond(body, 200, PLAIN_JSON)


def employee_id(call: Call) -> str:
    return account_employee(call.store.space.catalogs[SECTION])


def _problems(call: Call, values: Record) -> list[tuple[str, str, str]]:
    found = []
    if not (values.get("body") or "").strip():
        found.append(("body", "can't be blank", "blank"))
    kind = values.get("owner_type")
    if kind is None:
        found.append(("owner_type", "can't be blank", "blank"))
    elif kind not in NOTE_OWNERS:
        found.append(("owner_type", "is not included in the list", "inclusion"))
    elif call.store.find(kind, values.get("owner_id")) is None:
        found.append(("owner", "must exist", "blank"))
    return found
