"""Pont Central scenario: a slot with exactly one place left.

It books through the Pont Central API as the active partner that owns the product, so the
booking shows in that partner's list (resellerReference `sandbox-scenario:...`). The places
left are the vendor's own `stockAvailable` for the slot: the least free capacity among the
product's active resources over the times they are occupied (offsets included), so bookings of
other products sharing a resource count too.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from booking_sandbox.core.scenario import (
    REFERENCE,
    Context,
    Params,
    Record,
    Scenario,
    customer,
    stopped,
    unavailable,
)
from booking_sandbox.vendors.pontcentral import schedule
from booking_sandbox.vendors.pontcentral.catalog import catalog_of

VENDOR = "pontcentral"
API = "/api/v1"
# Seed 002's product and slot (local to the product's time zone, as the vendor writes it).
SEED_PRODUCT = "TOUR-EIFFEL-SKIP-LINE"
SEED_SLOT = "2026-03-25T10:00:00"
CUSTOMER = customer("firstName", "lastName")


def _local(product: Record, slot: schedule.Slot) -> str:
    """The slot as `reservationDateTime`: a local date-time, or a date for all-day products."""
    if product["allDay"]:
        return slot.day.isoformat()
    return slot.start.strftime("%Y-%m-%dT%H:%M:%S")


def _read_slot(ctx: Context, params: Params, product: Record) -> schedule.Slot | None:
    """The `slot` parameter, else seed 002's when it is the seed's product and still ahead;
    None (without a problem) means "the next bookable slot"."""
    given = params.string("slot")
    zone = ZoneInfo(product["timezone"])
    now = ctx.space.clock.now()
    if given is None:
        if product["code"] != SEED_PRODUCT:
            return None
        seed = schedule.slot_of(product, *schedule.parse_local(SEED_SLOT, zone))
        return seed if seed is not None and schedule.bookable(product, seed, now) else None
    try:
        slot = schedule.slot_of(product, *schedule.parse_local(given, zone))
    except ValueError as exc:
        params.problem("slot", str(exc))
        return None
    if slot is None:
        params.problem("slot", f"{product['code']} has no slot at {given} ({product['timezone']})")
    elif not schedule.bookable(product, slot, now):
        params.problem("slot", f"that slot is past on the namespace clock ({now.isoformat()})")
    return slot


async def _stock(ctx: Context, headers: dict[str, str], product: Record, when: str) -> int | None:
    """The vendor's `stockAvailable` at `when`, None when the slot is not offered."""
    body = {"productCode": product["code"], "startDateTime": when, "endDateTime": when}
    answer = await ctx.caller.ok(
        "availability", "POST", f"{API}/availabilities", json_body=body, headers=headers
    )
    for day in answer["availabilities"]:
        if product["allDay"]:
            return int(day["stockAvailable"])
        for entry in day["times"]:
            if f"{day['date']}T{entry['time']}:00" == when:
                return int(entry["stockAvailable"])
    return None


async def _next_slot(ctx: Context, headers: dict[str, str], product: Record) -> str:
    """The first slot of the coming week with a place left (the vendor's default range)."""
    body = {"productCode": product["code"]}
    answer = await ctx.caller.ok(
        "availability", "POST", f"{API}/availabilities", json_body=body, headers=headers
    )
    for day in answer["availabilities"]:
        if product["allDay"] and day["stockAvailable"] > 0:
            return str(day["date"])
        for entry in day["times"]:
            if entry["stockAvailable"] > 0:
                return f"{day['date']}T{entry['time']}:00"
    raise unavailable(f"{product['code']} has no slot with a place left in the coming week")


async def last_place(ctx: Context, params: Params) -> Record:
    doc = ctx.section("Pont Central", VENDOR)
    code = params.string("product") or SEED_PRODUCT
    product = next((p for p in doc["products"] if p["code"] == code), None)
    if product is None and params.string("product") is None:
        raise unavailable(f"the Pont Central fixtures have no product {SEED_PRODUCT} (seed 002's)")
    if product is None or not product["active"]:
        params.problem("product", f"no active product {code!r} in this namespace's catalog")
    slot = _read_slot(ctx, params, product) if product is not None else None
    params.check()
    assert product is not None  # an unknown product is a recorded problem
    if not catalog_of(ctx.space).active_links(product):
        raise unavailable(f"{code} has no active resource: Pont Central offers no slot of it")
    partner = next(
        (p for p in doc["partners"] if p["id"] == product["partnerId"] and p["active"]), None
    )
    if partner is None:
        raise unavailable(f"no active Pont Central partner owns {code}")
    credentials = {"client_id": partner["clientId"], "client_secret": partner["clientSecret"]}
    token = await ctx.caller.ok("token", "POST", f"{API}/auth/token", json_body=credentials)
    headers = {"Authorization": f"Bearer {token['data']['access_token']}"}
    when = _local(product, slot) if slot is not None else await _next_slot(ctx, headers, product)
    left = await _stock(ctx, headers, product, when)
    if left is None:
        raise stopped(f"Pont Central does not offer {code} at {when}")
    if left == 0:
        raise stopped(f"{code} at {when} has no place left: one cannot be left free")
    bookings = []
    if left > 1:
        price = (product["prices"] or [{"label": "adult", "price": 0}])[0]
        line = {"label": price["label"], "quantity": left - 1, "price": price["price"]}
        body = {
            "partnerId": partner["id"],
            "items": [{"productCode": code, "reservationDateTime": when, "quantities": [line]}],
            "customer": CUSTOMER,
            "resellerReference": f"{REFERENCE}:pontcentral-last-place",
        }
        answer = await ctx.caller.ok(
            "book", "POST", f"{API}/bookings/create", json_body=body, headers=headers
        )
        bookings.append(answer["booking"]["bookingNumber"])
    return {
        "product": code,
        "slot": when,
        "timezone": product["timezone"],
        "partner": partner["id"],
        "bookings": bookings,
        "booked": max(0, left - 1),
        "left": await _stock(ctx, headers, product, when),
    }


SCENARIOS = (
    Scenario(
        "pontcentral-last-place",
        VENDOR,
        "Books a Pont Central slot through the API until exactly one place is left "
        "(stockAvailable 1, across every resource the product occupies): one more booking "
        "of one place succeeds, the next one gets 409 CONFLICT.",
        {
            "product": f"product code (default {SEED_PRODUCT}, seed 002's)",
            "slot": "local date-time of the slot, e.g. 2026-03-25T10:00:00, or a date for "
            f"all-day products (default {SEED_SLOT} for seed 002's product while it is ahead, "
            "else the next slot with a place left)",
        },
        last_place,
    ),
)
