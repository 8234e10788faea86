"""Vendor-side events QA can trigger: an order cancelled by the ticketing sub-system, a
reservation released early. Scenarios `korus-order-cancelled` and `korus-reservation-released`.

No Korus doc version has a cancel or release operation (§3, §5.4, §6.4), so a client must not
come to depend on one: these act on the namespace's records from the control plane, never
through a vendor path. What they leave is what Korus's model shows after such an event: an
order `status: cancelled` with `cancelledAt` (its tickets then refuse beneficiary changes,
order_tickets.py), a reservation `status: released`, `releasable: false`. Both return their
capacity to the engine.

Refusals use the scenario envelope: a missing, malformed or unknown id is 422 `invalid_body`
on the parameter; a record in the wrong state (an order already cancelled; a reservation
ordered, released or expired) is 409 `scenario_unavailable`, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.core.scenario import Context, Params, Record, unavailable
from booking_sandbox.engine import Status
from booking_sandbox.timefmt import rfc3339
from booking_sandbox.vendors.korus import store
from booking_sandbox.vendors.korus.inputs import UUID, iri_id
from booking_sandbox.vendors.korus.records import Order, Reservation

VENDOR = "korus"
ORDERS = "/v1/booking/orders"
RESERVATIONS = "/v1/booking/reservations"


async def order_cancelled(ctx: Context, params: Params) -> Record:
    ctx.section("Korus", VENDOR)
    order: Order = _record(ctx, params, "order", ORDERS, store.orders(ctx.space))
    if order["status"] == "cancelled":
        raise unavailable(f"order {order['id']} is already cancelled ({order['cancelledAt']})")
    now = ctx.space.clock.now()
    cancel_order(ctx.space, order, now)
    return {
        "order": f"{ORDERS}/{order['id']}",
        "reference": order["reference"],
        "status": order["status"],
        "cancelledAt": order["cancelledAt"],
        "tickets": sum(len(item["tickets"]) for item in order["items"]),
    }


async def reservation_released(ctx: Context, params: Params) -> Record:
    ctx.section("Korus", VENDOR)
    records = store.reservations(ctx.space)
    reservation: Reservation = _record(ctx, params, "reservation", RESERVATIONS, records)
    now = ctx.space.clock.now()
    refused = _not_releasable(ctx.space, reservation, now)
    if refused is not None:
        raise unavailable(f"reservation {reservation['id']} {refused}")
    release_reservation(ctx.space, reservation)
    return {
        "reservation": f"{RESERVATIONS}/{reservation['id']}",
        "status": "released",
        "expiresAt": reservation["expiresAt"],
        "releasedAt": rfc3339(now),
    }


def cancel_order(space: Namespace, order: Order, now: datetime) -> None:
    """The sub-system cancelled the order: its tickets' capacity goes back on sale."""
    _release(space, store.allocation_ids(order))
    order["status"] = "cancelled"
    order["cancelledAt"] = rfc3339(now)


def release_reservation(space: Namespace, reservation: Reservation) -> None:
    _release(space, store.allocation_ids(reservation))
    reservation["cancelled"] = True


def _not_releasable(space: Namespace, reservation: Reservation, now: datetime) -> str | None:
    """Why the reservation holds nothing an early release could free, if so."""
    if reservation["order"] is not None:
        return (
            f"is ordered ({ORDERS}/{reservation['order']}): "
            "cancel the order with korus-order-cancelled"
        )
    if reservation["cancelled"]:
        return "is already released"
    inventory = space.inventory
    statuses = {
        inventory.allocation(a).effective_status(now) for a in store.allocation_ids(reservation)
    }
    if statuses & {Status.EXPIRED, Status.RELEASED}:
        return f"has expired ({reservation['expiresAt']}): its places are already free"
    return None


def _record(
    ctx: Context, params: Params, name: str, collection: str, records: Mapping[str, Any]
) -> Any:
    """The record `params[name]` names in `records`; the 422 when none (or no valid id)."""
    ident = _read_id(params, name, collection)
    found = records.get(ident) if ident else None
    if ident is not None and found is None:
        params.problem(name, f"no {name} {ident} in namespace {ctx.space.name!r}")
    params.check()
    assert found is not None  # an unknown id is a recorded problem
    return found


def _read_id(params: Params, name: str, collection: str) -> str | None:
    """A required id or IRI (a path or an absolute URL) of `collection`; None with a problem."""
    given = params.string(name)
    if given is None:
        if params.values.get(name) is None:  # else string() recorded why
            params.problem(name, f"required: the {name}'s id or IRI")
        return None
    given = given.lower()  # ids are lowercase UUIDs
    match = iri_id(given, rf"{collection}/(?P<id>{UUID})") or iri_id(given, rf"(?P<id>{UUID})")
    if match is None:
        params.problem(name, f"not the id or IRI of a Korus {name}: {given!r}")
        return None
    return match["id"]


def _release(space: Namespace, allocation_ids: Iterable[str]) -> None:
    """Release each distinct allocation once; one already released is left as it is."""
    inventory = space.inventory
    distinct = list(dict.fromkeys(allocation_ids))
    live = [a for a in distinct if inventory.allocation(a).status is not Status.RELEASED]
    inventory.release(live)
