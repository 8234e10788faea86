"""Lines (reference §4.11; DOCS-HEAD `_lines.md`): create custom lines, update any line
(the booking guide's custom price: `PUT /api/4/lines/{id}` with `price_each_in_cents`),
archive (DELETE). Every change recomputes the order's totals (orders.settle).

- Created lines are custom `charge` or `section` lines: no item, no planning, no stock
  (DOCS-HEAD: "Lines created through this resource do not reserve inventory"); the owner is
  an order (`documents` are not emulated). Sections carry no money.
- A planning line's `quantity` moves its planning, and the engine with it (line_plannings).
  Its `price_each_in_cents` is kept over repricing, `original_price_each_in_cents` stays
  the computed price and `price_rule_values` becomes null (the docs' example). An integer
  `charge_length` prices the item for that length without price rules; `null` drops the
  line's own price and length and prices it from the order's period again (DOCS-HEAD).
- DELETE archives: the answer is the line with `archived: true` (the docs' example, as
  plain JSON like every DELETE answer); the line leaves the order (404 afterwards) and its
  planning is destroyed, its stock given back. A line with items picked up is refused.
- Lines of a canceled or archived order do not change (422 on `owner_id`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.booqable import line_plannings, order_records, orders
from booking_sandbox.vendors.booqable.booking import NOT_BOOKABLE
from booking_sandbox.vendors.booqable.errors import not_found, validation
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import check_includes, document
from booking_sandbox.vendors.booqable.order_resources import LINES
from booking_sandbox.vendors.booqable.records import Line, Order
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.state import BooqableStore
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, respond, timestamp

KIND = "lines"
Problem = tuple[str, str, str]
# DOCS-HEAD, request body of `PUT /lines/{id}`; create adds the readonly-after-create ones.
UPDATABLE = {
    "title": "string?",
    "extra_information": "string?",
    "quantity": "integer",
    "price_each_in_cents": "integer",
    "position": "integer",
    "charge_label": "string?",
    "original_charge_label": "string?",
    "charge_length": "integer?",
    "discountable": "boolean",
    "taxable": "boolean",
    "confirm_shortage": "boolean?",
    "tax_category_id": "uuid?",
    "price_tile_id": "uuid?",
}
CREATABLE = {**UPDATABLE, "line_type": "enum", "owner_id": "uuid", "owner_type": "enum"}
CREATABLE_TYPES = ("charge", "section")
# Copied onto the line as sent; the money attributes go through `_price`.
PLAIN = (
    "title", "extra_information", "position", "charge_label", "original_charge_label",
    "discountable", "taxable", "tax_category_id", "price_tile_id",
)  # fmt: skip


async def create(call: Call) -> Response:
    check_includes(LINES, call.query.include)  # a 400 before any change
    sent = attributes_of(call, KIND, CREATABLE)
    sent.pop("confirm_shortage", None)  # a custom line plans nothing
    order, problems = _owner(call.store, sent)
    line_type = sent.get("line_type", "charge")
    if line_type not in CREATABLE_TYPES:
        problems.append(("line_type", "is not included in the list", "inclusion"))
    problems += _problems(call.store, sent, planned=False)
    if problems or order is None:
        raise validation(*problems)
    line = _custom_line(call, order, line_type)
    _apply(line, sent)
    line["price_in_cents"] = line["price_each_in_cents"] * line["quantity"]
    call.store.add(KIND, line)
    orders.settle(call.store, order, call.now)
    return respond(document(call.store, LINES, line, call.query), 201)


async def update(call: Call) -> Response:
    store = call.store
    line = _path_line(call)
    order = _order_of(store, line)
    check_includes(LINES, call.query.include)
    sent = attributes_of(call, KIND, UPDATABLE)
    confirm = sent.pop("confirm_shortage", None) is True
    planned = line["planning_id"] is not None
    problems = _changeable(order) + _problems(store, sent, planned=planned)
    if problems:
        raise validation(*problems)
    if planned and "quantity" in sent and sent["quantity"] != line["quantity"]:
        line_plannings.requantify(
            store, order, line, sent["quantity"], confirm_shortage=confirm, now=call.now
        )
    _apply(line, sent)
    if planned:
        _planned_price(store, order, line, sent)
    else:
        line["price_in_cents"] = line["price_each_in_cents"] * line["quantity"]
    line["updated_at"] = timestamp(call.now)
    orders.settle(store, order, call.now)
    return respond(document(store, LINES, line, call.query))


async def archive(call: Call) -> Response:
    store = call.store
    line = _path_line(call)
    order = _order_of(store, line)
    check_includes(LINES, call.query.include)  # a 400 before any change
    problems = _changeable(order)
    if problems:
        raise validation(*problems)
    line_plannings.check_removable(store, line)
    now = timestamp(call.now)
    line["archived"], line["archived_at"], line["updated_at"] = True, now, now
    body = document(store, LINES, line, call.query)  # before its planning goes
    line_plannings.remove(store, line)
    store.remove(KIND, line["id"])
    orders.settle(store, order, call.now)
    return respond(body, 200, PLAIN_JSON)


def _owner(store: BooqableStore, sent: dict[str, Any]) -> tuple[Order | None, list[Problem]]:
    owner_type = sent.get("owner_type", "orders")
    if owner_type not in ("orders", "documents"):
        return None, [("owner_type", "is not included in the list", "inclusion")]
    order = store.find("orders", sent.get("owner_id")) if owner_type == "orders" else None
    if order is None:  # documents (invoices, quotes) are not emulated
        return None, [("owner", "must exist", "blank")]
    return order, _changeable(order)


def _changeable(order: Order) -> list[Problem]:
    if order["status"] in NOT_BOOKABLE:
        return [("owner_id", f"is {order['status']}: its lines can't change", "invalid")]
    return []


def _problems(store: BooqableStore, sent: dict[str, Any], *, planned: bool) -> list[Problem]:
    found: list[Problem] = []
    least = 1 if planned else 0  # a planning of nothing is a destroyed line
    if "quantity" in sent and sent["quantity"] < least:
        message = "must be greater than 0" if planned else "must be greater than or equal to 0"
        found.append(
            ("quantity", message, "greater_than" if planned else "greater_than_or_equal_to")
        )
    if sent.get("charge_length") is not None and sent["charge_length"] < 0:
        found.append(
            ("charge_length", "must be greater than or equal to 0", "greater_than_or_equal_to")
        )
    category = sent.get("tax_category_id")
    if category is not None and store.find("tax_categories", category) is None:
        found.append(("tax_category_id", "must exist", "required"))
    if sent.get("price_tile_id") is not None:  # price tiles are not emulated: none exists
        found.append(("price_tile_id", "must exist", "required"))
    return found


def _apply(line: Line, sent: dict[str, Any]) -> None:
    for name in PLAIN:
        if name in sent:
            line[name] = sent[name]  # type: ignore[literal-required]  # PLAIN: Line's keys
    if line["planning_id"] is None:  # a custom line's money is what it is given
        for name in ("quantity", "price_each_in_cents", "charge_length"):
            if name in sent:
                line[name] = sent[name]  # type: ignore[literal-required]


def _planned_price(store: BooqableStore, order: Order, line: Line, sent: dict[str, Any]) -> None:
    """A planning line's price: the period's, then what the client set (refresh applies it)."""
    if "charge_length" in sent:
        line["_charge_length"] = sent["charge_length"]
        if sent["charge_length"] is None:  # "trigger recalculation", the own price too
            line["_price_each"] = None
    if "price_each_in_cents" in sent:
        line["_price_each"] = sent["price_each_in_cents"]
    span = order_records.period(order)
    order_records.reprice_line(store, line, *(span if span else (None, None)))


def _path_line(call: Call) -> Line:
    line = call.store.find("lines", call.path_id)
    if line is None:
        raise not_found()
    return line


def _order_of(store: BooqableStore, line: Line) -> Order:
    order = store.find("orders", line["owner_id"])
    assert order is not None  # every line's owner is a stored order (state_check)
    return order


def _custom_line(call: Call, order: Order, line_type: str) -> Line:
    """A new line as the docs' create example shows it, before the request's attributes."""
    now: datetime = call.now
    lines = order_records.lines_of(call.store, order)
    top = [ln["position"] for ln in lines if ln["parent_line_id"] is None]
    return {
        "id": call.space.ids.uuid4(),
        "created_at": timestamp(now),
        "updated_at": timestamp(now),
        "archived": False,
        "archived_at": None,
        "title": None,
        "extra_information": None,
        "quantity": 1,
        "original_price_each_in_cents": None,
        "original_charge_length": None,
        "original_charge_label": None,
        "price_each_in_cents": 0,
        "price_in_cents": 0,
        "display_price_in_cents": 0,
        "position": 1 + max(top, default=0),
        "charge_label": None,
        "charge_length": None,
        "price_rule_values": None,
        "discountable": True,
        "taxable": True,
        "line_type": line_type,
        "relevant": True,
        "order_id": order["id"],
        "item_id": None,
        "tax_category_id": None,
        "price_structure_id": None,
        "price_tile_id": None,
        "planning_id": None,
        "parent_line_id": None,
        "owner_id": order["id"],
        "owner_type": "orders",
        "_deposit_each": 0,
    }
