"""BookingReservation documents in the key order of the book-a-ticket example (§5.1, §5.2).

One reservation has one shape: GET writes every key of the bulk answer (seed 001), with the
same value, in the same order, and adds only what §5.2's schema lists beyond the example."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from booking_sandbox.engine import Allocation
from booking_sandbox.vendors.korus.contexts import anonymous_context
from booking_sandbox.vendors.korus.holds import is_expired, released
from booking_sandbox.vendors.korus.inputs import money
from booking_sandbox.vendors.korus.order_views import (
    CATALOGS,
    offer_iri,
    offer_ticket_links,
    seating,
)
from booking_sandbox.vendors.korus.records import HeldTicket, Reservation, ReservationItem
from booking_sandbox.vendors.korus.store import Record
from booking_sandbox.vendors.korus.wire import genid

if TYPE_CHECKING:
    from booking_sandbox.vendors.korus.http import Call


def bulk_output(
    call: Call,
    made: list[Reservation],
    failed: list[Record],
    held: Mapping[str, Sequence[Allocation]] | None = None,
) -> dict[str, Any]:
    """CreateReservationBulkOutput: an output DTO, so an inline @context and a genid (§8.9).

    `held`: each reservation's allocations as the engine made them (their statuses)."""
    rng = call.space.ids.random
    return {
        "@context": anonymous_context(
            "CreateReservationBulkOutput", ["reservations", "failedReservations"], call.base_url
        ),
        "@type": "CreateReservationBulkOutput",
        "@id": genid(rng),
        "reservations": [
            reservation_document(
                call, r, full=False, allocations=held.get(r["id"]) if held else None
            )
            for r in made
        ],
        # Undocumented element shape (§10): a blank node naming the offer and why it failed.
        "failedReservations": [
            {
                "@type": "FailedReservation",
                "@id": genid(rng),
                "offer": f["offer"],
                "quantity": f["quantity"],
                "message": f["message"],
            }
            for f in failed
        ],
    }


def reservation_document(
    call: Call,
    reservation: Reservation,
    *,
    full: bool,
    allocations: Sequence[Allocation] | None = None,
) -> dict[str, Any]:
    """The bulk output carries the example's fields; GET adds catalog and the state fields.
    `allocations`: the reservation's, when the caller has them from the engine already."""
    catalog = reservation["catalog"]
    expired = is_expired(call, reservation, allocations)
    document: dict[str, Any] = {
        "@id": f"/v1/booking/reservations/{reservation['id']}",
        "@type": "BookingReservation",
        "expired": expired,
    }
    if full:
        document["catalog"] = f"{CATALOGS}/{catalog}"
    document.update(
        {
            "id": reservation["id"],
            "createdAt": reservation["createdAt"],
            "totalAmountInclTax": reservation["totalAmountInclTax"],
            "totalAmountExclTax": reservation["totalAmountExclTax"],
            "expiresAt": reservation["expiresAt"],
            "items": [_item(call, catalog, item, full=full) for item in reservation["items"]],
            "organization": f"/v1/ticketing/organizations/{reservation['organization']}",
            "order": f"/v1/booking/orders/{reservation['order']}" if reservation["order"] else None,
        }
    )
    if full:
        gone = expired or reservation["cancelled"] or released(call, reservation)
        document["seatsArrangement"] = _arrangement(call, reservation)
        document["releasable"] = not gone and reservation["order"] is None
        document["status"] = "released" if gone else "reserved"
    return document


def _item(call: Call, catalog: str, item: ReservationItem, *, full: bool) -> Record:
    """One item, one shape: seed 001's keys in both renderings; GET adds, where §5.2's schema
    puts them, the line amounts and `date` (after the unit amounts, as an order item has both)
    and each place's `seating`."""
    rng = call.space.ids.random
    found: Record = {
        "@type": "ReservationItem",
        "@id": genid(rng),
        "unitAmountInclTax": item["unitAmountInclTax"],
        "unitAmountExclTax": item["unitAmountExclTax"],
    }
    if full:
        found["amountInclTax"] = money(Decimal(item["unitAmountInclTax"]) * item["quantity"])
        found["amountExclTax"] = money(Decimal(item["unitAmountExclTax"]) * item["quantity"])
        found["date"] = item["date"]
    found["offer"] = offer_iri(catalog, item["offer"])
    found["product"] = f"{CATALOGS}/{catalog}/products/{item['product']}"
    found["offerTickets"] = [
        _place(call, catalog, item, held, unit, full=full)
        for unit in range(item["quantity"])
        for held in item["tickets"]
    ]
    return found


def _place(
    call: Call,
    catalog: str,
    item: ReservationItem,
    held: HeldTicket,
    unit: int,
    *,
    full: bool,
) -> Record:
    """One place: a unit of one of the offer's tickets. Places come unit by unit, as the order
    turns them into tickets (orders._order), so each holds at most one seat and `seating` is
    one TicketSeating or null, as on an order ticket."""
    rng = call.space.ids.random
    place: Record = {
        "@type": "ReservationItemOfferTicket",
        "@id": genid(rng),
        **offer_ticket_links(catalog, item["offer"], held["ticket"], held["session"]),
    }
    if full:
        seats = held.get("seats") or []
        session = held["session"]  # a ticket without a session holds no seats
        seat = call.catalog.seats[session][seats[unit]] if session and unit < len(seats) else None
        place["seating"] = seating(rng, seat)
    return place


def _arrangement(call: Call, reservation: Reservation) -> str:
    """ADJACENT when every session's seats follow each other in the seat map (our reading)."""
    verdicts = []
    for item in reservation["items"]:
        for ticket in item["tickets"]:
            seats = ticket.get("seats") or []
            seat_map = list(call.catalog.seats[ticket["session"]]) if ticket["session"] else []
            if seat_map:
                if len(seats) < item["quantity"]:
                    return "UNKNOWN"  # more places than the seat map had left: some unseated
                order = [seat_map.index(s) for s in seats]
                verdicts.append(order == list(range(order[0], order[0] + len(order))))
    if not verdicts:
        return "UNKNOWN"
    return "ADJACENT" if all(verdicts) else "NON_ADJACENT"
