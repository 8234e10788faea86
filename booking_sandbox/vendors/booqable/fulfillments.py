"""`POST /order_fulfillments` (reference §4.4): book, specify, start and stop items.

The actions are executed atomically ("succeed as a whole, or fail as a whole"): every action
is read and checked first, then the request is one engine call and its records, so a
refused request changes nothing. The answer is a transient `order_fulfillments` resource,
200, whose `changed_lines`, `changed_plannings` and `changed_stock_item_plannings` (DOCS-HEAD,
written only when included) are what the request created or changed
(fulfillment_changes.py).

Choices where the docs are silent (docs/vendors/booqable.md):
- A refused action is DOCS-2024's 422 `fulfillment_request_invalid` with every problem in
  `meta.messages` (the docs show that shape for an already booked stock item); shortages and
  stock items held elsewhere are the transitions' 422 in the request's era
  (shortage_eras.py), a warning confirmable with `confirm_shortage`.
- `mode` defaults to `infer_planning`; a non-null `planning_id` with another mode is refused;
  `book_bundle`'s `quantity` defaults to 1. Unknown members of an action are refused.
- `start_*`/`stop_*` are in `fulfillment_moves.py`, `specify_stock_items` in
  `stock_item_specs.py`. `/api/boomerang` also reads the 2022-10 names `stop_bulk` and
  `stop_trackable` (`stop_product`, `stop_stock_items` since). A request books, specifies,
  starts or stops: mixing these is refused (the docs: "not all (types of) actions can be
  combined").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.booqable import (
    booking,
    fulfillment_changes,
    fulfillment_moves,
    shortage_eras,
    stock_item_specs,
)
from booking_sandbox.vendors.booqable.eras import Era
from booking_sandbox.vendors.booqable.errors import BooqableError, fulfillment_invalid
from booking_sandbox.vendors.booqable.http import Call, transient_id
from booking_sandbox.vendors.booqable.jsonapi import REGISTRY, Record, check_includes, document
from booking_sandbox.vendors.booqable.order_bookings import Reader, find_order, reopen
from booking_sandbox.vendors.booqable.records import Order
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
# The 2022-10 docs' names (renamed within days), still read on /api/boomerang.
RENAMED_2022 = {"stop_bulk": "stop_product", "stop_trackable": "stop_stock_items"}
# What each action does: a request does one of these (and says which in its refusal).
VERBS = {
    **dict.fromkeys(KEYS, "book"),
    "specify_stock_items": "specify",
    **{name: name.split("_")[0] for name in [*fulfillment_moves.KEYS, *RENAMED_2022]},
}


@dataclass
class Actions:
    """The request's actions, read: what to book, to specify, to start or stop."""

    reader: Reader
    mover: fulfillment_moves.Mover
    specifier: stock_item_specs.Specifier
    era: Era
    wants: list[booking.Want] = field(default_factory=list)


def _read(actions: Actions, index: int, action: Any) -> None:
    want = _action_want(actions, index, action)
    if want is not None:
        actions.wants.append(want)


def _action_want(actions: Actions, index: int, action: Any) -> booking.Want | None:
    reader = actions.reader
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
    if not actions.era.current:
        name = RENAMED_2022.get(name, name)
    keys = KEYS.get(name) or fulfillment_moves.KEYS.get(name)
    if name == "specify_stock_items":
        keys = stock_item_specs.KEYS
    if keys is None:
        reader.problem(f"{path}.action", f"{name!r} is not a known action", "inclusion")
        return None
    for key in action:
        if key not in keys:
            reader.problem(f"{path}.{key}", f"is not a member of a {name} action")
    if name in fulfillment_moves.KEYS:
        actions.mover.read(path, name, action)
        return None
    if name == "specify_stock_items":
        actions.specifier.read(path, action)
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
    sent = attributes.get("actions")
    if not sent:
        raise fulfillment_invalid(["actions can't be blank"])
    reader = Reader(call.store, order)
    actions = Actions(
        reader,
        fulfillment_moves.Mover(reader),
        stock_item_specs.Specifier(reader),
        call.query.era,
    )
    for index, action in enumerate(sent):
        _read(actions, index, action)
    actions.specifier.check()
    doing = {VERBS.get(str(a.get("action"))) for a in sent if isinstance(a, dict)}
    verbs = [v for v in ("book", "specify", "start", "stop") if v in doing]
    if len(verbs) > 1:
        reader.problem(
            "", "actions cannot combine booking, specifying, starting and stopping items"
        )
    if order["status"] in booking.NOT_BOOKABLE:
        verb = verbs[0] if len(verbs) == 1 else "book"
        reader.problem("", f"cannot {verb} items on an order that is {order['status']}")
    if reader.problems:
        raise fulfillment_invalid([p.message("actions") for p in reader.problems])
    before = fulfillment_changes.snapshot(call.store, order)
    try:
        _apply(call, order, actions, confirm=bool(attributes.get("confirm_shortage")))
    except BooqableError as exc:
        raise shortage_eras.in_era(exc, call.query.era, call.store, order) from None
    record = {
        "id": transient_id(call),
        "order_id": order["id"],
        **fulfillment_changes.since(call.store, order, before, call.now),
    }
    return respond(document(call.store, resource, record, call.query))


def _apply(call: Call, order: Order, actions: Actions, *, confirm: bool) -> None:
    if actions.mover.moves:
        actions.mover.apply(confirm_shortage=confirm, now=call.now)
    elif actions.specifier.specs:
        actions.specifier.apply(call.now)
    else:
        booking.book(call.store, order, actions.wants, confirm_shortage=confirm, now=call.now)
        reopen(call.store, order, call.now)
