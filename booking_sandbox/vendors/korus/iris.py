"""IRIs in Korus request bodies, read as API Platform's serializer reads a relation.

`AbstractItemNormalizer::getResourceFromIri` asks the IriConverter for the item: a string no
route of the expected resource matches (`"1"`, a non-UUID id, a ticket IRI where an offer is
expected) is a 400 `Invalid IRI "<value>".`, one that matches but names nothing a 400 `Item not
found for "<value>".` (api-platform/core, features/security/strong_typing.feature; reference
§8.7). Both are deserialization errors, so they come before any 422 and nothing is reserved.

What exists is read as the IriConverter reads it, without the organization's `security`: an
offer of another organization's catalog resolves, and the reservation's consistency check
(consistency.py) then refuses it with a 422.
The route requirements are API Platform's: ids are lowercase UUIDs; the IRI may be a path or
an absolute URL on any host (the router matches its path).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from booking_sandbox.vendors.korus.http import Call
from booking_sandbox.vendors.korus.inputs import UUID, iri_id
from booking_sandbox.vendors.korus.store import Record
from booking_sandbox.vendors.korus.wire import KorusError

OFFER = rf"/v1/ticketing/catalogs/(?P<catalog>{UUID})/offers/(?P<offer>{UUID})"
TICKET = rf"{OFFER}/tickets/(?P<ticket>{UUID})"
SESSION_NEW = rf"{TICKET}/sessions/(?P<session>{UUID})"
SESSION_OLD = (
    rf"/v1/ticketing/catalogs/(?P<catalog>{UUID})/events/{UUID}/sessions/(?P<session>{UUID})"
)
RESERVATION = rf"/v1/booking/reservations/(?P<id>{UUID})"


def invalid_iri(value: str) -> KorusError:
    return KorusError(400, f'Invalid IRI "{value}".')


def item_not_found(value: str) -> KorusError:
    return KorusError(400, f'Item not found for "{value}".')


@dataclass(frozen=True)
class TicketRef:
    """An offer ticket that exists: its catalog, offer and ticket ids."""

    catalog: str
    offer: str
    ticket: str


@dataclass(frozen=True)
class SessionRef:
    """A session that exists; `ticket` is None for the old events-model IRI, which names none."""

    catalog: str
    ticket: str | None
    session: str


@dataclass(frozen=True)
class Choice:
    """One `ticketSessions` entry of a reservation item: its IRIs as sent, what they name."""

    ticket_iri: str
    ticket: TicketRef
    session_iri: str | None
    session: SessionRef | None


def choice_of(call: Call, entry: Record) -> Choice:
    """`entry`'s ticket (a string) and session (a string or null), already type-checked."""
    session = entry.get("session")
    return Choice(
        entry["ticket"],
        ticket_of(call, entry["ticket"]),
        session,
        session_of(call, session) if session is not None else None,
    )


def offer_of(call: Call, iri: str) -> tuple[Record, Record]:
    """The catalog and offer an offer IRI names (on sale or not, any organization's)."""
    match = iri_id(iri, OFFER)
    if match is None:
        raise invalid_iri(iri)
    catalog = call.catalog.catalogs.get(match["catalog"])
    offer = _by_id(catalog["offers"], match["offer"]) if catalog is not None else None
    if catalog is None or offer is None:
        raise item_not_found(iri)
    return catalog, offer


def ticket_of(call: Call, iri: str) -> TicketRef:
    match = iri_id(iri, TICKET)
    if match is None:
        raise invalid_iri(iri)
    catalog = call.catalog.catalogs.get(match["catalog"])
    offer = _by_id(catalog["offers"], match["offer"]) if catalog is not None else None
    if offer is None or _by_id(offer["tickets"], match["ticket"]) is None:
        raise item_not_found(iri)
    return TicketRef(match["catalog"], match["offer"], match["ticket"])


def session_of(call: Call, iri: str) -> SessionRef:
    new = iri_id(iri, SESSION_NEW)
    match = new or iri_id(iri, SESSION_OLD)
    if match is None:
        raise invalid_iri(iri)
    catalog = call.catalog.catalogs.get(match["catalog"])
    if catalog is None:
        raise item_not_found(iri)
    if new is None:  # the events model: any session of the catalog
        if not any(s["id"] == match["session"] for s in _sessions(catalog)):
            raise item_not_found(iri)
        return SessionRef(match["catalog"], None, match["session"])
    offer = _by_id(catalog["offers"], new["offer"])
    ticket = _by_id(offer["tickets"], new["ticket"]) if offer is not None else None
    if ticket is None or _by_id(ticket.get("sessions", []), new["session"]) is None:
        raise item_not_found(iri)
    return SessionRef(new["catalog"], new["ticket"], new["session"])


def reservation_id(iri: str) -> str:
    """The id of a reservation IRI; its existence is the order's business (failedOrders)."""
    match = iri_id(iri, RESERVATION)
    if match is None:
        raise invalid_iri(iri)
    return match["id"]


def _by_id(records: list[Record], ident: str) -> Record | None:
    return next((r for r in records if r["id"] == ident), None)


def _sessions(catalog: Record) -> Iterator[Record]:
    for offer in catalog["offers"]:
        for ticket in offer["tickets"]:
            yield from ticket.get("sessions", [])
