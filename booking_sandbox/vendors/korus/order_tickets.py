"""GET and PATCH /v1/booking/orders/{orderId}/items/{orderItemId}/tickets/{id} (reference §6.5).

What Korus documents: the BookingOrderItemTicket fields, and a PATCH in
`application/merge-patch+json` whose `beneficiary` has a required `firstname` and `lastname`, a
`title` among mr/mrs/mx, a `dateOfBirth` date and free text fields; the answer is the ticket.

What API Platform does, and so the sandbox: the Content-Type is checked before the ticket is
read (ContentNegotiationProvider is the outermost provider), so a wrong one is a 415 even for an
unknown ticket, while a missing one is DeserializeProvider's 415 after the 404 check. Field types
are the serializer's (400), constraints are the validator's (422, Symfony's messages and codes:
NotBlank, Choice, Date with its INVALID_FORMAT and INVALID_DATE codes).

The sandbox's own choices, as Korus documents none of them:
- A `beneficiary` in the body replaces the stored one as a whole (the PATCH input is a fresh
  DTO, not merged field by field), so `firstname` and `lastname` must always be sent. A body
  without `beneficiary` changes nothing; `"beneficiary": null` is a NotNull violation (a
  beneficiary cannot be removed).
- The ticket is locked, a 422 with one violation on `beneficiary`, when: its order is cancelled
  ("The order is cancelled: its tickets can no longer be changed."), its
  `beneficiaryDesignationDeadline` has passed on the namespace clock ("The beneficiary
  designation deadline has passed."), or it is not `beneficiaryAmendable` and already has a
  beneficiary ("The beneficiary of this ticket cannot be amended."; the first designation is
  always allowed). Those checks run before the field constraints, and their codes are the
  sandbox's UUIDs below.
- `status` is "validated" once every `requiredBeneficiaryFields` entry is set on the
  beneficiary (a ticket that requires nothing is validated from the start), else
  "waiting_beneficiary_data".
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from starlette.responses import Response

from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.korus import access, inputs
from booking_sandbox.vendors.korus.http import Call
from booking_sandbox.vendors.korus.order_views import ticket_document, ticket_iri
from booking_sandbox.vendors.korus.records import Order, OrderItem, OrderTicket
from booking_sandbox.vendors.korus.store import Record
from booking_sandbox.vendors.korus.wire import KorusError, Violation, respond

MERGE_PATCH = "application/merge-patch+json"
# The stored beneficiary's key order: the generated example's (1.0.19, §6.5).
BENEFICIARY_FIELDS = (
    "firstname",
    "lastname",
    "email",
    "phone",
    "title",
    "dateOfBirth",
    "placeOfBirth",
    "nationality",
)
# Symfony's Date constraint: the string is not Y-m-d, or it is but names no real day.
DATE_FORMAT = "69819696-02ac-4a99-9ff0-14e127c4d1bc"
DATE_INVALID = "3c184ce5-b31d-4de7-8b76-326da7b2be93"
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")  # ASCII digits, whole string
# The sandbox's codes for a locked ticket (Korus documents none).
ORDER_CANCELLED = "6b86329e-d760-4dd1-ae9c-e6f8cdd2f829"
DEADLINE_PASSED = "72614c46-bd21-4a61-bc1d-37036b804de2"
NOT_AMENDABLE = "a35beeb1-27f5-42e5-a841-b23438587e0a"


# ----- merge-patch requests, shared with the document PATCH -------------------------------


def check_content_type(call: Call) -> None:
    """ContentNegotiationProvider::getInputFormat, before the resource is read: a Content-Type
    that is not merge-patch is a 415 (`; params` are ignored, case is not)."""
    content_type = call.request.headers.get("content-type")
    if not content_type:
        return  # DeserializeProvider complains later, after the read
    canonical = content_type.split(";", 1)[0].strip() if ";" in content_type else None
    if MERGE_PATCH not in (content_type, canonical):
        raise KorusError(
            415,
            f'The content-type "{content_type}" is not supported. '
            f'Supported MIME types are "{MERGE_PATCH}".',
        )


async def merge_patch_body(call: Call) -> Record:
    """DeserializeProvider, after the read: the header must exist, the body be a JSON object."""
    if not call.request.headers.get("content-type"):
        raise KorusError(415, 'The "Content-Type" header must exist.')
    return await call.json()


def with_content_location(response: Response, iri: str) -> Response:
    """API Platform's header on a non-GET answer carrying a resource (§8.2)."""
    response.headers["Content-Location"] = f"{iri}.jsonld"
    return response


# ----- the endpoint ------------------------------------------------------------------------


async def get_ticket(call: Call) -> Response:
    order, item, found = own_ticket(call)
    return respond(ticket_resource(call, order, item, found), base_url=call.base_url)


async def patch_ticket(call: Call) -> Response:
    check_content_type(call)
    order, item, found = own_ticket(call)
    body = await merge_patch_body(call)
    if "beneficiary" in body:
        beneficiary = _validated(call, order, found, body["beneficiary"])
        found["beneficiary"] = beneficiary
    response = respond(ticket_resource(call, order, item, found), base_url=call.base_url)
    return with_content_location(response, ticket_iri(order, item, found))


def own_ticket(call: Call) -> tuple[Order, OrderItem, OrderTicket]:
    """The order, item and ticket the path names: 404 if unknown, 403 if another
    organization's (reference §6.5 documents both)."""
    params = call.request.path_params
    return access.order_ticket(call, params["orderId"], params["orderItemId"], params["id"])


def ticket_resource(
    call: Call, order: Order, item: OrderItem, ticket: OrderTicket
) -> dict[str, Any]:
    """The top-level BookingOrderItemTicket: @context, @id, @type, then the ticket's fields."""
    fields = ticket_document(call, order, item, ticket)
    iri = fields.pop("@id")
    return {
        "@context": "/contexts/BookingOrderItemTicket",
        "@id": iri,
        "@type": "BookingOrderItemTicket",
        **fields,
    }


# ----- validation --------------------------------------------------------------------------


def _validated(call: Call, order: Order, ticket: OrderTicket, value: Any) -> dict[str, str | None]:
    if value is not None and not isinstance(value, dict):
        raise inputs.type_error("beneficiary", "array", value)
    if value is not None:
        for name in BENEFICIARY_FIELDS:
            if value.get(name) is not None and not isinstance(value[name], str):
                raise inputs.type_error(name, "string", value[name])
    locked = _lock(call, order, ticket)
    if locked is not None:
        raise KorusError.unprocessable([locked])
    if value is None:
        raise KorusError.unprocessable(
            [Violation("beneficiary", "This value should not be null.", inputs.NOT_NULL)]
        )
    violations: list[Violation] = []
    # In the input DTO's declaration order (the request schema's): firstname, lastname, title,
    # nationality, dateOfBirth, ...
    for name in ("firstname", "lastname"):
        if not value.get(name):
            violations.append(inputs.blank(f"beneficiary.{name}"))
    violations += inputs.title("beneficiary.title", value.get("title"))
    birth = value.get("dateOfBirth")
    if birth is not None and birth != "":  # Symfony's Date skips null and ""
        code = _date_error(birth)
        if code is not None:
            violations.append(
                Violation("beneficiary.dateOfBirth", "This value is not a valid date.", code)
            )
    if violations:
        raise KorusError.unprocessable(violations)
    return {name: value.get(name) for name in BENEFICIARY_FIELDS}


def _date_error(text: str) -> str | None:
    """DateValidator: the Y-m-d pattern, then checkdate()."""
    match = _DATE.fullmatch(text)
    if match is None:
        return DATE_FORMAT
    try:
        date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return DATE_INVALID
    return None


def _lock(call: Call, order: Order, ticket: OrderTicket) -> Violation | None:
    if order["status"] == "cancelled":
        return Violation(
            "beneficiary",
            "The order is cancelled: its tickets can no longer be changed.",
            ORDER_CANCELLED,
        )
    deadline = ticket["beneficiaryDesignationDeadline"]
    if deadline is not None and call.now > parse_instant(deadline):
        return Violation(
            "beneficiary", "The beneficiary designation deadline has passed.", DEADLINE_PASSED
        )
    if not ticket["beneficiaryAmendable"] and ticket["beneficiary"] is not None:
        return Violation(
            "beneficiary", "The beneficiary of this ticket cannot be amended.", NOT_AMENDABLE
        )
    return None
