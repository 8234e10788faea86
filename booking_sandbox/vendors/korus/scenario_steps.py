"""What the Korus scenarios share: finding offers and sessions, and booking through the API.

They book with the service account of the organization that owns the offer's catalog (a
catalog is only visible to its organization), so their reservations and orders show in that
organization's lists.
"""

from __future__ import annotations

import json

from booking_sandbox.core.scenario import Context, Params, Record, customer, stopped, unavailable
from booking_sandbox.timefmt import format_instant, parse_instant
from booking_sandbox.vendors.korus.auth import TOKEN_PATH
from booking_sandbox.vendors.korus.consistency import offer_refusal, session_refusal
from booking_sandbox.vendors.korus.inputs import UUID, iri_id
from booking_sandbox.vendors.korus.iris import OFFER, SESSION_NEW, SESSION_OLD
from booking_sandbox.vendors.korus.magic import RESERVATION_REFUSED_QUANTITY

VENDOR = "korus"
CATALOGS = "/v1/ticketing/catalogs"
# Seed 001's offer and session (the show at 2025-06-07T20:00:00+02:00).
SEED_OFFER = "0194ac40-fda7-78c1-8fcb-26fc2df25894"
SEED_SESSION = "337177bc-e513-444f-bcee-49a3e25b48a3"
CUSTOMER = customer("firstname", "lastname")


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


def _parts(text: str, *patterns: str) -> dict[str, str]:
    """The ids an IRI names (catalog, offer, ticket, session), or {key: id} for a bare id."""
    for pattern in patterns:
        match = iri_id(text, pattern)
        if match is not None:
            return {k: v for k, v in match.groupdict().items() if v is not None}
    return {}


def _mismatch(parts: dict[str, str], found: Found, ticket: Record | None = None) -> str | None:
    """The first id of the IRI that is not the record's: a catalog, offer or ticket of another."""
    actual = {"catalog": found.catalog["id"], "offer": found.offer["id"]}
    if ticket is not None:
        actual["ticket"] = ticket["id"]
    for key, want in actual.items():
        if key in parts and parts[key] != want:
            return f"{key} {parts[key]} (it is under {key} {want})"
    return None


def read_offer(doc: Record, params: Params) -> Found | None:
    """The `offer` parameter (an id or an IRI); None, with a problem, when it is unknown."""
    given = params.string("offer")
    if given is None:
        return None
    parts = _parts(given, OFFER)
    ident = parts.get("offer") or (given.lower() if iri_id(given.lower(), UUID) else None)
    found = next((f for f in offers(doc) if f.offer["id"] == ident), None)
    wrong = _mismatch(parts, found) if found is not None else None
    if found is None:
        params.problem("offer", f"no offer {given!r} in this namespace's Korus catalogs")
    elif wrong is not None:
        params.problem("offer", f"that IRI names {wrong}")
        return None
    return found


def read_session(
    doc: Record, params: Params, offer: Found | None
) -> tuple[Found, Record, Record] | None:
    """(offer, ticket, session) of the `session` parameter (within `offer` when given)."""
    given = params.string("session")
    if given is None:
        return None
    parts = _parts(given, SESSION_NEW, SESSION_OLD)
    ident = parts.get("session") or (given.lower() if iri_id(given.lower(), UUID) else None)
    for found in [offer] if offer is not None else offers(doc):
        hit = found.session(ident) if ident else None
        if hit is None:
            continue
        wrong = _mismatch(parts, found, hit[0])
        if wrong is not None:
            params.problem("session", f"that IRI names {wrong}")
            return None
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
    """What a reservation would refuse at the namespace's clock (the vendor's own checks): a
    problem of the parameter that chose it, or 409 scenario_unavailable when the scenario's
    defaults chose it."""
    now = ctx.space.clock.now()
    problems = [("offer", offer_refusal(found.offer, now))]
    if session is not None:
        problems.append(("session", session_refusal(session, now)))
    for name, refused in problems:
        if refused is None:
            continue
        message = f"Korus would refuse it: {refused} (namespace clock {format_instant(now)})"
        given = params.given(name, "session", "offer")
        if given is None:
            raise unavailable(
                f"the default {name}: {message}; name one with `{name}`, "
                "or set the namespace clock back"
            )
        params.problem(given, f"that {name}: {message}")


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
    sizes = [quantity - 1, 1] if quantity == RESERVATION_REFUSED_QUANTITY else [quantity]
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
