"""Booqable scenario: a product at its shortage limit over a period.

Through the Booqable API with the fixtures' first API key: a reserved order (tag
`sandbox-scenario`) books what the vendor's inventory level says is still plannable (stock
count plus the group's shortage limit, less what other orders hold), confirming the shortage
when it goes short. Another booking of one over an overlapping period is then blocking.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from booking_sandbox.core.scenario import (
    REFERENCE,
    Context,
    Params,
    Record,
    Scenario,
    stopped,
    unavailable,
)
from booking_sandbox.timefmt import format_instant
from booking_sandbox.vendors.booqable.orders import quarter

VENDOR = "booqable"
API = "/api/boomerang"
MEDIA = "application/vnd.api+json"
POOLED = ("bulk", "trackable")  # tracking types whose products have a stock to fill
DAYS = 2


def _products(doc: Record) -> list[tuple[Record, Record]]:
    """(group, product) of every product, in fixture order."""
    return [(g, p) for g in doc["product_groups"] for p in g["products"]]


def _limit(group: Record) -> int:
    return int(group["shortage_limit"]) if group.get("allow_shortage") else 0


def _read_product(doc: Record, params: Params) -> tuple[Record, Record] | None:
    given = params.string("product")
    if given is None:
        for group, product in _products(doc):
            if group["tracking_type"] == "bulk" and _limit(group) > 0 and not group["archived"]:
                return group, product
        raise unavailable("the Booqable fixtures have no bulk product with a shortage limit")
    found = next(((g, p) for g, p in _products(doc) if p["id"] == given), None)
    if found is None:
        params.problem("product", f"no product {given!r} in this namespace's Booqable catalog")
    elif found[0]["tracking_type"] not in POOLED:
        params.problem("product", f"{found[0]['tracking_type']!r} products have no stock")
    return found


def _read_period(ctx: Context, params: Params) -> tuple[datetime, datetime]:
    starts = params.instant("starts_at")
    stops = params.instant("stops_at")
    if starts is None:
        now = ctx.space.clock.now()
        starts = params.shift(datetime.combine(now.date(), time(9), now.tzinfo), timedelta(days=1))
    # Orders round their period down to the quarter hour: the level is read on the same one.
    starts = quarter(starts)
    if stops is None:
        stops = params.shift(starts, timedelta(days=DAYS), "starts_at")
    stops = quarter(stops)
    if stops <= starts:
        params.problem("stops_at", "must be after starts_at (both rounded down to the quarter)")
    return starts, stops


async def _level(
    ctx: Context, headers: dict[str, str], product: Record, span: tuple[datetime, datetime]
) -> Record:
    query = urlencode(
        {
            "filter[item_id]": product["id"],
            "filter[from]": format_instant(span[0]),
            "filter[till]": format_instant(span[1]),
        }
    )
    answer = await ctx.caller.ok("level", "GET", f"{API}/inventory_levels?{query}", headers=headers)
    if not answer["data"]:
        raise stopped(f"Booqable reports no inventory level for product {product['id']}")
    level: Record = answer["data"][0]["attributes"]
    return level


async def shortage_limit(ctx: Context, params: Params) -> Record:
    doc = ctx.section("Booqable", VENDOR)
    picked = _read_product(doc, params)
    starts, stops = _read_period(ctx, params)
    params.check()
    assert picked is not None  # an unknown product is a recorded problem
    group, product = picked
    if not doc["api_keys"]:
        raise unavailable("the Booqable fixtures have no API key")
    headers = {"Authorization": f"Bearer {doc['api_keys'][0]['key']}"}
    # The stock is taken over the period widened by the product's lead and lag times.
    lead = timedelta(seconds=int(product.get("lead_time", group.get("lead_time")) or 0))
    lag = timedelta(seconds=int(product.get("lag_time", group.get("lag_time")) or 0))
    span = (
        params.shift(starts, -lead, "starts_at"),
        params.shift(stops, lag, "stops_at", "starts_at"),
    )
    level = await _level(ctx, headers, product, span)
    quantity = int(level["location_plannable"])
    order_id = None
    if quantity > 0:  # none plannable: the product is at (or past) its limit already
        attributes = {
            "starts_at": format_instant(starts),
            "stops_at": format_instant(stops),
            "status": "reserved",
            "tag_list": [REFERENCE],
        }
        order = await ctx.caller.ok(
            "order",
            "POST",
            f"{API}/orders",
            json_body={"data": {"type": "orders", "attributes": attributes}},
            headers=headers,
            media_type=MEDIA,
        )
        order_id = order["data"]["id"]
        booking = {
            "order_id": order_id,
            "items": [{"type": "products", "id": product["id"], "quantity": quantity}],
        }
        if quantity > int(level["location_available"]):
            booking["confirm_shortage"] = True  # within the limit: a warning, confirmed
        await ctx.caller.ok(
            "book",
            "POST",
            f"{API}/order_bookings",
            json_body={"data": {"type": "order_bookings", "attributes": booking}},
            headers=headers,
            media_type=MEDIA,
        )
    after = await _level(ctx, headers, product, span)
    return {
        "order": order_id,
        "product": product["id"],
        "starts_at": format_instant(starts),
        "stops_at": format_instant(stops),
        "quantity": max(0, quantity),
        "stock_count": after["location_stock_count"],
        "shortage_limit": _limit(group),
        "planned": after["location_planned"],
        "plannable": after["location_plannable"],
    }


SCENARIOS = (
    Scenario(
        "booqable-shortage-limit",
        VENDOR,
        "Books a Booqable product onto a reserved order up to its stock count plus its "
        "shortage limit over a period (confirming the shortage): a further booking of one "
        "over an overlapping period is a blocking shortage (422).",
        {
            "product": "product id (default: the first bulk product whose group allows a "
            "shortage, the folding chair in the bundled fixtures)",
            "starts_at": "ISO 8601 start of the period (default tomorrow 09:00 UTC on the "
            "namespace clock)",
            "stops_at": f"ISO 8601 end of the period (default starts_at + {DAYS} days)",
        },
        shortage_limit,
    ),
)
