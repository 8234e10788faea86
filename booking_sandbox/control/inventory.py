"""`GET /_sandbox/inventory`: every pool of the namespace with what is taken now and over a
window, for the dashboard and for scripts.

Statuses are read at the namespace clock's now (a hold past `held_until` is gone), from one pass
over the namespace's allocations grouped by pool. Filters work on the pools' descriptions, kept
per namespace (`pool_listing`), and documents are built for the requested page only: a catalog
of 100,000 sessions is filtered and counted, not rendered.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from starlette.requests import Request

from booking_sandbox.control.http import ControlJSON, namespace_of
from booking_sandbox.control.pool_listing import PoolListing, listing_of
from booking_sandbox.control.query import bad_query, query_of, vendor_of
from booking_sandbox.engine import Allocation, Interval, Pool
from booking_sandbox.engine.occupancy import (
    active_by_pool,
    by_creation,
    overlapping,
    taken,
    timeline,
)
from booking_sandbox.timefmt import format_instant, parse_instant
from booking_sandbox.vendors import vendors_of
from booking_sandbox.vendors.adapter import PoolInfo

PARAMETERS = ("vendor", "pool", "busy", "from", "to", "limit", "offset")
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
MAX_OFFSET = 1_000_000_000
DEFAULT_SPAN = timedelta(days=7)
MAX_SPAN = timedelta(days=366)
DIGITS = re.compile(r"[0-9]{1,10}")  # ASCII only: str.isdigit() takes "²", which int() refuses


@dataclass(frozen=True, slots=True)
class Query:
    vendor: str | None
    pool: str  # case-folded; "" matches every pool
    busy: bool | None
    window: Interval
    limit: int
    offset: int


def parse_query(query: Mapping[str, str], vendors: Sequence[str], now: datetime) -> Query:
    """The checked parameters; `from` defaults to `now`, `to` to 7 days after `from`."""
    vendor = vendor_of(query, vendors)
    busy = query.get("busy")
    if busy not in (None, "true", "false"):
        raise bad_query("busy", "must be true or false")
    start = _instant(query, "from", now)
    if "to" in query:
        end = _instant(query, "to", now)
    else:
        try:
            end = start + DEFAULT_SPAN
        except OverflowError:
            raise bad_query(
                "from", "the default window (7 days) would end after year 9999"
            ) from None
    if end <= start:
        raise bad_query("to", "must be after from (default: the namespace clock's now)")
    if end - start > MAX_SPAN:
        raise bad_query("to", f"the window is at most {MAX_SPAN.days} days")
    return Query(
        vendor=vendor,
        pool=query.get("pool", "").casefold(),
        busy=None if busy is None else busy == "true",
        window=Interval(start, end),
        limit=_count(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        offset=_count(query, "offset", 0, 0, MAX_OFFSET),
    )


def _instant(query: Mapping[str, str], name: str, default: datetime) -> datetime:
    if name not in query:
        return default
    try:
        return parse_instant(query[name])
    except ValueError:  # (its message quotes the value, upper-cased and unbounded)
        raise bad_query(
            name, "must be an ISO 8601 instant with an offset, such as 2025-01-29T07:55:53Z"
        ) from None


def _count(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    text = query.get(name)
    if text is None:
        return default
    if not DIGITS.fullmatch(text) or not low <= int(text) <= high:
        raise bad_query(name, f"must be an integer from {low} to {high}")
    return int(text)


def _shown(info: PoolInfo, active: list[Allocation], window: Interval) -> list[Allocation]:
    """The allocations a pool lists: timeless, all active ones; timed, those in the window."""
    return overlapping(active, window) if info.timed else active


def _busy(listing: PoolListing, groups: dict[str, list[Allocation]], window: Interval) -> set[int]:
    """Positions of the pools that list an allocation. Only pools with active allocations are
    visited, not the whole catalog."""
    found = set()
    for pool_id, active in groups.items():
        position = listing.position.get(pool_id)
        if position is not None and _shown(listing.infos[position], active, window):
            found.add(position)
    return found


def pool_document(
    vendor: str | None,
    info: PoolInfo,
    pool: Pool,
    active: list[Allocation],
    window: Interval,
    now: datetime,
) -> dict[str, Any]:
    current = taken(active, now if info.timed else None)
    free = max(0, pool.capacity - current.held - current.confirmed)
    return {
        "id": info.pool_id,
        "vendor": vendor,
        "kind": info.kind,
        "label": info.label,
        "timed": info.timed,
        "capacity": pool.capacity,
        "shortage_limit": pool.shortage_limit,
        "now": {"held": current.held, "confirmed": current.confirmed, "free": free},
        "timeline": [s.to_json() for s in timeline(active, window)] if info.timed else [],
        "allocations": [a.to_json(now) for a in by_creation(_shown(info, active, window))],
    }


async def inventory(request: Request) -> ControlJSON:
    space = namespace_of(request)
    vendors = vendors_of(request)
    now = space.inventory.now()
    given = query_of(request.query_params, PARAMETERS)
    query = parse_query(given, [v.name for v in vendors], now)
    listing = listing_of(vendors, space)
    groups = active_by_pool(space.inventory.allocations(), now)  # the one pass
    busy = _busy(listing, groups, query.window) if query.busy is not None else set()
    kept = listing.select(query.vendor, query.pool, query.busy, busy)
    pools = []
    for position in kept[query.offset : query.offset + query.limit]:
        info = listing.infos[position]
        pool = space.inventory.pool(info.pool_id)  # its limits now
        active = groups.get(info.pool_id, [])
        vendor = listing.vendor_at(position)
        pools.append(pool_document(vendor, info, pool, active, query.window, now))
    return ControlJSON(
        {
            "namespace": space.name,
            "now": format_instant(now),
            "window": {
                "from": format_instant(query.window.start),
                "to": format_instant(query.window.end),
            },
            "total": len(kept),
            "limit": query.limit,
            "offset": query.offset,
            "pools": pools,
        }
    )
