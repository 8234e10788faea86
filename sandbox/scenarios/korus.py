"""Korus Ticket scenarios: a sold-out session, a reservation about to expire.

Their orders carry the external reference `sandbox-scenario:korus-sold-out`.
"""

from __future__ import annotations

import json
from datetime import timedelta

from sandbox.scenarios import korus_api as api
from sandbox.scenarios.base import (
    REFERENCE,
    Context,
    Params,
    Record,
    Scenario,
    stopped,
    unavailable,
)
from sandbox.scenarios.korus_api import CUSTOMER, SEED_OFFER, SEED_SESSION, VENDOR
from sandbox.timefmt import parse_instant


async def sold_out(ctx: Context, params: Params) -> Record:
    doc = ctx.section("Korus", VENDOR)
    offer = api.read_offer(doc, params)
    picked = api.read_session(doc, params, offer)
    if params.string("session") is None:
        picked = api.seed_session(doc)
        if offer is not None and offer.offer["id"] != picked[0].offer["id"]:
            params.problem("offer", "that offer does not hold the session")
    params.check()
    assert picked is not None  # an unknown session is a recorded problem
    found, ticket, session = picked
    api.bookable(ctx, params, found, session)
    params.check()
    client, headers = await api.login(ctx, doc, found)
    session_iri = found.session_iri(ticket, session)
    left = await api.available(ctx, headers, session_iri)
    orders: list[Record] = []
    seats: list[str] = []
    if left > 0:  # already sold out: nothing to take, the scenario holds as it is
        reservation = await api.reserve(ctx, headers, found, left, session["id"])
        body = {
            "reservations": [reservation["@id"]],
            "customer": CUSTOMER,
            "externalReference": f"{REFERENCE}:korus-sold-out",
        }
        path = "/v1/booking/orders/_bulk"
        answer = await ctx.caller.ok("order", "POST", path, json_body=body, headers=headers)
        if answer.get("failedOrders") or not answer["orders"]:
            failure = (answer.get("failedOrders") or [{"message": "no order made"}])[0]
            message = f"the order failed: {failure['message']}"
            raise stopped(message, f"POST {path}", json.dumps(answer.get("failedOrders")))
        for order in answer["orders"]:
            orders.append(
                {"order": order["@id"], "reference": order["reference"], "quantity": left}
            )
            seats += _seat_numbers(order)
    return {
        "session": session_iri,
        "offer": found.iri,
        "account": client,
        "organization": found.catalog["organization"],
        "orders": orders,
        "seats_taken": left,
        "seat_numbers": seats,
        "available": await api.available(ctx, headers, session_iri),
    }


def _seat_numbers(order: Record) -> list[str]:
    """The named seats the order's tickets got (only session tickets have seating)."""
    return [
        str(ticket["seating"]["seatNumber"])
        for item in order["items"]
        for ticket in item["tickets"]
        if isinstance(ticket.get("seating"), dict)
    ]


async def expiring_reservation(ctx: Context, params: Params) -> Record:
    doc = ctx.section("Korus", VENDOR)
    offer = api.read_offer(doc, params)
    picked = api.read_session(doc, params, offer)
    session = picked[2] if picked else None
    if picked is not None:
        offer = picked[0]
    elif params.string("offer") is None and params.string("session") is None:
        offer = next((f for f in api.offers(doc) if f.offer["id"] == SEED_OFFER), None)
        if offer is None:
            raise unavailable(f"the Korus fixtures have no offer {SEED_OFFER} (seed 001's)")
        hit = offer.session(SEED_SESSION)
        session = hit[1] if hit else None
    hold = int(offer.catalog.get("reservationHoldSeconds", 900)) if offer else 900
    quantity = params.integer("quantity", 1, 1, 1000)
    seconds_left = params.integer("seconds_left", 60, 1, hold)
    if offer is not None:
        api.bookable(ctx, params, offer, session)
    params.check()
    assert offer is not None  # an unknown offer is a recorded problem
    client, headers = await api.login(ctx, doc, offer)
    # Made `hold - seconds_left` seconds ago: createdAt is honestly in the past and expiresAt
    # is `seconds_left` ahead. Expiry is read from the clock, so moving it back and forth
    # changes no other record; the clock keeps its mode (frozen or running).
    back = timedelta(seconds=hold - seconds_left)
    clock = ctx.space.clock
    clock.set(clock.now() - back)
    try:
        chosen = session["id"] if session else None
        reservation = await api.reserve(ctx, headers, offer, quantity, chosen)
    finally:
        clock.set(clock.now() + back)
    expires = parse_instant(reservation["expiresAt"])
    sessions = [
        t["session"] for i in reservation["items"] for t in i["offerTickets"] if "session" in t
    ]
    return {
        "reservation": reservation["@id"],
        "offer": offer.iri,
        "sessions": sessions,
        "quantity": quantity,
        "account": client,
        "createdAt": reservation["createdAt"],
        "expiresAt": reservation["expiresAt"],
        "seconds_left": max(0, int((expires - clock.now()).total_seconds())),
    }


SCENARIOS = (
    Scenario(
        "korus-sold-out",
        VENDOR,
        "Reserves and orders every remaining seat of a session through the Korus API, so its "
        "availableQuantity is 0 and a further reservation lands in failedReservations "
        "('Offer is sold out').",
        {
            "session": f"session id or IRI (default {SEED_SESSION}, seed 001's show)",
            "offer": "offer id or IRI holding that session (default: the session's offer)",
        },
        sold_out,
    ),
    Scenario(
        "korus-expiring-reservation",
        VENDOR,
        "Creates a Korus reservation that expires `seconds_left` seconds from the namespace's "
        "clock (made in the past, by moving the clock back and forward again): ordering it "
        "succeeds now and fails with seed 001's 422 'expired' once the clock passes expiresAt.",
        {
            "offer": f"offer id or IRI (default {SEED_OFFER}, seed 001's; else the session's)",
            "session": "session id or IRI (default: seed 001's session for seed 001's offer, "
            "else the next open session of each ticket that has sessions)",
            "quantity": "how many of the offer to hold, 1 to 1000 (default 1)",
            "seconds_left": "seconds until expiresAt, 1 to the catalog's reservationHoldSeconds "
            "(default 60)",
        },
        expiring_reservation,
    ),
)
