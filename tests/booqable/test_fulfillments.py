"""`POST /order_fulfillments`: the `book_*` actions, their modes, atomicity and errors."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from tests.booqable.conftest import (
    CHAIR,
    IPAD,
    IPAD_ITEMS,
    MACBOOK,
    ORDER_NEW,
    ORDER_RESERVED,
    ORDER_SHORT,
    TENT,
    Booqable,
)
from tests.booqable.test_bookings import (
    KIT,
    RED,
    VARIABLE_BUNDLE,
    VARIABLE_ITEM,
    included,
    not_available,
    shortage,
    snapshot,
)
from tests.conftest import Api

GOLDEN = Path(__file__).parent / "golden"


def fulfil(bq: Booqable, order_id: str, *actions: Any, query: str = "", **attributes: Any) -> Any:
    body = {
        "data": {
            "type": "order_fulfillments",
            "attributes": {"order_id": order_id, "actions": list(actions), **attributes},
        }
    }
    return bq.post(f"/order_fulfillments{query}", json=body)


def invalid(*messages: str) -> dict[str, Any]:
    """DOCS-2024's refusal of a fulfillment (reference §4.3 (c))."""
    return {
        "errors": [
            {
                "code": "fulfillment_request_invalid",
                "status": "422",
                "title": "Fulfillment request invalid",
                "detail": "invalid request",
                "meta": {"messages": list(messages)},
            }
        ]
    }


def book_product(product_id: str, quantity: int, **rest: Any) -> dict[str, Any]:
    return {"action": "book_product", "product_id": product_id, "quantity": quantity, **rest}


def state_of(bq: Booqable, order_id: str) -> tuple[list[Any], list[Any]]:
    shown = bq.get(f"/orders/{order_id}?include=lines,plannings,stock_item_plannings").json()
    lines = [ln["attributes"] for ln in included(shown, "lines")]
    plannings = list(included(shown, "plannings"))
    return lines, plannings


def test_the_docs_example_on_fixture_ids(bq: Booqable) -> None:
    """DOCS-2024 'Book a Product (on a new Planning)' with this namespace's order and product.

    Era difference: 2024 printed `"relationships": {}`; the 2022 era lists the relationship.
    """
    example = json.loads((GOLDEN / "fulfillments_book_product_200.json").read_text("utf-8"))
    request = json.loads(
        json.dumps(example["request"])
        .replace("c32e4163-8d68-4a71-a78b-fa23eacc7365", ORDER_RESERVED)
        .replace("abc540f6-0f61-4274-b106-9ea0abaaa46e", TENT)
    )
    response = bq.post("/order_fulfillments", json=request)
    assert response.status_code == 200, response.text
    body = response.json()
    assert uuid.UUID(body["data"]["id"]).version == 5
    assert body == {
        "data": {
            "id": body["data"]["id"],
            "type": "order_fulfillments",
            "attributes": {"order_id": ORDER_RESERVED},
            "relationships": {"order": {"meta": {"included": False}}},
        },
        "meta": {},
    }
    lines, _ = state_of(bq, ORDER_RESERVED)
    assert [(ln["title"], ln["quantity"]) for ln in lines] == [
        ("Macbook Pro", 1),
        ("Party tent 3x3", 3),
    ]


def test_include_order(bq: Booqable) -> None:
    response = fulfil(bq, ORDER_NEW, book_product(TENT, 2), query="?include=order")
    assert response.status_code == 200
    [order] = response.json()["included"]
    assert order["attributes"]["status_counts"]["new"] == 2


@pytest.mark.parametrize(
    ("mode", "lines"),
    [
        ("create_new", [("Macbook Pro", 1), ("Macbook Pro", 2)]),
        ("infer_planning", [("Macbook Pro", 3)]),
        (None, [("Macbook Pro", 3)]),  # infer_planning is the default
    ],
)
def test_book_product_modes(bq: Booqable, mode: str | None, lines: list[Any]) -> None:
    action = book_product(MACBOOK, 2, **({"mode": mode} if mode else {}))
    assert fulfil(bq, ORDER_RESERVED, action).status_code == 200
    found, _ = state_of(bq, ORDER_RESERVED)
    assert [(ln["title"], ln["quantity"]) for ln in found] == lines


def test_update_existing_adds_to_the_named_planning(bq: Booqable) -> None:
    first = book_product(MACBOOK, 2, mode="create_new")
    assert fulfil(bq, ORDER_RESERVED, first).status_code == 200
    _, plannings = state_of(bq, ORDER_RESERVED)
    second = plannings[1]["id"]
    action = book_product(MACBOOK, 4, mode="update_existing", planning_id=second)
    assert fulfil(bq, ORDER_RESERVED, action).status_code == 200
    _, plannings = state_of(bq, ORDER_RESERVED)
    assert [p["attributes"]["quantity"] for p in plannings] == [1, 6]


def test_book_stock_items(bq: Booqable) -> None:
    action = {"action": "book_stock_items", "product_id": IPAD, "stock_item_ids": IPAD_ITEMS[:2]}
    assert fulfil(bq, ORDER_RESERVED, action).status_code == 200
    again = {**action, "stock_item_ids": [IPAD_ITEMS[2]]}  # infer_planning: the same planning
    assert fulfil(bq, ORDER_RESERVED, again).status_code == 200
    shown = bq.get(f"/orders/{ORDER_RESERVED}?include=stock_item_plannings").json()
    named = [s["attributes"]["stock_item_id"] for s in included(shown, "stock_item_plannings")]
    assert named == list(IPAD_ITEMS)
    _, plannings = state_of(bq, ORDER_RESERVED)
    assert [p["attributes"]["quantity"] for p in plannings] == [1, 3]
    refused = fulfil(bq, ORDER_RESERVED, again)
    assert refused.json() == invalid(
        f"stock_item_id {IPAD_ITEMS[2]} has already been booked on this order"
    )


def test_book_bundle_with_a_variation(bq: Booqable) -> None:
    action = {
        "action": "book_bundle",
        "bundle_id": VARIABLE_BUNDLE,
        "product_variations": [{"bundle_item_id": VARIABLE_ITEM, "product_id": RED}],
    }
    fixed = {"action": "book_bundle", "bundle_id": KIT, "quantity": 2, "product_variations": []}
    assert fulfil(bq, ORDER_SHORT, action, fixed).status_code == 200
    lines, _ = state_of(bq, ORDER_SHORT)
    assert [(ln["title"], ln["quantity"]) for ln in lines] == [
        ("Bundle item 1", 1),
        ("Presentation kit", 2),
    ]


# ----- shortages and atomicity ----------------------------------------------------------------


def test_shortage_warning_is_confirmable_as_in_bookings(bq: Booqable) -> None:
    warned = fulfil(bq, ORDER_SHORT, book_product(CHAIR, 10))
    assert warned.json() == not_available([shortage(CHAIR, 8, 0, 10, 2)], [])
    confirmed = fulfil(bq, ORDER_SHORT, book_product(CHAIR, 10), confirm_shortage=True)
    assert confirmed.status_code == 200
    beyond = fulfil(bq, ORDER_RESERVED, book_product(CHAIR, 1), confirm_shortage=True)
    assert beyond.json() == not_available([], [shortage(CHAIR, 8, 10, 1, 3)])


@pytest.mark.parametrize(
    "second",
    [
        book_product(TENT, 8),  # a blocking shortage: stock 7
        {"action": "fly", "product_id": TENT},
        book_product(MACBOOK, 1, mode="update_existing"),
    ],
)
def test_actions_succeed_or_fail_as_a_whole(bq: Booqable, second: Any) -> None:
    before = snapshot(bq, ORDER_RESERVED)
    response = fulfil(bq, ORDER_RESERVED, book_product(MACBOOK, 1), second)
    assert response.status_code == 422
    assert snapshot(bq, ORDER_RESERVED) == before


# ----- errors ---------------------------------------------------------------------------------


BAD_ACTIONS = [
    ({"action": "fly"}, "actions[0].action 'fly' is not a known action"),
    ("book", "actions[0] must be an object"),
    # Unhashable names were a 500 (schemathesis).
    ({"action": {}, "product_id": TENT}, "actions[0].action must be a string"),
    ({"action": ["book_product"]}, "actions[0].action must be a string"),
    ({"action": "specify_stock_items", "product_id": IPAD},  # emulated since issue 15
     "actions[0].stock_item_ids_to_add can't be blank when stock_item_ids_to_remove is blank"),
    (book_product(TENT, 1, mode="guess"),
     "actions[0].mode must be one of create_new, update_existing, infer_planning"),
    (book_product(TENT, 1, mode=""),  # was read as the default mode
     "actions[0].mode must be one of create_new, update_existing, infer_planning"),
    (book_product(TENT, 1, mode="update_existing"), "actions[0].planning_id can't be blank"),
    (book_product(TENT, 1, mode="create_new", planning_id=TENT),
     "actions[0].planning_id is only used with mode update_existing"),
    (book_product(TENT, 1, mode="update_existing", planning_id=TENT),
     f"actions[0].planning_id {TENT} is not a planning of {TENT} on this order"),
    (book_product(TENT, 0), "actions[0].quantity must be greater than 0"),
    ({"action": "book_product", "product_id": TENT}, "actions[0].quantity can't be blank"),
    (book_product(TENT, 1, stock_item_ids=[]),
     "actions[0].stock_item_ids is not a member of a book_product action"),
    ({"action": "book_stock_items", "product_id": IPAD, "stock_item_ids": []},
     "actions[0].stock_item_ids can't be blank"),
    ({"action": "book_stock_items", "product_id": IPAD},
     "actions[0].stock_item_ids must be an array of stock item ids"),
    ({"action": "book_bundle", "bundle_id": VARIABLE_BUNDLE},
     f"actions[0] needs a product for bundle item {VARIABLE_ITEM}"),
    ({"action": "book_bundle", "bundle_id": KIT, "product_variations": [{"id": RED}]},
     "actions[0].product_variations[0] must be an object with bundle_item_id and product_id"),
]  # fmt: skip


@pytest.mark.parametrize(("action", "message"), BAD_ACTIONS)
def test_a_refused_action(bq: Booqable, action: Any, message: str) -> None:
    response = fulfil(bq, ORDER_RESERVED, action)
    assert response.status_code == 422
    assert response.json() == invalid(message)


def test_every_problem_at_once(bq: Booqable) -> None:
    response = fulfil(bq, ORDER_RESERVED, {"action": "fly"}, book_product(TENT, -1))
    assert response.json() == invalid(
        "actions[0].action 'fly' is not a known action",
        "actions[1].quantity must be greater than 0",
    )


def test_empty_actions_and_canceled_orders(bq: Booqable) -> None:
    assert fulfil(bq, ORDER_NEW).json() == invalid("actions can't be blank")
    assert bq.transition(ORDER_NEW, "new", "canceled").status_code == 200
    response = fulfil(bq, ORDER_NEW, book_product(TENT, 1))
    assert response.json() == invalid("cannot book items on an order that is canceled")


def test_unknown_and_missing_orders(bq: Booqable) -> None:
    response = fulfil(bq, "00000000-0000-4000-8000-000000000000", book_product(TENT, 1))
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "resources_not_found"
    body = {"data": {"type": "order_fulfillments", "attributes": {"actions": []}}}
    missing = bq.post("/order_fulfillments", json=body)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["meta"]["attribute"] == "order_id"


def test_document_errors_are_400(bq: Booqable) -> None:
    body = {"data": {"type": "order_fulfillments", "attributes": {"actions": {}}}}
    headers = {"Authorization": f"Bearer {bq.key}"}
    response: httpx.Response = bq.api.post(
        f"{bq.prefix}/order_fulfillments", json=body, headers=headers
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["meta"]["code"] == "type_error"


def test_the_v4_prefix(api: Api) -> None:
    response = fulfil(Booqable(api, prefix="/api/4"), ORDER_NEW, book_product(TENT, 1))
    assert response.status_code == 200


def test_a_bad_include_books_nothing(bq: Booqable) -> None:
    before = snapshot(bq, ORDER_RESERVED)
    response = fulfil(bq, ORDER_RESERVED, book_product(TENT, 1), query="?include=lines")
    assert response.status_code == 400  # order_fulfillments has no `lines` in this era
    assert snapshot(bq, ORDER_RESERVED) == before
