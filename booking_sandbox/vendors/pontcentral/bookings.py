"""Bookings: create, list, detail, update, cancel. Stock is taken at create (no hold step).

Each item is one vendor row (its own id, as the list view shows) and one engine allocation per
active resource of its product; the booking number owns them all, so create, update and cancel
are each one engine call: all or nothing. A magic `resellerReference` (magic.py) answers
the vendor's 409 or 500 once the request has passed every check, and changes nothing.
"""

from __future__ import annotations

import string
from typing import Any

from starlette.responses import Response

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.engine import DomainError
from booking_sandbox.vendors.pontcentral import magic, planning, state, views
from booking_sandbox.vendors.pontcentral.booking_input import (
    BookingInput,
    read_create,
    read_update,
)
from booking_sandbox.vendors.pontcentral.errors import conflict
from booking_sandbox.vendors.pontcentral.http import Call, body_of, query_params
from booking_sandbox.vendors.pontcentral.records import Booking, BookingRow, Payment
from booking_sandbox.vendors.pontcentral.validation import Vine
from booking_sandbox.vendors.pontcentral.wire import PontError, respond

STATUSES = ("created", "pending", "confirmed", "completed", "canceled")
_ALNUM = string.ascii_uppercase + string.digits


async def create_booking(call: Call) -> Response:
    wanted = read_create(await body_of(call.request))
    if wanted.partner_id != call.partner["id"]:
        raise PontError(403, "FORBIDDEN", "Partner and Product do not match")
    so_far = planning.Planned("")  # no booking number is drawn before every check passes
    planned = [
        planning.plan(call, item.product_code, item.when, item.quantities, so_far)
        for item in wanted.items
    ]
    _magic(wanted)  # after every check of the request, before an id or any stock is taken
    drawn = call.space.ids.random.getstate()
    number = _booking_number(call.space)
    try:
        allocations = call.space.inventory.allocate(
            [line for _, lines in planned for line in lines], owner=number
        )
    except DomainError:
        call.space.ids.random.setstate(drawn)  # a failed create leaves no trace, ids included
        raise
    taken = iter(allocations)
    rows = []
    for row, lines in planned:
        row["id"] = state.next_id(call.space, "rowSeq")
        row["allocations"] = [next(taken).id for _ in lines]
        rows.append(row)
    stamp = views.local_millis(call.now, _zone(call, rows[0]))
    notes = wanted.notes
    booking: Booking = {
        "bookingNumber": number,
        "partnerId": call.partner["id"],
        "items": rows,
        "customer": wanted.customer or {},
        "guests": wanted.guests or [],
        "payments": _payments(_currency(call, rows[0]), wanted.payments or []),
        # booking_input.NOTES, in its order
        "customerNote": notes.get("customerNote"),
        "resellerReference": notes.get("resellerReference"),
        "resellerSource": notes.get("resellerSource"),
        "resellerNote": notes.get("resellerNote"),
        "status": "created",
        "createdAt": stamp,
        "updatedAt": stamp,
    }
    state.bookings(call.space)[number] = booking
    return respond({"success": True, "booking": views.booking_detail(call.catalog, booking)})


async def list_bookings(call: Call) -> Response:
    query = query_params(call.request, Vine(), status=STATUSES, bookingNumber=())
    mine = [
        b
        for b in reversed(state.bookings(call.space).values())  # newest first
        if b["partnerId"] == call.partner["id"]
        and query["status"] in (None, b["status"])
        and query["bookingNumber"] in (None, b["bookingNumber"])
    ]
    shown, pagination = views.paged(mine, query["page"], query["limit"])
    return respond(
        {
            "success": True,
            "bookings": [views.booking_summary(b) for b in shown],
            "pagination": pagination,
        }
    )


async def get_booking(call: Call) -> Response:
    booking = _own_booking(call, "Booking not found")
    return respond({"success": True, "booking": views.booking_detail(call.catalog, booking)})


async def update_booking(call: Call) -> Response:
    booking = _own_booking(call, "Booking not found")
    wanted = read_update(await body_of(call.request))
    number = booking["bookingNumber"]
    if booking["status"] == "canceled":
        raise PontError(409, "CONFLICT", f"Booking #{number} is canceled and cannot be updated")
    changes = planning.row_changes(call, booking, wanted.items)
    _magic(wanted)
    moving = [(new, lines) for _, new, lines in changes if lines]
    if moving:
        # Release and re-create in one engine call: if it does not fit, nothing has changed.
        allocations = call.space.inventory.allocate(
            [line for _, lines in moving for line in lines],
            owner=number,
            replacing=[a for row, _, lines in changes if lines for a in row["allocations"]],
        )
        taken = iter(allocations)
        for new, lines in moving:
            new["allocations"] = [next(taken).id for _ in lines]
    for row, new, _ in changes:
        row.update(new)
    _apply_metadata(booking, wanted, _currency(call, booking["items"][0]))
    booking["updatedAt"] = views.local_millis(call.now, _zone(call, booking["items"][0]))
    return respond({"success": True, "booking": views.booking_detail(call.catalog, booking)})


async def cancel_booking(call: Call) -> Response:
    booking = _own_booking(call, "No bookings found for the given booking number")
    number = booking["bookingNumber"]
    if booking["status"] == "canceled":
        raise PontError(409, "CONFLICT", f"Booking #{number} is already canceled")
    call.space.inventory.release([a for row in booking["items"] for a in row["allocations"]])
    booking["status"] = "canceled"
    booking["updatedAt"] = views.local_millis(call.now, _zone(call, booking["items"][0]))
    return respond(
        {"requestStatus": {"success": True, "message": f"Booking #{number} has been canceled"}}
    )


# ----- helpers ---------------------------------------------------------------------------


def _magic(wanted: BookingInput) -> None:
    """The magic reseller references (magic.py): the vendor's 409 or 500, nothing done."""
    reference = wanted.notes.get("resellerReference")
    if reference == magic.CONFLICT_REFERENCE:
        raise conflict()
    if reference == magic.SERVER_ERROR_REFERENCE:
        raise PontError(500, "INTERNAL_SERVER_ERROR", "Server error")


def _own_booking(call: Call, missing: str) -> Booking:
    number = call.request.path_params["bookingNumber"]
    booking = state.bookings(call.space).get(number)
    if booking is None:
        raise PontError(404, "NOT_FOUND", missing)
    if booking["partnerId"] != call.partner["id"]:
        raise PontError(403, "FORBIDDEN", "Partner and Booking do not match")
    return booking


def _apply_metadata(booking: Booking, wanted: BookingInput, currency: str) -> None:
    if wanted.customer is not None:
        booking["customer"].update(wanted.customer)
    if wanted.guests is not None:
        booking["guests"] = wanted.guests
    if wanted.payments is not None:
        booking["payments"] = _payments(currency, wanted.payments)
    for name, value in wanted.notes.items():  # the notes the update names, in its order
        booking[name] = value


def _payments(currency: str, payments: list[dict[str, Any]]) -> list[Payment]:
    # Responses add the currency, which requests do not send: the product's price currency.
    return [
        {
            "method": p["method"],
            "amount": p["amount"],
            "currency": currency,
            "reference": p["reference"],
        }
        for p in payments
    ]


def _currency(call: Call, row: BookingRow) -> str:
    prices = call.catalog.products[row["productCode"]]["prices"]
    return str(prices[0]["currency"]) if prices else "EUR"


def _zone(call: Call, row: BookingRow) -> Any:
    return call.catalog.zone(call.catalog.products[row["productCode"]])


def _booking_number(space: Namespace) -> str:
    """`PC` + 4 digits + 3 upper-case alphanumerics (PC2185IEC), unique in the namespace."""
    taken = state.bookings(space)
    while True:
        number = "PC" + space.ids.digits(4) + space.ids.string(_ALNUM, 3)
        if number not in taken:
            return number
