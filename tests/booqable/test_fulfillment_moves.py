"""`start_*` and `stop_*` fulfillment actions: counts, order status, the engine's stock."""

from __future__ import annotations

from typing import Any

import pytest

from tests.booqable.conftest import (
    IPAD,
    IPAD_ITEMS,
    MACBOOK,
    ORDER_NEW,
    ORDER_RESERVED,
    ORDER_SHORT,
    TENT,
    Booqable,
    product,
)
from tests.booqable.test_bookings import KIT, included, not_available, shortage, snapshot
from tests.booqable.test_fulfillments import book_product, fulfil, invalid

DELIVERY = "07a4050e-10ac-41b2-83a9-fcec3fef5b24"  # a service (tracking none)


def count(name: str, product_id: str, quantity: int, **rest: Any) -> dict[str, Any]:
    return {"action": name, "product_id": product_id, "quantity": quantity, **rest}


def units(name: str, product_id: str, *ids: str, **rest: Any) -> dict[str, Any]:
    return {"action": name, "product_id": product_id, "stock_item_ids": list(ids), **rest}


def order_of(bq: Booqable, order_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    shown = bq.get(f"/orders/{order_id}?include=plannings").json()
    return shown["data"]["attributes"], [p["attributes"] for p in included(shown, "plannings")]


def held(bq: Booqable, order_id: str, product_id: str) -> int:
    """What the engine holds for the order on the product's pool."""
    allocations = bq.api.get("/_sandbox/state").json()["inventory"]["allocations"]
    return sum(
        a["quantity"]
        for a in allocations
        if a["owner"] == order_id
        and a["pool"] == f"booqable:product:{product_id}"
        and a["status"] in ("confirmed", "held")
    )


def test_start_then_stop_a_bulk_product(bq: Booqable) -> None:
    assert fulfil(bq, ORDER_RESERVED, book_product(MACBOOK, 3)).status_code == 200
    assert fulfil(bq, ORDER_RESERVED, count("start_product", MACBOOK, 4)).status_code == 200
    order, [planning] = order_of(bq, ORDER_RESERVED)
    assert (order["status"], order["entirely_started"], planning["started"]) == ("started", True, 4)
    assert held(bq, ORDER_RESERVED, MACBOOK) == 4

    assert fulfil(bq, ORDER_RESERVED, count("stop_product", MACBOOK, 3)).status_code == 200
    order, [planning] = order_of(bq, ORDER_RESERVED)
    assert (order["status"], planning["stopped"]) == ("started", 3)
    assert held(bq, ORDER_RESERVED, MACBOOK) == 1  # three are back for other rentals
    assert bq.book(ORDER_SHORT, product(id=MACBOOK, quantity=10)).status_code == 422
    assert bq.book(ORDER_SHORT, product(id=MACBOOK, quantity=9)).status_code == 201

    assert fulfil(bq, ORDER_RESERVED, count("stop_product", MACBOOK, 1)).status_code == 200
    order, [planning] = order_of(bq, ORDER_RESERVED)
    assert (order["status"], order["entirely_stopped"]) == ("stopped", True)
    assert held(bq, ORDER_RESERVED, MACBOOK) == 0


def test_starting_a_new_order_takes_its_stock(bq: Booqable) -> None:
    assert fulfil(bq, ORDER_NEW, book_product(TENT, 2)).status_code == 200
    assert held(bq, ORDER_NEW, TENT) == 0
    response = fulfil(bq, ORDER_NEW, count("start_product", TENT, 1), query="?include=order")
    assert response.status_code == 200
    [order] = response.json()["included"]
    assert order["attributes"]["status"] == "started"
    assert order["attributes"]["number"] is not None  # numbered when it leaves `new`
    assert held(bq, ORDER_NEW, TENT) == 2  # the whole planning, not only what is out


def test_starting_a_new_order_can_be_short(bq: Booqable) -> None:
    created = bq.create(
        "orders", starts_at="2022-01-11T12:00:00Z", stops_at="2022-01-12T12:00:00Z"
    ).json()["data"]["id"]
    assert bq.transition(created, "new", "reserved").status_code == 200
    assert bq.book(created, product(id=TENT, quantity=7)).status_code == 201
    assert fulfil(bq, ORDER_NEW, book_product(TENT, 2)).status_code == 200
    before = snapshot(bq, ORDER_NEW)
    response = fulfil(bq, ORDER_NEW, count("start_product", TENT, 2))
    assert response.json() == not_available([], [shortage(TENT, 7, 7, 2, 2)])
    assert snapshot(bq, ORDER_NEW) == before


def test_stock_items_are_specified_as_they_start_and_free_when_stopped(bq: Booqable) -> None:
    item = product(id=IPAD, quantity=2, stock_item_ids=[IPAD_ITEMS[0]])
    assert bq.book(ORDER_RESERVED, item).status_code == 201
    started = units("start_stock_items", IPAD, IPAD_ITEMS[0], IPAD_ITEMS[1])
    assert fulfil(bq, ORDER_RESERVED, started).status_code == 200
    shown = bq.get(f"/orders/{ORDER_RESERVED}?include=stock_item_plannings").json()
    sips = [s["attributes"] for s in included(shown, "stock_item_plannings")]
    assert [(s["stock_item_id"], s["started"]) for s in sips] == [
        (IPAD_ITEMS[0], True),
        (IPAD_ITEMS[1], True),
    ]
    # The unit specified on start is the order's now: no other order may take it.
    taken = bq.book(ORDER_SHORT, product(id=IPAD, stock_item_ids=[IPAD_ITEMS[1]]))
    assert taken.json()["errors"][0]["meta"]["blocking"][0]["reason"] == "stock_item_specified"

    stopped = units("stop_stock_items", IPAD, IPAD_ITEMS[1])
    assert fulfil(bq, ORDER_RESERVED, stopped).status_code == 200
    freed = bq.book(ORDER_SHORT, product(id=IPAD, stock_item_ids=[IPAD_ITEMS[1]]))
    assert freed.status_code == 201
    order, plannings = order_of(bq, ORDER_RESERVED)
    ipad = next(p for p in plannings if p["item_id"] == IPAD)
    assert (order["status"], ipad["started"], ipad["stopped"]) == ("started", 2, 1)


def test_a_unit_held_elsewhere_cannot_start_and_nothing_changes(bq: Booqable) -> None:
    assert bq.book(ORDER_SHORT, product(id=IPAD, stock_item_ids=[IPAD_ITEMS[2]])).status_code == 201
    assert bq.book(ORDER_RESERVED, product(id=IPAD, quantity=1)).status_code == 201
    before = snapshot(bq, ORDER_RESERVED)
    response = fulfil(bq, ORDER_RESERVED, units("start_stock_items", IPAD, IPAD_ITEMS[2]))
    assert response.status_code == 422
    blocking = response.json()["errors"][0]["meta"]["blocking"]
    assert [(b["reason"], b["unavailable"]) for b in blocking] == [
        ("stock_item_specified", [IPAD_ITEMS[2]])
    ]
    assert snapshot(bq, ORDER_RESERVED) == before


def test_a_bundle_is_out_when_its_items_are(bq: Booqable) -> None:
    kit = {"action": "book_bundle", "bundle_id": KIT}
    assert fulfil(bq, ORDER_RESERVED, kit).status_code == 200
    ambiguous = fulfil(bq, ORDER_RESERVED, count("start_product", MACBOOK, 1))
    assert ambiguous.json() == invalid(
        "actions[0].planning_id can't be blank: the product has several plannings on this order"
    )
    _, plannings = order_of(bq, ORDER_RESERVED)
    nested = next(p for p in plannings if p["item_id"] == MACBOOK and p["parent_planning_id"])
    ids = list(bq.get(f"/orders/{ORDER_RESERVED}?include=plannings").json()["included"])
    nested_id = next(p["id"] for p in ids if p["attributes"] == nested)
    actions = (
        count("start_product", MACBOOK, 1, planning_id=nested_id),
        count("start_product", DELIVERY, 1),
    )
    assert fulfil(bq, ORDER_RESERVED, *actions).status_code == 200
    _, plannings = order_of(bq, ORDER_RESERVED)
    parent = next(p for p in plannings if p["item_id"] == KIT)
    assert parent["started"] == 1


BAD_MOVES = [
    (units("start_product", MACBOOK, quantity=1), "actions[0].stock_item_ids is not a member "
     "of a start_product action"),
    (count("start_product", IPAD, 1), f"actions[0].product_id {IPAD} is trackable: use "
     "start_stock_items"),
    (count("start_product", MACBOOK, 2), "actions[0].quantity must be at most 1 "
     "(not started yet)"),
    (count("stop_product", MACBOOK, 1), "actions[0].quantity must be at most 0 "
     "(started and not stopped)"),
    (count("start_product", TENT, 1), f"actions[0].planning_id can't be blank: {TENT} is not "
     "booked on this order"),
    (count("start_product", MACBOOK, 1, planning_id=TENT), f"actions[0].planning_id {TENT} is "
     f"not a planning of {MACBOOK} on this order"),
    (units("stop_stock_items", MACBOOK, IPAD_ITEMS[0]), f"actions[0].product_id {MACBOOK} has "
     "no stock items (not trackable)"),
    (units("start_stock_items", MACBOOK), f"actions[0].product_id {MACBOOK} has no stock items "
     "(not trackable)"),
]  # fmt: skip


@pytest.mark.parametrize(("action", "message"), BAD_MOVES)
def test_a_refused_move(bq: Booqable, action: Any, message: str) -> None:
    assert fulfil(bq, ORDER_RESERVED, action).json() == invalid(message)


def test_refused_stock_item_moves(bq: Booqable) -> None:
    assert (
        bq.book(ORDER_RESERVED, product(id=IPAD, stock_item_ids=[IPAD_ITEMS[0]])).status_code == 201
    )
    cases = [
        (units("start_stock_items", IPAD), "actions[0].stock_item_ids must be a non-empty array "
         "of stock item ids"),
        (units("start_stock_items", IPAD, IPAD_ITEMS[1]), f"stock_item_id {IPAD_ITEMS[1]} cannot "
         "be specified: every unit of the planning is specified"),
        (units("stop_stock_items", IPAD, IPAD_ITEMS[0]), f"stock_item_id {IPAD_ITEMS[0]} is not "
         "started on this planning"),
    ]  # fmt: skip
    for action, message in cases:
        assert fulfil(bq, ORDER_RESERVED, action).json() == invalid(message)
    start = units("start_stock_items", IPAD, IPAD_ITEMS[0])
    assert fulfil(bq, ORDER_RESERVED, start).status_code == 200
    assert fulfil(bq, ORDER_RESERVED, start).json() == invalid(
        f"stock_item_id {IPAD_ITEMS[0]} has already been started"
    )


def test_services_start_but_never_stop(bq: Booqable) -> None:
    assert fulfil(bq, ORDER_RESERVED, book_product(DELIVERY, 1)).status_code == 200
    assert fulfil(bq, ORDER_RESERVED, count("start_product", DELIVERY, 1)).status_code == 200
    assert fulfil(bq, ORDER_RESERVED, count("stop_product", DELIVERY, 1)).json() == invalid(
        "actions[0].product_id Sales items and Services cannot be stopped"
    )


def test_booking_and_starting_do_not_mix(bq: Booqable) -> None:
    response = fulfil(bq, ORDER_RESERVED, book_product(TENT, 1), count("start_product", MACBOOK, 1))
    assert response.json() == invalid(
        "actions cannot combine booking, specifying, starting and stopping items"
    )


@pytest.mark.parametrize("endpoint", ["order_bookings", "order_fulfillments"])
def test_booking_on_a_stopped_order_starts_it_again(bq: Booqable, endpoint: str) -> None:
    """DOCS-2024 orders: "A `stopped` order will transition back to `started`"."""
    assert fulfil(bq, ORDER_RESERVED, count("start_product", MACBOOK, 1)).status_code == 200
    assert fulfil(bq, ORDER_RESERVED, count("stop_product", MACBOOK, 1)).status_code == 200
    assert order_of(bq, ORDER_RESERVED)[0]["status"] == "stopped"
    if endpoint == "order_bookings":
        response = bq.book(ORDER_RESERVED, product(id=TENT, quantity=2))
    else:
        response = fulfil(bq, ORDER_RESERVED, book_product(TENT, 2))
    assert response.status_code in (200, 201)
    order, _ = order_of(bq, ORDER_RESERVED)
    assert (order["status"], order["status_counts"]["started"]) == ("started", 3)
    assert held(bq, ORDER_RESERVED, TENT) == 2


def test_what_moves_leave_is_a_consistent_state(bq: Booqable) -> None:
    """The state check (PUT /_sandbox/state) accepts what starting and stopping leave."""
    assert fulfil(bq, ORDER_RESERVED, book_product(MACBOOK, 2)).status_code == 200
    assert bq.book(ORDER_RESERVED, product(id=IPAD, quantity=2)).status_code == 201
    actions = [
        (count("start_product", MACBOOK, 3),),
        (units("start_stock_items", IPAD, *IPAD_ITEMS[:2]),),
        (count("stop_product", MACBOOK, 2), units("stop_stock_items", IPAD, IPAD_ITEMS[0])),
    ]
    for batch in actions:
        assert fulfil(bq, ORDER_RESERVED, *batch).status_code == 200
        state = bq.api.get("/_sandbox/state").json()
        imported = bq.api.put("/_sandbox/state", json=state)
        assert imported.status_code == 200, imported.text
