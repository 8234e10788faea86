"""Generic list and show endpoints: any registered resource, filtered, sorted and paged."""

from __future__ import annotations

from starlette.responses import Response

from booking_sandbox.core.cached_route import cached
from booking_sandbox.vendors.booqable import listing
from booking_sandbox.vendors.booqable.errors import not_found
from booking_sandbox.vendors.booqable.http import Call, Handler
from booking_sandbox.vendors.booqable.jsonapi import REGISTRY, Record, document
from booking_sandbox.vendors.booqable.records import Order
from booking_sandbox.vendors.booqable.wire import respond

# Lists and records served from ready bytes (core/cached_route.py). Their time-dependence:
# none; an order's document is its records (lines, plannings, taxes kept by each write's
# refresh), read without the clock or the engine, so only writes (version), imports and
# resets (serial) change it. The answer depends on the path (era, `.json`), method (links),
# query and namespace alone: one account per namespace, whatever the credential.
CACHED = frozenset({"orders"})


def listed(kind: str) -> Handler:
    async def handler(call: Call) -> Response:
        resource = REGISTRY[kind]
        records = listing.select(call.store, resource, call.store.all(kind), call.query)
        meta = listing.stats(resource, records, call.query)
        page = listing.page(records, call.query)
        return respond(document(call.store, resource, page, call.query, meta))

    return cached(handler) if kind in CACHED else handler


def shown(kind: str) -> Handler:
    async def handler(call: Call) -> Response:
        return respond(document(call.store, REGISTRY[kind], find(call, kind), call.query))

    return cached(handler) if kind in CACHED else handler


def find(call: Call, kind: str, ident: str | None = None) -> Record:
    record = call.store.find(kind, ident if ident is not None else call.path_id)
    if record is None:
        raise not_found()
    return record


def path_order(call: Call) -> Order:
    """`find(call, "orders")`, typed: the order the path names, or 404."""
    order = call.store.find("orders", call.path_id)
    if order is None:
        raise not_found()
    return order
