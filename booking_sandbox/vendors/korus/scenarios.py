"""Korus Ticket scenarios: a sold-out session, a reservation about to expire, and the
vendor-side events cancellation.py applies (an order cancelled, a reservation released).

Their orders carry the external reference `sandbox-scenario:korus-sold-out`.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from booking_sandbox.core.scenario import (
    REFERENCE,
    Context,
    Params,
    Record,
    Scenario,
    stopped,
    unavailable,
)
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.korus import cancellation
from booking_sandbox.vendors.korus import scenario_steps as api
from booking_sandbox.vendors.korus.pools import session_pool, ticket_pool
from booking_sandbox.vendors.korus.scenario_steps import CUSTOMER, SEED_OFFER, SEED_SESSION, VENDOR


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
    seconds_left = params.integer("seconds_left", min(60, hold), 1, hold)
    if offer is not None:
        api.bookable(ctx, params, offer, session)
    params.check()
    assert offer is not None  # an unknown offer is a recorded problem
    clock = ctx.space.clock
    _start(params, clock.now(), hold - seconds_left)  # out of datetime's range: before any request
    client, headers = await api.login(ctx, doc, offer)
    _observe_expiry(ctx, offer)
    now = clock.now()
    start = _start(params, now, hold - seconds_left)
    # Holds are read from the clock, so moving it back and forth changes no other record, once
    # the engine has seen those that expired by now as expired (else they would hold stock
    # again in the past). The clock keeps its mode (frozen or running).
    back = now - start
    clock.set(start)
    try:
        chosen = session["id"] if session else None
        reservation = await api.reserve(ctx, headers, offer, quantity, chosen)
    finally:
        clock.set(clock.now() + back)
    expires = parse_instant(reservation["expiresAt"])
    # One offer ticket per place (unit by unit): each session once.
    sessions = list(
        dict.fromkeys(
            t["session"] for i in reservation["items"] for t in i["offerTickets"] if "session" in t
        )
    )
    return {
        "reservation": reservation["@id"],
        "offer": offer.iri,
        "sessions": sessions,
        "quantity": quantity,
        "account": client,
        "createdAt": reservation["createdAt"],
        "expiresAt": reservation["expiresAt"],
        "seconds_left": _seconds(expires - clock.now()),
    }


def _start(params: Params, now: datetime, made_ago: int) -> datetime:
    """When to make the reservation: `made_ago` seconds before the next whole second, since
    createdAt and expiresAt are whole seconds: so createdAt is honestly in the past and
    expiresAt at least `hold - made_ago` seconds ahead."""
    whole = now.replace(microsecond=0)
    ahead = timedelta(seconds=1 if whole < now else 0)
    return params.shift(whole, ahead - timedelta(seconds=made_ago), "seconds_left", clock=True)


def _observe_expiry(ctx: Context, found: api.Found) -> None:
    """Let the engine see, at the current clock, the holds on the offer's pools that expired."""
    inventory = ctx.space.inventory
    known = {pool.id for pool in inventory.pools()}
    for ticket in found.offer["tickets"]:
        pools = [session_pool(s["id"]) for s in ticket.get("sessions", [])]
        for pool in pools or [ticket_pool(found.offer["id"], ticket["id"])]:
            if pool in known:
                inventory.availability(pool)  # a read sweeps the pool's expired holds


def _seconds(left: timedelta) -> int | float:
    """Seconds to expiresAt: whole on a frozen clock, to the millisecond on a running one."""
    seconds = max(0.0, round(left.total_seconds(), 3))
    return int(seconds) if seconds.is_integer() else seconds


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
            "(default 60, or the hold when it is shorter)",
        },
        expiring_reservation,
    ),
    Scenario(
        "korus-order-cancelled",
        VENDOR,
        "The ticketing sub-system cancels an order (Korus has no cancel operation): it reads "
        "`status: cancelled` with `cancelledAt` the namespace's clock, its tickets refuse "
        "beneficiary changes (422), and their places are on sale again.",
        {"order": "required: the order's id or IRI (any organization's in the namespace)"},
        cancellation.order_cancelled,
    ),
    Scenario(
        "korus-reservation-released",
        VENDOR,
        "The ticketing sub-system releases a live, not ordered reservation before its "
        "expiresAt (Korus has no release operation): it reads `status: released`, "
        "`releasable: false`, ordering it lands in failedOrders ('Reservation has been "
        "released'), and its places are on sale again.",
        {"reservation": "required: the reservation's id or IRI (any organization's)"},
        cancellation.reservation_released,
    ),
)
