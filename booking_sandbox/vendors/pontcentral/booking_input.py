"""Reading create and update payloads: 400 for the missing required fields, 422 for the rest.

The create page lists both 400 INVALID_REQUEST ("Missing/invalid payload fields: partnerId,
items, ...") and 422 VALIDATION_ERROR (reference §7 leaves the split open). The sandbox answers
400 when a required field is absent, null, "" or [] and 422, with VineJS details, for every type
or rule violation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from booking_sandbox.vendors.pontcentral import schedule
from booking_sandbox.vendors.pontcentral.http import validation_failed
from booking_sandbox.vendors.pontcentral.records import Guest, NoteName
from booking_sandbox.vendors.pontcentral.validation import Data, Vine
from booking_sandbox.vendors.pontcentral.wire import PontError

CUSTOMER_FIELDS = (
    "firstName",
    "lastName",
    "title",
    "email",
    "phone",
    "address",
    "city",
    "country",
    "postCode",
)
# Not documented; a bound keeps one request's planning cost small (the sandbox's own choice).
MAX_ITEMS = 100
NOTES: tuple[NoteName, ...] = (
    "customerNote",
    "resellerReference",
    "resellerSource",
    "resellerNote",
)


@dataclass
class ItemInput:
    product_code: str
    when: str | None  # reservationDateTime as sent
    quantities: list[dict[str, Any]] | None


@dataclass
class BookingInput:
    partner_id: int | None = None
    items: list[ItemInput] = field(default_factory=list)
    customer: dict[str, Any] | None = None
    guests: list[Guest] | None = None
    payments: list[dict[str, Any]] | None = None
    # Only the notes the payload names: an update leaves the others as they are.
    notes: dict[NoteName, str | None] = field(default_factory=dict)


def _absent(value: Any) -> bool:
    return value is None or value == "" or value == []


def missing_fields(body: Data) -> list[str]:
    missing = [name for name in ("partnerId", "items", "customer") if _absent(body.get(name))]
    items = body.get("items")
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            for name in ("productCode", "reservationDateTime", "quantities"):
                if _absent(item.get(name)):
                    missing.append(f"items[{index}].{name}")
    customer = body.get("customer")
    if isinstance(customer, dict) and _absent(customer.get("firstName")):
        missing.append("customer.firstName")
    return missing


def read_create(body: Data) -> BookingInput:
    missing = missing_fields(body)
    if missing:
        raise PontError(400, "INVALID_REQUEST", f"Missing required fields: {', '.join(missing)}")
    return _read(body, creating=True)


def read_update(body: Data) -> BookingInput:
    return _read(body, creating=False)


def _read(body: Data, *, creating: bool) -> BookingInput:
    vine = Vine()
    found = BookingInput()
    if creating:
        partner = vine.number(
            body, "partnerId", "partnerId", required=True, integer=True, minimum=1
        )
        found.partner_id = int(partner) if partner is not None else None
    items = vine.array(body, "items", "items", required=creating, min_items=1, max_items=MAX_ITEMS)
    for path, item in vine.objects(items or [], "items"):
        code = vine.string(item, "productCode", f"{path}.productCode", required=True)
        when = vine.string(
            item, "reservationDateTime", f"{path}.reservationDateTime", required=creating
        )
        if when is not None and not _is_date(when):
            vine.fail(f"{path}.reservationDateTime", "date")
            when = None
        quantities = _quantities(vine, item, path, required=creating)
        if code is not None:
            found.items.append(ItemInput(code, when, quantities))
    customer = vine.obj(body, "customer", "customer", required=creating)
    if customer is not None:
        found.customer = {}
        for name in CUSTOMER_FIELDS:
            value = vine.string(
                customer,
                name,
                f"customer.{name}",
                # E-mail is not checked as an address: the seed's own request sends it as the
                # docs page renders it ("[email protected]"), and must work verbatim.
                # firstName is required at create, and an update that names it cannot empty it.
                required=name == "firstName" and (creating or name in customer),
            )
            if name in customer:
                found.customer[name] = value
    guests = vine.array(body, "guests", "guests")
    if guests is not None:
        found.guests = []
        for path, guest in vine.objects(guests, "guests"):
            found.guests.append(
                {
                    "title": vine.string(guest, "title", f"{path}.title"),
                    "firstName": vine.string(guest, "firstName", f"{path}.firstName"),
                    "lastName": vine.string(guest, "lastName", f"{path}.lastName"),
                    "age": vine.number(guest, "age", f"{path}.age", minimum=0),
                }
            )
    payments = vine.array(body, "payments", "payments")
    if payments is not None:
        found.payments = []
        for path, payment in vine.objects(payments, "payments"):
            found.payments.append(
                {
                    "method": vine.string(payment, "method", f"{path}.method", required=True),
                    "amount": vine.number(
                        payment, "amount", f"{path}.amount", required=True, minimum=0
                    ),
                    "reference": vine.string(
                        payment, "reference", f"{path}.reference", required=True
                    ),
                }
            )
    for name in NOTES:
        value = vine.string(body, name, name)
        if name in body:
            found.notes[name] = value
    if vine.details:
        raise validation_failed(vine)
    return found


def _is_date(text: str) -> bool:
    try:
        schedule.parse_local(text, UTC)
    except ValueError:
        return False
    return True


def _quantities(
    vine: Vine, item: Data, path: str, *, required: bool
) -> list[dict[str, Any]] | None:
    lines = vine.array(item, "quantities", f"{path}.quantities", required=required, min_items=1)
    if lines is None:
        return None
    found = []
    for line_path, line in vine.objects(lines, f"{path}.quantities"):
        label = vine.string(line, "label", f"{line_path}.label", required=True)
        # Stock is counted in whole places: the page says "number", the sandbox wants integers.
        quantity = vine.number(
            line, "quantity", f"{line_path}.quantity", required=True, integer=True, positive=True
        )
        price = vine.number(line, "price", f"{line_path}.price", required=True, minimum=0)
        found.append({"label": label, "quantity": quantity, "price": price})
    return found
