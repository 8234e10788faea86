"""`DELETE /stock_item_plannings/{id}` (reference §4.10): unname a stock item on an order.

The planning keeps its quantity; only the named stock item is given back: the engine
re-takes the planning's stock without that unit (one all-or-nothing call before anything
is removed), so the item is free for other orders while the order still holds a unit.

Choices where the docs are silent (docs/vendors/booqable.md):
- The record is removed (404 afterwards); the answer is the record as it stood, with
  `archived: false`, as the docs' own example shows (§9.15 "stale body"), as plain JSON
  like every DELETE answer.
- A stock item that went out (`started`) cannot be unnamed: 422 on `started`.
"""

from __future__ import annotations

from starlette.responses import Response

from booking_sandbox.vendors.booqable import order_records, rules, stock, transitions
from booking_sandbox.vendors.booqable.errors import not_found, validation
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import check_includes, document
from booking_sandbox.vendors.booqable.order_resources import STOCK_ITEM_PLANNINGS
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, respond

KIND = "stock_item_plannings"


async def archive(call: Call) -> Response:
    store = call.store
    record = store.find(KIND, call.path_id)
    if record is None:
        raise not_found()
    check_includes(STOCK_ITEM_PLANNINGS, call.query.include)
    if record["started"]:
        raise validation(("started", "is true: the stock item went out", "invalid"))
    order = store.find("orders", record["order_id"])
    planning = store.find("plannings", record["planning_id"])
    assert order is not None  # state_check: its references resolve
    assert planning is not None
    body = document(store, STOCK_ITEM_PLANNINGS, record, call.query)  # as it stood
    taken = None
    if order["status"] in rules.TAKES_STOCK:
        needs = [
            stock.Need(
                need.product,
                need.quantity,
                tuple(u for u in need.units if u != record["stock_item_id"]),
                need.planning_id,
            )
            for need in stock.needs_of(store, [planning])
        ]
        held = stock.held(store, [planning])
        # The same count, one unit fewer named: a warning cannot be new; confirm it.
        ids, report = stock.take(store, order, needs, confirm_shortage=True, replacing=held)
        taken = (needs, ids, report)
    store.remove(KIND, record["id"])
    if taken is not None:
        transitions.assign(store, [planning], *taken)
    order_records.refresh(store, order, call.now)
    return respond(body, 200, PLAIN_JSON)
