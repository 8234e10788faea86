"""The Korus records a namespace stores (`store.reservations`, `store.orders`): their keys.

TypedDicts, so mypy checks every key read or written; at runtime they are the plain JSON-able
dicts the state export writes, keys in the order their creation sites insert them
(reservations.py, orders.py). schemas/state/korus.schema.json describes the same records;
where it admits a null the code never writes (`unitAmountExclTax`, the `ExclTax` totals),
the type is what the code writes and reads (a money string: `Decimal(None)` would fail).
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict


class HeldTicket(TypedDict):
    """One ticket of a reservation item's offer, the session chosen for it, what it holds."""

    ticket: str
    session: str | None
    # Set when the engine allocates the item (reservations.create_bulk), before the
    # reservation is stored: every stored held ticket has both.
    allocation: NotRequired[str]
    seats: NotRequired[list[str]]  # seat ids of the session's seat map, in allocation order


class ReservationItem(TypedDict):
    offer: str
    product: str
    quantity: int
    unitAmountInclTax: str
    unitAmountExclTax: str
    date: str | None
    tickets: list[HeldTicket]


class Reservation(TypedDict):
    id: str
    organization: str
    catalog: str
    createdAt: str
    expiresAt: str
    items: list[ReservationItem]
    order: str | None  # the order's id once ordered
    cancelled: bool  # released early by the sub-system (cancellation.py)
    # Added by reservations._totals once the items are in, before the reservation is stored.
    totalAmountInclTax: NotRequired[str]
    totalAmountExclTax: NotRequired[str]


class Customer(TypedDict):
    firstname: str
    lastname: str
    email: str
    phone: str | None
    optin: bool
    country: str | None
    language: str | None
    title: str | None  # mr, mrs, mx


class OrderTicket(TypedDict):
    id: str
    offerTicket: str
    session: str | None
    allocation: str
    voucher: str | None
    occursAt: str | None
    requiredBeneficiaryFields: list[str]
    # order_tickets.BENEFICIARY_FIELDS -> value, once designated.
    beneficiary: dict[str, str | None] | None
    beneficiaryDesignationDeadline: str | None
    beneficiaryAmendable: bool
    seat: dict[str, Any] | None  # the catalog's seat record (seatNumber, level, row...)


class OrderItem(TypedDict):
    id: str
    offer: str
    product: str
    quantity: int
    date: str | None
    unitAmountInclTax: str
    unitAmountExclTax: str
    totalAmountInclTax: str
    totalAmountExclTax: str
    tickets: list[OrderTicket]


class OrderDocument(TypedDict):
    id: str
    downloadableAt: str
    cachedLanguage: NotRequired[str]  # the language of the last PATCH (documents.py)


class Order(TypedDict):
    id: str
    organization: str
    catalog: str
    reservation: str
    createdAt: str
    reference: str
    externalReference: str | None
    connectorReference: str | None
    totalAmountInclTax: str
    totalAmountExclTax: str
    customer: Customer
    status: Literal["confirmed", "cancelled"]
    cancelledAt: str | None
    notes: str | None
    items: list[OrderItem]
    documents: list[OrderDocument]
