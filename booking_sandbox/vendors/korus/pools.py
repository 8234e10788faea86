"""Korus catalog -> engine pools: one per session, one per ticket that has no session.

A reservation holds each ticket of an offer (and its chosen session) for `quantity`, so the
pool of a session is its capacity, with its named seats as units for seating.
"""

from __future__ import annotations

from collections.abc import Iterator

from booking_sandbox.engine import Pool
from booking_sandbox.timefmt import parse_instant as _instant
from booking_sandbox.vendors.adapter import Document, PoolInfo
from booking_sandbox.vendors.crossref import Problems, resolves, unique
from booking_sandbox.vendors.korus import catalog_refs


def session_pool(session_id: str) -> str:
    return f"korus:session:{session_id}"


def ticket_pool(offer_id: str, ticket_id: str) -> str:
    return f"korus:ticket:{offer_id}:{ticket_id}"


def _tickets(doc: Document) -> Iterator[tuple[str, str, Document, Document]]:
    for c, catalog in enumerate(doc["catalogs"]):
        for o, offer in enumerate(catalog["offers"]):
            for t, ticket in enumerate(offer["tickets"]):
                yield f"$.catalogs[{c}].offers[{o}].tickets[{t}]", offer["id"], offer, ticket


def pools(doc: Document) -> Iterator[Pool]:
    for _, offer_id, _, ticket in _tickets(doc):
        sessions = ticket.get("sessions", [])
        if not sessions:
            yield Pool(ticket_pool(offer_id, ticket["id"]), ticket["capacity"])
        for session in sessions:
            seats = tuple(seat["seatNumber"] for seat in session.get("seats", []))
            yield Pool(session_pool(session["id"]), session["capacity"], units=seats)


def describe_pools(doc: Document) -> Iterator[PoolInfo]:
    """`pools()` as the inventory overview names them; holds take them for no time."""
    for _, offer_id, offer, ticket in _tickets(doc):
        sessions = ticket.get("sessions", [])
        name = f"{offer['name']} · {ticket['name']}"
        if not sessions:
            yield PoolInfo(ticket_pool(offer_id, ticket["id"]), "ticket", name, timed=False)
        for session in sessions:
            label = f"{name} · {session['startsAt']}"
            yield PoolInfo(session_pool(session["id"]), "session", label, timed=False)


def bindings(doc: Document) -> dict[str, str]:
    return {a["clientId"]: a["namespace"] for a in doc["serviceAccounts"] if a.get("namespace")}


def problems(doc: Document) -> Problems:
    orgs = {o["id"] for o in doc["organizations"]}
    found: Problems = []
    found += unique(
        ((f"$.organizations[{i}]", o["id"]) for i, o in enumerate(doc["organizations"])),
        "organization",
    )
    found += unique(
        ((f"$.serviceAccounts[{i}]", a["clientId"]) for i, a in enumerate(doc["serviceAccounts"])),
        "clientId",
    )
    found += resolves(
        (
            (f"$.serviceAccounts[{i}].organization", a["organization"])
            for i, a in enumerate(doc["serviceAccounts"])
        ),
        orgs,
        "organization",
    )
    found += resolves(
        (
            (f"$.catalogs[{i}].organization", c["organization"])
            for i, c in enumerate(doc["catalogs"])
        ),
        orgs,
        "organization",
    )
    found += unique(
        ((f"$.catalogs[{i}]", c["id"]) for i, c in enumerate(doc["catalogs"])), "catalog"
    )
    for c, catalog in enumerate(doc["catalogs"]):
        products = {p["id"] for p in catalog["products"]}
        found += resolves(
            (
                (f"$.catalogs[{c}].offers[{o}].product", offer["product"])
                for o, offer in enumerate(catalog["offers"])
            ),
            products,
            "product",
        )
    sessions = []
    seats = []
    for path, _, _, ticket in _tickets(doc):
        for s, session in enumerate(ticket.get("sessions", [])):
            sessions.append((f"{path}.sessions[{s}]", session["id"]))
            if len(session.get("seats", [])) > session["capacity"]:
                found.append((f"{path}.sessions[{s}]", "more named seats than capacity"))
            if session.get("endsAt") and _instant(session["endsAt"]) <= _instant(
                session["startsAt"]
            ):
                found.append((f"{path}.sessions[{s}].endsAt", "endsAt must be after startsAt"))
            seats += unique(
                (
                    (f"{path}.sessions[{s}].seats[{i}]", seat["seatNumber"])
                    for i, seat in enumerate(session.get("seats", []))
                ),
                "seatNumber",
            )
    return found + unique(sessions, "session") + seats + catalog_refs.problems(doc)
