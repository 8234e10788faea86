"""BookingReservation documents in the key order of the book-a-ticket example (§5.1, §5.2)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from booking_sandbox.vendors.korus.contexts import anonymous_context
from booking_sandbox.vendors.korus.holds import is_expired, released
from booking_sandbox.vendors.korus.inputs import money
from booking_sandbox.vendors.korus.order_views import SEAT_FIELDS
from booking_sandbox.vendors.korus.records import HeldTicket, Reservation, ReservationItem
from booking_sandbox.vendors.korus.store import Record
from booking_sandbox.vendors.korus.wire import genid

if TYPE_CHECKING:
    from booking_sandbox.vendors.korus.http import Call

CATALOGS = "/v1/ticketing/catalogs"


def offer_iri(catalog: str, offer: str) -> str:
    return f"{CATALOGS}/{catalog}/offers/{offer}"


def bulk_output(call: Call, made: list[Reservation], failed: list[Record]) -> dict[str, Any]:
    """CreateReservationBulkOutput: an output DTO, so an inline @context and a genid (§8.9)."""
    rng = call.space.ids.random
    return {
        "@context": anonymous_context(
            "CreateReservationBulkOutput", ["reservations", "failedReservations"], call.base_url
        ),
        "@type": "CreateReservationBulkOutput",
        "@id": genid(rng),
        "reservations": [reservation_document(call, r, full=False) for r in made],
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


def reservation_document(call: Call, reservation: Reservation, *, full: bool) -> dict[str, Any]:
    """The bulk output carries the example's fields; GET adds catalog and the state fields."""
    rng = call.space.ids.random
    catalog = reservation["catalog"]
    expired = is_expired(call, reservation)
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
            "items": [
                _read_item(call, catalog, item) if full else _bulk_item(rng, catalog, item)
                for item in reservation["items"]
            ],
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


def _bulk_item(rng: Any, catalog: str, item: ReservationItem) -> dict[str, Any]:
    """The item as the bulk output writes it (seed 001)."""
    return {
        "@type": "ReservationItem",
        "@id": genid(rng),
        "unitAmountInclTax": item["unitAmountInclTax"],
        "unitAmountExclTax": item["unitAmountExclTax"],
        "offer": offer_iri(catalog, item["offer"]),
        "product": f"{CATALOGS}/{catalog}/products/{item['product']}",
        "offerTickets": [_offer_ticket(rng, catalog, item, t) for t in item["tickets"]],
    }


def _read_item(call: Call, catalog: str, item: ReservationItem) -> dict[str, Any]:
    """The item as GET reads it (§5.2's schema): amounts for the line, the date, and the seats
    each ticket holds."""
    rng = call.space.ids.random
    tickets = []
    for held in item["tickets"]:
        iri = f"{offer_iri(catalog, item['offer'])}/tickets/{held['ticket']}"
        session = held["session"]  # a ticket without a session holds no seats
        seats = [call.catalog.seats[session][n] for n in held.get("seats") or []] if session else []
        tickets.append(
            {
                "@type": "ReservationItemOfferTicket",
                "@id": genid(rng),
                "ticket": iri,
                "session": f"{iri}/sessions/{held['session']}" if held["session"] else None,
                "seating": [
                    {
                        "@type": "TicketSeating",
                        "@id": genid(rng),
                        **{k: seat.get(k) for k in SEAT_FIELDS},
                    }
                    for seat in seats
                ]
                or None,
            }
        )
    amount = Decimal(item["unitAmountInclTax"]) * item["quantity"]
    amount_excl = Decimal(item["unitAmountExclTax"]) * item["quantity"]
    return {
        "@type": "ReservationItem",
        "@id": genid(rng),
        "amountInclTax": money(amount),
        "amountExclTax": money(amount_excl),
        "date": item["date"],
        "offer": offer_iri(catalog, item["offer"]),
        "product": f"{CATALOGS}/{catalog}/products/{item['product']}",
        "offerTickets": tickets,
    }


def _offer_ticket(
    rng: Any, catalog: str, item: ReservationItem, ticket: HeldTicket
) -> dict[str, Any]:
    iri = f"{offer_iri(catalog, item['offer'])}/tickets/{ticket['ticket']}"
    found: dict[str, Any] = {
        "@type": "ReservationItemOfferTicket",
        "@id": genid(rng),
        "ticket": iri,
    }
    if ticket["session"]:  # a ticket without a chosen session has no `session` key (§5.1)
        found["session"] = f"{iri}/sessions/{ticket['session']}"
    return found


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
