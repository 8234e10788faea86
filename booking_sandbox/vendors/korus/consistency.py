"""The bulk reservation's synchronous consistency check (reference §5.1), a 422 on the item.

Korus "performs an initial synchronous consistency check, which may result in an HTTP 422";
only then do the sub-systems answer item by item (`failedReservations`). What Korus can tell
from its catalog, the request and the clock alone is that check: the offer (another
organization's, not on sale, its date passed), each `ticketSessions` entry (a ticket of
another offer, a session of another ticket, a session for a ticket that has none, a closed or
past session) and a ticket left without its session. Capacity, seats and the magic quantity
are the sub-system's answer, so they stay in `failedReservations`.

Korus documents neither these messages nor their codes (reference §10.5): the messages are the
sandbox's (translated in messages.py), the codes fixed UUIDs of its own, as Korus's expired
reservation has its own (§6.1); no standard Symfony constraint says what these say.
"""

from __future__ import annotations

from datetime import UTC, datetime

from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.korus.iris import Choice
from booking_sandbox.vendors.korus.store import Record
from booking_sandbox.vendors.korus.wire import Violation

OFFER_NOT_FOUND = "0c6b1a4e-5d0f-4f8e-9b7a-2f6d3e8c1a01"
OFFER_NOT_ON_SALE = "0c6b1a4e-5d0f-4f8e-9b7a-2f6d3e8c1a02"
OFFER_DATE_PASSED = "0c6b1a4e-5d0f-4f8e-9b7a-2f6d3e8c1a03"
TICKET_NOT_OF_OFFER = "0c6b1a4e-5d0f-4f8e-9b7a-2f6d3e8c1a04"
SESSION_NOT_OF_TICKET = "0c6b1a4e-5d0f-4f8e-9b7a-2f6d3e8c1a05"
NO_SESSION_TO_CHOOSE = "0c6b1a4e-5d0f-4f8e-9b7a-2f6d3e8c1a06"
SESSION_REQUIRED = "0c6b1a4e-5d0f-4f8e-9b7a-2f6d3e8c1a07"
SESSION_CLOSED = "0c6b1a4e-5d0f-4f8e-9b7a-2f6d3e8c1a08"
SESSION_PAST = "0c6b1a4e-5d0f-4f8e-9b7a-2f6d3e8c1a09"

# An offer ticket and the session chosen for it (None for a ticket without sessions).
Pick = tuple[Record, Record | None]


def offer_refusal(offer: Record, now: datetime) -> str | None:
    """Why a reservation of the offer fails at `now` (the violation's message), if it does."""
    found = _offer_refusal(offer, now)
    return found[0] if found is not None else None


def session_refusal(session: Record, now: datetime) -> str | None:
    """Why a reservation of the session fails at `now`, if it does."""
    found = _session_refusal(session, now)
    return found[0] if found is not None else None


def check(
    path: str,
    catalog: Record,
    offer: Record,
    choices: list[Choice],
    organization: str,
    now: datetime,
) -> tuple[list[Pick], list[Violation]]:
    """One item's picks (one per offer ticket, in the offer's order) and its violations, every
    one at once as Symfony reports them; `path` is the item's (`items[0]`)."""
    if catalog["organization"] != organization:
        # It resolves (the IriConverter has no security), but not in a catalog the caller sees:
        # nothing more is said about it.
        return [], [Violation(f"{path}.offer", "Offer not found", OFFER_NOT_FOUND)]
    violations: list[Violation] = []
    refused = _offer_refusal(offer, now)
    if refused is not None:
        violations.append(Violation(f"{path}.offer", *refused))
    tickets = {t["id"]: t for t in offer["tickets"]}
    chosen: dict[str, Record | None] = {}  # ticket id -> its session, None once refused
    entries: dict[str, int] = {}  # ticket id -> its last ticketSessions entry
    for j, choice in enumerate(choices):
        entry = f"{path}.ticketSessions[{j}]"
        ref = choice.ticket
        ticket = tickets.get(ref.ticket)
        if ticket is None or ref.offer != offer["id"] or ref.catalog != catalog["id"]:
            message = f"Ticket {choice.ticket_iri} is not a ticket of this offer"
            violations.append(Violation(f"{entry}.ticket", message, TICKET_NOT_OF_OFFER))
            continue
        entries[ticket["id"]] = j
        session, problem = _session_of(choice, catalog, ticket, now)
        if problem is not None:
            violations.append(Violation(f"{entry}.session", *problem))
            chosen[ticket["id"]] = None  # reported once, not also as "must be chosen"
        elif session is not None:
            chosen[ticket["id"]] = session
    picks: list[Pick] = []
    for ticket in offer["tickets"]:
        if not ticket["sessions"] or ticket["id"] in chosen:
            picks.append((ticket, chosen.get(ticket["id"])))
            continue
        last = entries.get(ticket["id"])
        where = f"{path}.ticketSessions" + ("" if last is None else f"[{last}].session")
        iri = f"/v1/ticketing/catalogs/{catalog['id']}/offers/{offer['id']}/tickets/{ticket['id']}"
        message = f"A session must be chosen for ticket {iri}"
        violations.append(Violation(where, message, SESSION_REQUIRED))
    return picks, violations


def _session_of(
    choice: Choice, catalog: Record, ticket: Record, now: datetime
) -> tuple[Record | None, tuple[str, str] | None]:
    """The session an entry chose for `ticket` (None when it chose none), or why it cannot."""
    ref = choice.session
    if ref is None:
        return None, None
    if not ticket["sessions"]:
        return None, (f"Ticket {choice.ticket_iri} has no session to choose", NO_SESSION_TO_CHOOSE)
    # The events-model IRI names no ticket: any session of the catalog reads, so it is matched
    # against this ticket's sessions here.
    session = next((s for s in ticket["sessions"] if s["id"] == ref.session), None)
    if session is None or ref.catalog != catalog["id"] or ref.ticket not in (None, ticket["id"]):
        message = f"Session {choice.session_iri} is not a session of this ticket"
        return None, (message, SESSION_NOT_OF_TICKET)
    return session, _session_refusal(session, now)


def _offer_refusal(offer: Record, now: datetime) -> tuple[str, str] | None:
    if not offer["onSale"]:
        return "Offer is not on sale", OFFER_NOT_ON_SALE
    if offer.get("date") and offer["date"] < now.astimezone(UTC).date().isoformat():
        return "Offer date has passed", OFFER_DATE_PASSED  # what lies in the past is not bookable
    return None


def _session_refusal(session: Record, now: datetime) -> tuple[str, str] | None:
    if session["status"] != "open":
        return "Session is closed", SESSION_CLOSED
    if parse_instant(session["startsAt"]) <= now:
        return "Session has already taken place", SESSION_PAST
    return None
