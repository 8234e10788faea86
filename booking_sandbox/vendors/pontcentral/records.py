"""The Pont Central records a namespace stores (state.py): issued tokens and bookings.

TypedDicts, so mypy checks every key read or written; at runtime they are the plain JSON-able
dicts the state export writes, keys in the order their creation sites insert them (auth.py,
bookings.py). schemas/state/pontcentral.schema.json describes the same records.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

# The booking notes a create or an update may set, in the booking's key order.
NoteName = Literal["customerNote", "resellerReference", "resellerSource", "resellerNote"]
Status = Literal["created", "pending", "confirmed", "completed", "canceled"]


class IssuedToken(TypedDict):
    partnerId: int
    expiresAt: str  # utc_millis


class Guest(TypedDict):
    title: str | None
    firstName: str | None
    lastName: str | None
    age: float | None


class Payment(TypedDict):
    method: str
    amount: float
    currency: str  # the product's price currency: requests do not send it
    reference: str


class BookingRow(TypedDict):
    """One item of a booking: one product at one slot, and the engine allocations it holds."""

    id: int  # the vendor's auto-increment row id (`rowSeq`)
    productCode: str
    reservationDate: str  # local date, ISO
    reservationTime: str  # local "HH:MM"
    slot: str  # the slot's start instant, ISO with offset
    quantities: list[dict[str, Any]]  # {label, quantity, price} as the request sent them
    resource: str  # the product's primary resource code
    allocations: list[str]  # engine allocation ids, one per occupied resource


class Booking(TypedDict):
    bookingNumber: str
    partnerId: int
    items: list[BookingRow]
    customer: dict[str, str | None]  # booking_input.CUSTOMER_FIELDS sent so far -> value
    guests: list[Guest]
    payments: list[Payment]
    customerNote: str | None
    resellerReference: str | None
    resellerSource: str | None
    resellerNote: str | None
    status: Status
    createdAt: str  # local_millis
    updatedAt: str
