"""POST /v1/booking/reservations/_bulk, GET /v1/booking/reservations[/{id}].

A reservation holds every ticket of each offer item (and its chosen session) for `quantity`
until `expiresAt` (the catalog's `reservationHoldSeconds`, 900 by default). One bulk call makes
one reservation per catalog. The synchronous consistency check (consistency.py: offer, tickets,
sessions) is a 422 that reserves nothing; past it, an item the sub-system cannot serve (no
capacity) goes to `failedReservations` while the others succeed (reference §5.1); so does an
item of the magic quantity (magic.py), whatever the stock. Expiry is the engine's, read from
the namespace clock.

IRIs in the body are relations (iris.py): a malformed one, or one naming nothing, is a 400
before any other check. Another organization's reservation is a 403 (reference §5.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from starlette.responses import Response

from booking_sandbox.engine import Allocation, AllocationRejected, Line
from booking_sandbox.timefmt import parse_instant, rfc3339
from booking_sandbox.vendors.korus import consistency, hydra, inputs, iris, magic, store
from booking_sandbox.vendors.korus.consistency import Pick
from booking_sandbox.vendors.korus.errors import forbidden
from booking_sandbox.vendors.korus.http import Call
from booking_sandbox.vendors.korus.hydra import PHP_INT_MAX
from booking_sandbox.vendors.korus.inputs import money
from booking_sandbox.vendors.korus.pools import session_pool, ticket_pool
from booking_sandbox.vendors.korus.records import HeldTicket, Reservation
from booking_sandbox.vendors.korus.reservation_views import bulk_output, reservation_document
from booking_sandbox.vendors.korus.store import Record
from booking_sandbox.vendors.korus.wire import KorusError, Violation, not_found, respond

RESERVATIONS = "/v1/booking/reservations"


@dataclass(frozen=True)
class Item:
    offer_iri: str
    quantity: int
    catalog: Record
    offer: Record
    picks: list[Pick]


async def create_bulk(call: Call) -> Response:
    body = await call.json()
    items = _validated_items(call, body)
    by_catalog: dict[str, Reservation] = {}
    held: dict[str, list[Allocation]] = {}  # reservation id -> the allocations it made
    failed: list[Record] = []
    for item in items:  # every item passed the consistency check: the sub-system's answers
        catalog, offer = item.catalog, item.offer
        if item.quantity == magic.RESERVATION_REFUSED_QUANTITY:
            # Magic value: refused after the 422s, before any hold or id is taken.
            failed.append(
                {
                    "offer": item.offer_iri,
                    "quantity": item.quantity,
                    "message": magic.RESERVATION_REFUSED_MESSAGE,
                }
            )
            continue
        lines, tickets = _plan(call, item)
        reservation = by_catalog.get(catalog["id"]) or _new(call, catalog)
        try:
            allocations = call.space.inventory.allocate(
                lines, owner=reservation["id"], hold_until=parse_instant(reservation["expiresAt"])
            )
        except AllocationRejected:
            failed.append(
                {"offer": item.offer_iri, "quantity": item.quantity, "message": "Offer is sold out"}
            )
            continue
        by_catalog[catalog["id"]] = reservation
        held.setdefault(reservation["id"], []).extend(allocations)
        for ticket, allocation in zip(tickets, allocations, strict=True):
            ticket.update({"allocation": allocation.id, "seats": list(allocation.units)})
        reservation["items"].append(
            {
                "offer": offer["id"],
                "product": offer["product"],
                "quantity": item.quantity,
                "unitAmountInclTax": offer["unitAmountInclTax"],
                "unitAmountExclTax": offer["unitAmountExclTax"],
                "date": offer.get("date"),
                "tickets": tickets,
            }
        )
    made = list(by_catalog.values())
    for reservation in made:
        _totals(reservation)
        store.reservations(call.space)[reservation["id"]] = reservation
    # The engine's answer carries each hold's status: the renderer asks nothing again.
    document = bulk_output(call, made, failed, held)
    return respond(document, base_url=call.base_url)


async def get_reservation(call: Call) -> Response:
    reservation = own_reservation(call, call.request.path_params["id"])
    document = {
        "@context": "/contexts/BookingReservation",
        **reservation_document(call, reservation, full=True),
    }
    return respond(document, base_url=call.base_url)


async def list_reservations(call: Call) -> Response:
    page = hydra.page_of(call.request)
    mine = [
        r for r in store.reservations(call.space).values() if r["organization"] == call.organization
    ]
    mine.sort(
        key=lambda r: r["createdAt"],
        reverse=hydra.descending(call.request, "createdAt"),
    )
    members = [reservation_document(call, r, full=True) for r in page.slice(mine)]
    search = hydra.search(RESERVATIONS, [("order[createdAt]", "createdAt")])
    document = hydra.collection(
        call.request, "BookingReservation", members, len(mine), page, search
    )
    return respond(document, base_url=call.base_url)


def own_reservation(call: Call, ident: str) -> Reservation:
    """Read, then `security`: unknown is 404, another organization's is 403 (reference §5.2)."""
    found = store.reservations(call.space).get(ident)
    if found is None:
        raise not_found()
    if found["organization"] != call.organization:
        raise forbidden()
    return found


# ----- validation and planning -------------------------------------------------------------


def _validated_items(call: Call, body: Record) -> list[Item]:
    """Deserialization (400: types, then each item's IRIs), then validation (422): the
    constraints, then the consistency check, every violation at once in item order."""
    items = body.get("items")
    if isinstance(items, dict):  # PHP decodes {} and {"0": ...} to the same array as []
        items = list(items.values())
    if items is not None and not isinstance(items, list):
        raise inputs.type_error("items", "array", items)
    violations: list[Violation] = []
    if not items:
        raise KorusError.unprocessable([inputs.blank("items")])
    checked = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise inputs.type_error(f"items[{i}]", "array", item)
        offer, quantity = item.get("offer"), item.get("quantity")
        if offer is not None and not isinstance(offer, str):
            raise inputs.type_error("offer", "string", offer)
        if quantity is not None and (isinstance(quantity, bool) or not isinstance(quantity, int)):
            raise inputs.type_error("quantity", "int", quantity)
        sessions = item.get("ticketSessions", [])
        if isinstance(sessions, dict):  # PHP decodes a JSON object to the same array
            sessions = list(sessions.values())
        if not isinstance(sessions, list) or not all(isinstance(s, dict) for s in sessions):
            raise inputs.type_error("ticketSessions", "array", sessions)
        for choice in sessions:
            if not isinstance(choice.get("ticket"), str):
                raise inputs.type_error("ticket", "string", choice.get("ticket"))
            if "session" in choice and not isinstance(choice["session"], str | None):
                raise inputs.type_error("session", "string", choice["session"])
        if isinstance(quantity, int) and abs(quantity) > PHP_INT_MAX:
            raise inputs.type_error("quantity", "int", float(quantity))  # PHP reads a float
        # An empty or missing offer is left to NotBlank (422), as before any IRI is read.
        catalog, found = iris.offer_of(call, offer) if offer else ({}, {})
        choices = [iris.choice_of(call, c) for c in sessions]
        if not offer:
            violations.append(inputs.blank(f"items[{i}].offer"))
        if quantity is None:
            violations.append(
                Violation(f"items[{i}].quantity", "This value should not be null.", inputs.NOT_NULL)
            )
        elif quantity <= 0:
            violations.append(
                Violation(f"items[{i}].quantity", "This value should be positive.", inputs.POSITIVE)
            )
        picks: list[Pick] = []
        if offer:
            picks, problems = consistency.check(
                f"items[{i}]", catalog, found, choices, call.organization, call.now
            )
            violations += problems
        if not violations:
            assert isinstance(offer, str)
            assert isinstance(quantity, int)
            checked.append(Item(offer, quantity, catalog, found, picks))
    if violations:
        raise KorusError.unprocessable(violations)
    return checked


def _plan(call: Call, item: Item) -> tuple[list[Line], list[HeldTicket]]:
    """The engine lines and ticket records of a consistent item: seats are taken in map order,
    up to what is free now (the rest is the engine's sold-out), in the allocation itself."""
    lines: list[Line] = []
    tickets: list[HeldTicket] = []
    for ticket, session in item.picks:
        if session is None:
            lines.append(Line(ticket_pool(item.offer["id"], ticket["id"]), item.quantity))
            tickets.append({"ticket": ticket["id"], "session": None})
            continue
        # Up to what is free now: the engine picks and counts in the same pass.
        pool = session_pool(session["id"])
        lines.append(Line(pool, item.quantity, auto_units=item.quantity, auto_up_to=True))
        tickets.append({"ticket": ticket["id"], "session": session["id"]})
    return lines, tickets


def _new(call: Call, catalog: Record) -> Reservation:
    hold = timedelta(seconds=catalog.get("reservationHoldSeconds", 900))
    try:
        expires = call.now + hold
    except OverflowError:  # a clock at the very end of year 9999
        expires = datetime.max.replace(tzinfo=UTC)
    return {
        "id": call.space.ids.uuid7(call.now),
        "organization": call.organization,
        "catalog": catalog["id"],
        "createdAt": rfc3339(call.now),
        "expiresAt": rfc3339(expires),
        "items": [],
        "order": None,
        "cancelled": False,
    }


def _totals(reservation: Reservation) -> None:
    incl = sum(
        (Decimal(i["unitAmountInclTax"]) * i["quantity"] for i in reservation["items"]), Decimal(0)
    )
    excl = sum(
        (Decimal(i["unitAmountExclTax"]) * i["quantity"] for i in reservation["items"]), Decimal(0)
    )
    reservation["totalAmountInclTax"] = money(incl)
    reservation["totalAmountExclTax"] = money(excl)
