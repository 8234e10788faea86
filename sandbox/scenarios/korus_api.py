"""What the Korus scenarios share: finding offers and sessions, and booking through the API.

They book with the service account of the organization that owns the offer's catalog (a
catalog is only visible to its organization), so their reservations and orders show in that
organization's lists.
"""

from __future__ import annotations

import json
from datetime import UTC

from sandbox.magic import KORUS_RESERVATION_REFUSED_QUANTITY
from sandbox.scenarios.base import Context, Params, Record, stopped, unavailable
from sandbox.timefmt import format_instant, parse_instant
from sandbox.vendors.korus.auth import TOKEN_PATH
from sandbox.vendors.korus.records import UUID, iri_id
from sandbox.vendors.korus.reservations import OFFER, SESSION_NEW, SESSION_OLD

VENDOR = "korus"
CATALOGS = "/v1/ticketing/catalogs"
# Seed 001's offer and session (the show at 2025-06-07T20:00:00+02:00).
SEED_OFFER = "0194ac40-fda7-78c1-8fcb-26fc2df25894"
SEED_SESSION = "337177bc-e513-444f-bcee-49a3e25b48a3"
CUSTOMER = {"firstname": "Sandbox", "lastname": "Scenario", "email": "scenario@sandbox.invalid"}


class Found:
    """An offer of the namespace's catalogs, with its catalog, and IRIs under it."""

    def __init__(self, catalog: Record, offer: Record) -> None:
        self.catalog, self.offer = catalog, offer
        self.iri = f"{CATALOGS}/{catalog['id']}/offers/{offer['id']}"

    def ticket_iri(self, ticket: Record) -> str:
        return f"{self.iri}/tickets/{ticket['id']}"

    def session_iri(self, ticket: Record, session: Record) -> str:
        return f"{self.ticket_iri(ticket)}/sessions/{session['id']}"

    def session(self, session_id: str) -> tuple[Record, Record] | None:
        """(ticket, session) of this offer with that session id."""
        for ticket in self.offer["tickets"]:
            for session in ticket.get("sessions", []):
                if session["id"] == session_id:
                    return ticket, session
        return None


def offers(doc: Record) -> list[Found]:
    return [Found(c, o) for c in doc["catalogs"] for o in c["offers"]]


def offer_id(text: str) -> str | None:
    match = iri_id(text, OFFER)
    if match is not None:
        return match["offer"]
    return text.lower() if iri_id(text.lower(), UUID) else None


def session_id(text: str) -> str | None:
    match = iri_id(text, SESSION_NEW) or iri_id(text, SESSION_OLD)
    if match is not None:
        return match["session"]
    return text.lower() if iri_id(text.lower(), UUID) else None


def read_offer(doc: Record, params: Params) -> Found | None:
    """The `offer` parameter (an id or an IRI); None, with a problem, when it is unknown."""
    given = params.string("offer")
    if given is None:
        return None
    ident = offer_id(given)
    found = next((f for f in offers(doc) if f.offer["id"] == ident), None)
    if found is None:
        params.problem("offer", f"no offer {given!r} in this namespace's Korus catalogs")
    return found


def read_session(
    doc: Record, params: Params, offer: Found | None
) -> tuple[Found, Record, Record] | None:
    """(offer, ticket, session) of the `session` parameter (within `offer` when given)."""
    given = params.string("session")
    if given is None:
        return None
    ident = session_id(given)
    for found in [offer] if offer is not None else offers(doc):
        hit = found.session(ident) if ident else None
        if hit is not None:
            return found, hit[0], hit[1]
    where = "of that offer" if offer is not None else "in this namespace's Korus catalogs"
    params.problem("session", f"no session {given!r} {where}")
    return None


def seed_session(doc: Record) -> tuple[Found, Record, Record]:
    for found in offers(doc):
        hit = found.session(SEED_SESSION)
        if hit is not None:
            return found, hit[0], hit[1]
    raise unavailable(f"the Korus fixtures have no session {SEED_SESSION} (seed 001's)")


def bookable(ctx: Context, params: Params, found: Found, session: Record | None) -> None:
    """What a reservation would refuse at the namespace's clock: a problem of the parameter
    that chose it, or 409 scenario_unavailable when the scenario's defaults chose it."""
    now = ctx.space.clock.now()
    clock = f"namespace clock {format_instant(now)}"
    problems = []
    if not found.offer["onSale"]:
        problems.append(("offer", "that offer is not on sale"))
    elif found.offer.get("date") and found.offer["date"] < now.astimezone(UTC).date().isoformat():
        problems.append(("offer", f"that offer's date has passed ({clock})"))
    if session is not None and session["status"] != "open":
        problems.append(("session", "that session is closed"))
    elif session is not None and parse_instant(session["startsAt"]) <= now:
        problems.append(("session", f"that session has started ({clock})"))
    for name, message in problems:
        given = [n for n in (name, "session", "offer") if params.values.get(n) is not None]
        if not given:
            raise unavailable(
                f"{message.replace('that', 'the default', 1)}: name one with `{name}`, "
                "or set the namespace clock back"
            )
        params.problem(given[0], message)


def ticket_sessions(ctx: Context, found: Found, chosen: str | None) -> list[Record]:
    """One entry per ticket: `chosen` for its ticket, the next open session for the others."""
    now = ctx.space.clock.now()
    entries = []
    for ticket in found.offer["tickets"]:
        entry = {"ticket": found.ticket_iri(ticket)}
        sessions = ticket.get("sessions", [])
        pick = next((s for s in sessions if s["id"] == chosen), None)
        if pick is None:
            ahead = [
                s for s in sessions if s["status"] == "open" and parse_instant(s["startsAt"]) > now
            ]
            pick = min(ahead, key=lambda s: parse_instant(s["startsAt"]), default=None)
        if pick is not None:
            entry["session"] = found.session_iri(ticket, pick)
        entries.append(entry)
    return entries


async def login(ctx: Context, doc: Record, found: Found) -> tuple[str, dict[str, str]]:
    """The client id and Bearer headers of the account of the catalog's organization."""
    organization = found.catalog["organization"]
    account = next((a for a in doc["serviceAccounts"] if a["organization"] == organization), None)
    if account is None:
        raise unavailable(f"no Korus service account of organization {organization}")
    form = {
        "grant_type": "client_credentials",
        "client_id": account["clientId"],
        "client_secret": account["clientSecret"],
    }
    token = await ctx.caller.ok("token", "POST", TOKEN_PATH, form=form)
    headers = {"Authorization": f"Bearer {token['access_token']}", "Accept": "application/ld+json"}
    return account["clientId"], headers


async def reserve(
    ctx: Context, headers: dict[str, str], found: Found, quantity: int, chosen: str | None
) -> Record:
    # One reservation (items of one catalog share it), never with the magic quantity that makes
    # the vendor refuse an item on purpose.
    sizes = [quantity - 1, 1] if quantity == KORUS_RESERVATION_REFUSED_QUANTITY else [quantity]
    sessions = ticket_sessions(ctx, found, chosen)
    items = [{"offer": found.iri, "quantity": n, "ticketSessions": sessions} for n in sizes]
    path = "/v1/booking/reservations/_bulk"
    body = {"items": items}
    answer = await ctx.caller.ok("reserve", "POST", path, json_body=body, headers=headers)
    if answer["failedReservations"] or not answer["reservations"]:
        failure = (answer["failedReservations"] or [{"message": "no reservation made"}])[0]
        message = f"the reservation failed: {failure['message']}"
        raise stopped(message, f"POST {path}", json.dumps(answer["failedReservations"]))
    reservation: Record = answer["reservations"][0]
    return reservation


async def available(ctx: Context, headers: dict[str, str], session_iri: str) -> int:
    document = await ctx.caller.ok("availability", "GET", session_iri, headers=headers)
    return int(document["availableQuantity"])
