"""`POST /order_fulfillments` (reference §4.4): book products, stock items and bundles.

The actions are executed atomically: every action is read and checked first, then all the
`book_*` actions are one `booking.book` call (one engine check and allocation), so they
succeed or fail as a whole. The answer is a transient `order_fulfillments` resource, 200.

Choices where the docs are silent (docs/vendors/booqable.md):
- A refused action is DOCS-2024's 422 `fulfillment_request_invalid` with every problem in
  `meta.messages` (the docs show that shape for an already booked stock item); shortages are
  the booking's `items_not_available`, confirmable with `confirm_shortage` as in bookings.
- `mode` defaults to `infer_planning`; a non-null `planning_id` with another mode is refused;
  `book_bundle`'s `quantity` defaults to 1. Unknown members of an action are refused.
- `start_*`/`stop_*` are in `fulfillment_moves.py`. A request books, starts or stops: mixing
  these is refused (the docs: "not all (types of) actions can be combined").
- `specify_stock_items` is not emulated: it answers `fulfillment_request_invalid` ("… is
  not supported by the sandbox").
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.booqable import booking, fulfillment_moves
from booking_sandbox.vendors.booqable.errors import fulfillment_invalid
from booking_sandbox.vendors.booqable.http import Call, transient_id
from booking_sandbox.vendors.booqable.jsonapi import REGISTRY, Record, check_includes, document
from booking_sandbox.vendors.booqable.order_bookings import Reader, find_order, reopen
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.wire import respond

WRITABLE = {"order_id": "uuid?", "actions": "array?", "confirm_shortage": "boolean?"}
MODES = ("create_new", "update_existing", "infer_planning")
KEYS = {
    "book_product": frozenset({"action", "mode", "planning_id", "product_id", "quantity"}),
    "book_stock_items": frozenset(
        {"action", "mode", "planning_id", "product_id", "stock_item_ids"}
    ),
    "book_bundle": frozenset({"action", "bundle_id", "quantity", "product_variations"}),
}
# Documented (DOCS-HEAD) but not emulated: refused by name rather than as an unknown action.
UNSUPPORTED = frozenset({"specify_stock_items"})


def _action_want(
    reader: Reader, mover: fulfillment_moves.Mover, index: int, action: Any
) -> booking.Want | None:
    path = f"[{index}]"
    if not isinstance(action, dict):
        reader.problem(path, "must be an object")
        return None
    name = action.get("action")
    if name is None:
        reader.problem(f"{path}.action", "can't be blank", "blank")
        return None
    if not isinstance(name, str):  # `{}` or `[]` names no action (and cannot be looked up)
        reader.problem(f"{path}.action", "must be a string")
        return None
    if name in UNSUPPORTED:
        reader.problem(f"{path}.action", f"{name} is not supported by the sandbox")
        return None
    keys = KEYS.get(name) or fulfillment_moves.KEYS.get(name)
    if keys is None:
        reader.problem(f"{path}.action", f"{name!r} is not a known action", "inclusion")
        return None
    for key in action:
        if key not in keys:
            reader.problem(f"{path}.{key}", f"is not a member of a {name} action")
    if name in fulfillment_moves.KEYS:
        mover.read(path, name, action)
        return None
    if name == "book_bundle":
        return _book_bundle(reader, path, action)
    product = reader.record("products", f"{path}.product_id", action.get("product_id"), "product")
    merge, planning_id = _mode(reader, path, action, product)
    if name == "book_stock_items":
        ids = None
        if product is not None:
            ids = reader.stock_items(
                f"{path}.stock_item_ids", product, action.get("stock_item_ids")
            )
            if ids == ():
                reader.problem(f"{path}.stock_item_ids", "can't be blank", "blank")
                ids = None
        quantity = len(ids) if ids else None
    else:
        ids = ()
        quantity = reader.quantity(f"{path}.quantity", action.get("quantity"), None)
    if merge is None:
        return None
    return reader.product_want(path, product, quantity, ids, merge=merge, planning_id=planning_id)


def _mode(
    reader: Reader, path: str, action: Record, product: Record | None
) -> tuple[bool | None, str | None]:
    """(merge into an existing planning?, the planning named by `update_existing`)."""
    mode = action.get("mode")
    if mode is None:  # only a missing mode defaults: `""` or `{}` is a wrong one
        mode = "infer_planning"
    planning_id = action.get("planning_id")
    if mode not in MODES:
        reader.problem(f"{path}.mode", f"must be one of {', '.join(MODES)}", "inclusion")
        return None, None
    if mode != "update_existing":
        if planning_id is not None:
            reader.problem(f"{path}.planning_id", "is only used with mode update_existing")
            return None, None
        return mode == "infer_planning", None
    if product is None:
        return None, None
    named = reader.planning(f"{path}.planning_id", planning_id, product)
    return (True, named) if named else (None, None)


def _book_bundle(reader: Reader, path: str, action: Record) -> booking.Want | None:
    bundle = reader.record("bundles", f"{path}.bundle_id", action.get("bundle_id"), "bundle")
    quantity = reader.quantity(f"{path}.quantity", action.get("quantity"), 1)
    variations = action.get("product_variations", [])
    if not isinstance(variations, list):
        reader.problem(f"{path}.product_variations", "must be an array")
        return None
    chosen = []
    for i, variation in enumerate(variations):
        where = f"{path}.product_variations[{i}]"
        if not isinstance(variation, dict) or set(variation) - {"bundle_item_id", "product_id"}:
            reader.problem(where, "must be an object with bundle_item_id and product_id")
            continue
        chosen.append((where, variation.get("bundle_item_id"), variation.get("product_id")))
    return reader.bundle_want(path, bundle, quantity, chosen)


async def create(call: Call) -> Response:
    resource = REGISTRY["order_fulfillments"]
    check_includes(resource, call.query.include)  # a bad include must not book anything
    attributes = attributes_of(call, "order_fulfillments", WRITABLE)
    order = find_order(call.store, attributes.get("order_id"))
    actions = attributes.get("actions")
    if not actions:
        raise fulfillment_invalid(["actions can't be blank"])
    reader = Reader(call.store, order)
    mover = fulfillment_moves.Mover(reader)
    wants = [_action_want(reader, mover, i, action) for i, action in enumerate(actions)]
    kinds = {str(a.get("action")).split("_")[0] for a in actions if isinstance(a, dict)}
    if len(kinds & {"book", "start", "stop"}) > 1:
        reader.problem("", "actions cannot combine booking, starting and stopping items")
    if order["status"] in booking.NOT_BOOKABLE:
        reader.problem("", f"cannot book items on an order that is {order['status']}")
    if reader.problems:
        raise fulfillment_invalid([p.message("actions") for p in reader.problems])
    confirm = bool(attributes.get("confirm_shortage"))
    if mover.moves:
        mover.apply(confirm_shortage=confirm, now=call.now)
    else:
        booking.book(
            call.store,
            order,
            [w for w in wants if w is not None],
            confirm_shortage=confirm,
            now=call.now,
        )
        reopen(call.store, order, call.now)
    record = {"id": transient_id(call), "order_id": order["id"]}
    return respond(document(call.store, resource, record, call.query))
