"""POST /v1/booking/reservations/_bulk, GET /v1/booking/reservations[/{id}].

A reservation holds every ticket of each offer item (and its chosen session) for `quantity`
until `expiresAt` (the catalog's `reservationHoldSeconds`, 900 by default). One bulk call makes
one reservation per catalog; an item that cannot be served goes to `failedReservations` while
the others succeed (reference §5.1); so does an item of the magic quantity (magic.py),
whatever the stock. Expiry is the engine's, read from the namespace clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from starlette.responses import Response

from booking_sandbox.engine import AllocationRejected, Line
from booking_sandbox.timefmt import parse_instant, rfc3339
from booking_sandbox.vendors.korus import hydra, inputs, magic, store
from booking_sandbox.vendors.korus.http import Call
from booking_sandbox.vendors.korus.hydra import PHP_INT_MAX
from booking_sandbox.vendors.korus.inputs import UUID, iri_id, money
from booking_sandbox.vendors.korus.pools import session_pool, ticket_pool
from booking_sandbox.vendors.korus.records import HeldTicket, Reservation
from booking_sandbox.vendors.korus.reservation_views import bulk_output, reservation_document
from booking_sandbox.vendors.korus.store import Record
from booking_sandbox.vendors.korus.wire import KorusError, Violation, respond

OFFER = rf"/v1/ticketing/catalogs/(?P<catalog>{UUID})/offers/(?P<offer>{UUID})"
TICKET = rf"{OFFER}/tickets/(?P<ticket>{UUID})"
SESSION_NEW = rf"{TICKET}/sessions/(?P<session>{UUID})"
SESSION_OLD = (
    rf"/v1/ticketing/catalogs/(?P<catalog>{UUID})/events/{UUID}/sessions/(?P<session>{UUID})"
)
RESERVATIONS = "/v1/booking/reservations"


class ItemFailed(Exception):
    """One bulk item the sub-system refuses: reported in failedReservations."""


async def create_bulk(call: Call) -> Response:
    body = await call.json()
    items = _validated_items(body)
    by_catalog: dict[str, Reservation] = {}
    failed: list[Record] = []
    for item in items:
        try:
            catalog, offer, lines, tickets = _plan(call, item)
        except ItemFailed as exc:
            failed.append(
                {"offer": item["offer"], "quantity": item["quantity"], "message": str(exc)}
            )
            continue
        if item["quantity"] == magic.RESERVATION_REFUSED_QUANTITY:
            # Magic value: refused after the checks, before any hold or id is taken.
            failed.append(
                {
                    "offer": item["offer"],
                    "quantity": item["quantity"],
                    "message": magic.RESERVATION_REFUSED_MESSAGE,
                }
            )
            continue
        reservation = by_catalog.get(catalog["id"]) or _new(call, catalog)
        try:
            allocations = call.space.inventory.allocate(
                lines, owner=reservation["id"], hold_until=parse_instant(reservation["expiresAt"])
            )
        except AllocationRejected:
            failed.append(
                {
                    "offer": item["offer"],
                    "quantity": item["quantity"],
                    "message": "Offer is sold out",
                }
            )
            continue
        by_catalog[catalog["id"]] = reservation
        for ticket, allocation in zip(tickets, allocations, strict=True):
            ticket.update({"allocation": allocation.id, "seats": list(allocation.units)})
        reservation["items"].append(
            {
                "offer": offer["id"],
                "product": offer["product"],
                "quantity": item["quantity"],
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
    document = bulk_output(call, made, failed)
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
    return store.owned(store.reservations(call.space), ident, call.organization)


# ----- validation and planning -------------------------------------------------------------


def _validated_items(body: Record) -> list[Record]:
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
        checked.append({"offer": offer, "quantity": quantity, "ticketSessions": sessions})
    if violations:
        raise KorusError.unprocessable(violations)
    return checked


def _plan(call: Call, item: Record) -> tuple[Record, Record, list[Line], list[HeldTicket]]:
    """The catalog, offer, engine lines and ticket records of one item, or ItemFailed."""
    match = iri_id(item["offer"], OFFER)
    catalog = call.catalog.catalogs.get(match["catalog"]) if match else None
    if match is None or catalog is None or catalog["organization"] != call.organization:
        raise ItemFailed("Offer not found")
    offer = next((o for o in catalog["offers"] if o["id"] == match["offer"]), None)
    if offer is None:
        raise ItemFailed("Offer not found")
    refused = offer_refusal(offer, call.now)
    if refused is not None:
        raise ItemFailed(refused)
    chosen: dict[str, str | None] = {}
    for choice in item["ticketSessions"]:
        ticket_match = iri_id(choice.get("ticket"), TICKET)
        if (
            ticket_match is None
            or ticket_match["offer"] != offer["id"]
            or ticket_match["catalog"] != catalog["id"]
        ):
            raise ItemFailed(f"Ticket {choice.get('ticket')} is not a ticket of this offer")
        session = choice.get("session")
        session_match = iri_id(session, SESSION_NEW) or iri_id(session, SESSION_OLD)
        if session_match is not None and (
            session_match["catalog"] != catalog["id"]
            or session_match.groupdict().get("ticket", ticket_match["ticket"])
            != ticket_match["ticket"]
        ):
            session_match = None  # a session IRI under another catalog or ticket
        if session is not None and session_match is None:
            raise ItemFailed(f"Session {session} not found")
        chosen[ticket_match["ticket"]] = session_match["session"] if session_match else None
    lines: list[Line] = []
    tickets: list[HeldTicket] = []
    for ticket in offer["tickets"]:
        session_id = chosen.get(ticket["id"])
        if not ticket["sessions"]:
            if session_id is not None:
                raise ItemFailed(f"Ticket {ticket['id']} has no session to choose")
            lines.append(Line(ticket_pool(offer["id"], ticket["id"]), item["quantity"]))
            tickets.append({"ticket": ticket["id"], "session": None})
            continue
        session = next((s for s in ticket["sessions"] if s["id"] == session_id), None)
        if session is None:
            raise ItemFailed(f"A session must be chosen for ticket {ticket['id']}")
        refused = session_refusal(session, call.now)
        if refused is not None:
            raise ItemFailed(refused)
        pool = session_pool(session["id"])
        free_seats = len(call.space.inventory.availability(pool).free_units)
        lines.append(Line(pool, item["quantity"], auto_units=min(item["quantity"], free_seats)))
        tickets.append({"ticket": ticket["id"], "session": session["id"]})
    return catalog, offer, lines, tickets


def offer_refusal(offer: Record, now: datetime) -> str | None:
    """Why a reservation of the offer fails at `now` (failedReservations' message), if it does."""
    if not offer["onSale"]:
        return "Offer is not on sale"
    if offer.get("date") and offer["date"] < now.astimezone(UTC).date().isoformat():
        return "Offer date has passed"  # what lies in the past is not bookable
    return None


def session_refusal(session: Record, now: datetime) -> str | None:
    """Why a reservation of the session fails at `now`, if it does."""
    if session["status"] != "open":
        return "Session is closed"
    if parse_instant(session["startsAt"]) <= now:
        return "Session has already taken place"
    return None


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
