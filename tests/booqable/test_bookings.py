"""`POST /order_bookings`: stock, shortages, atomicity, merging, totals, includes, errors."""

from __future__ import annotations

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
    product,
)
from tests.conftest import Api

ORDER_2024 = "7342d776-05bf-4899-a02d-b61370b3ba82"  # reserved, 1980-04-01 .. 1980-05-01
ORDER_CONCEPT = "3e037580-3d7a-4d23-876c-f0ba1a481bb7"
CANON = "a2d96edf-7d8b-42de-9897-e5aee335f3ca"  # trackable; 1456d221… in stock, f58dfcaf… archived
CANON_ARCHIVED = "f58dfcaf-f0b8-461e-bd32-ed3592f3d013"
DJ_ITEM = "6ca9c502-4844-4b54-b7cb-4425d411bbe4"
KIT = "9bf34d16-2144-45a5-8461-ebae7bf0f4ca"  # bundle: Macbook + Delivery (fixed products)
VARIABLE_BUNDLE = "6eba4e64-d21f-4460-98bc-8f26968b7b27"  # item 0d0ff061…: group 198fcb9e
VARIABLE_ITEM = "0d0ff061-c39f-4dc0-9bac-717883a23271"
RED = "22753f3d-0333-4723-85c5-3aeeb4c683cb"  # a product of group 198fcb9e
OTHER_RED = "74b9c009-4358-4c66-a333-515544a740d5"  # same name, group 4b526591
VAT = "9213d9bd-b18e-471f-97bf-b76b7d78217a"  # 21 %
ALL = "order,lines,plannings,stock_item_plannings"


def book(bq: Booqable, order_id: str, *items: Any, include: str = "", **attributes: Any) -> Any:
    """`bq.book` with `include` in the query string."""
    body = {
        "data": {
            "type": "order_bookings",
            "attributes": {"order_id": order_id, "items": list(items), **attributes},
        }
    }
    return bq.post(f"/order_bookings?include={include}", json=body)


def raw(bq: Booqable, body: Any, query: str = "") -> httpx.Response:
    """Without conftest's JSON:API schema check, for what the vendor writes and JSON:API 1.0
    forbids: Graphiti's 400 pointers lack the leading slash, products have a `type` attribute.
    """
    headers = {"Authorization": f"Bearer {bq.key}"}
    return bq.api.post(f"{bq.prefix}/order_bookings{query}", json=body, headers=headers)


def included(body: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r for r in body.get("included", []) if r["type"] == kind]


def snapshot(bq: Booqable, *order_ids: str) -> list[Any]:
    """What a failed request must leave alone: the orders' bytes, the engine, the records."""
    orders = [bq.get(f"/orders/{o}?include=lines,plannings").content for o in order_ids]
    state = bq.api.get("/_sandbox/state").json()  # after a Booqable call: the records exist
    return [orders, state["inventory"], state["vendors"], state["ids"]]


def shortage(item_id: str, stock: int, reserved: int, needed: int, short: int) -> dict[str, Any]:
    return {
        "reason": "shortage",
        "item_id": item_id,
        "stock_count": stock,
        "reserved": reserved,
        "needed": needed,
        "shortage": short,
    }


def not_available(warning: list[Any], blocking: list[Any]) -> dict[str, Any]:
    return {
        "errors": [
            {
                "code": "items_not_available",
                "status": "422",
                "title": "Items not available",
                "detail": "One or more items are not available",
                "meta": {"warning": warning, "blocking": blocking},
            }
        ]
    }


def reserved_order(bq: Booqable, starts: str, stops: str) -> str:
    created = bq.create("orders", starts_at=starts, stops_at=stops)
    assert created.status_code == 201, created.text
    order_id: str = created.json()["data"]["id"]
    moved = bq.transition(order_id, "new", "reserved")
    assert moved.status_code == 200, moved.text
    return order_id


# ----- shortages ----------------------------------------------------------------------------


def test_warning_is_confirmed_then_the_limit_blocks(bq: Booqable) -> None:
    """Chair: stock 8, shortage allowed up to 2 (reference §5.2)."""
    before = snapshot(bq, ORDER_SHORT)
    warned = bq.book(ORDER_SHORT, product(id=CHAIR, quantity=10))
    assert warned.status_code == 422
    assert warned.json() == not_available([shortage(CHAIR, 8, 0, 10, 2)], [])
    assert snapshot(bq, ORDER_SHORT) == before

    confirmed = book(
        bq, ORDER_SHORT, product(id=CHAIR, quantity=10), include=ALL, confirm_shortage=True
    )
    assert confirmed.status_code == 201, confirmed.text
    [planning] = included(confirmed.json(), "plannings")
    assert planning["attributes"]["shortage_amount"] == 2
    [order] = included(confirmed.json(), "orders")
    assert order["attributes"]["shortage"] is True

    beyond = bq.book(ORDER_RESERVED, product(id=CHAIR, quantity=1), confirm_shortage=True)
    assert beyond.status_code == 422
    assert beyond.json() == not_available([], [shortage(CHAIR, 8, 10, 1, 3)])


def test_a_stock_item_is_not_booked_on_two_overlapping_orders(bq: Booqable) -> None:
    first = bq.book(ORDER_SHORT, product(id=IPAD, stock_item_ids=[IPAD_ITEMS[0]]))
    assert first.status_code == 201, first.text
    before = snapshot(bq, ORDER_2024)
    item = product(id=IPAD, stock_item_ids=[IPAD_ITEMS[0]])
    second = bq.book(ORDER_2024, item, confirm_shortage=True)  # never confirmable
    assert second.status_code == 422
    specified = {
        "reason": "stock_item_specified",
        "item_id": IPAD,
        "unavailable": [IPAD_ITEMS[0]],
        "available": [IPAD_ITEMS[1], IPAD_ITEMS[2]],
    }
    assert second.json() == not_available([], [specified])
    assert snapshot(bq, ORDER_2024) == before


def test_disjoint_periods_share_stock_and_overlaps_do_not(bq: Booqable) -> None:
    june = reserved_order(bq, "1980-06-01T12:00:00Z", "1980-06-05T12:00:00Z")
    july = reserved_order(bq, "1980-07-01T12:00:00Z", "1980-07-05T12:00:00Z")
    items = (product(id=TENT, quantity=7), product(id=IPAD, stock_item_ids=list(IPAD_ITEMS)))
    for order_id in (june, july, ORDER_SHORT):
        assert bq.book(order_id, *items).status_code == 201
    late_june = reserved_order(bq, "1980-06-04T12:00:00Z", "1980-06-10T12:00:00Z")
    refused = bq.book(late_june, product(id=TENT, quantity=1))
    assert refused.json() == not_available([], [shortage(TENT, 7, 7, 1, 1)])


def test_new_and_concept_orders_never_take_stock(bq: Booqable) -> None:
    for order_id in (ORDER_NEW, ORDER_CONCEPT):
        response = book(bq, order_id, product(id=TENT, quantity=100), include="plannings")
        assert response.status_code == 201, response.text
        [planning] = included(response.json(), "plannings")
        assert planning["attributes"]["reserved"] is False
    owners = {a["owner"] for a in bq.api.get("/_sandbox/state").json()["inventory"]["allocations"]}
    assert not owners & {ORDER_NEW, ORDER_CONCEPT}
    assert bq.book(ORDER_SHORT, product(id=TENT, quantity=7)).status_code == 201


# ----- all or nothing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("second", "status"),
    [
        (product(id=TENT, quantity=10), 422),  # a blocking shortage
        (product(id="00000000-0000-4000-8000-000000000000", quantity=1), 422),
        (product(id=IPAD, stock_item_ids=[DJ_ITEM]), 422),
        ({"type": "bundles", "id": VARIABLE_BUNDLE}, 422),  # no variation chosen
    ],
)
def test_a_failing_item_books_nothing(bq: Booqable, second: Any, status: int) -> None:
    before = snapshot(bq, ORDER_RESERVED)
    response = bq.book(ORDER_RESERVED, product(id=MACBOOK, quantity=1), second)
    assert response.status_code == status
    assert snapshot(bq, ORDER_RESERVED) == before


def test_a_bad_include_books_nothing(bq: Booqable) -> None:
    before = snapshot(bq, ORDER_RESERVED)
    response = book(bq, ORDER_RESERVED, product(id=MACBOOK, quantity=1), include="nope")
    assert response.status_code == 400
    assert snapshot(bq, ORDER_RESERVED) == before


# ----- what a booking writes -----------------------------------------------------------------


def test_booking_merges_into_the_planning_of_the_same_product(bq: Booqable) -> None:
    shown = bq.get(f"/orders/{ORDER_RESERVED}?include=lines,plannings").json()
    [planning] = included(shown, "plannings")
    [line] = included(shown, "lines")
    response = book(bq, ORDER_RESERVED, product(id=MACBOOK, quantity=1), include=ALL)
    assert response.status_code == 201
    body = response.json()
    assert [p["id"] for p in included(body, "plannings")] == [planning["id"]]
    assert [ln["id"] for ln in included(body, "lines")] == [line["id"]]
    assert included(body, "plannings")[0]["attributes"]["quantity"] == 2
    assert included(body, "lines")[0]["attributes"]["price_in_cents"] == 160500


def test_totals_follow_the_lines(bq: Booqable) -> None:
    items = (
        product(id=TENT, quantity=2),
        product(id=IPAD, quantity=3, stock_item_ids=[IPAD_ITEMS[1]]),
        {"type": "bundles", "id": KIT, "quantity": 2},
    )
    assert bq.book(ORDER_RESERVED, *items).status_code == 201
    shown = bq.get(f"/orders/{ORDER_RESERVED}?include=lines").json()
    order = shown["data"]["attributes"]
    lines = [ln["attributes"] for ln in included(shown, "lines")]
    assert [ln["position"] for ln in lines] == [1, 2, 3, 4]
    assert order["price_in_cents"] == sum(ln["price_in_cents"] for ln in lines)
    discount = round(order["price_in_cents"] * 0.1)
    assert order["discount_in_cents"] == discount
    assert order["grand_total_in_cents"] == order["price_in_cents"] - discount
    taxed = sum(ln["price_in_cents"] for ln in lines if ln["tax_category_id"] == VAT)
    assert order["tax_in_cents"] == round(taxed * 0.9 * 0.21)
    assert (
        order["grand_total_with_tax_in_cents"]
        == order["grand_total_in_cents"] + (order["tax_in_cents"])
    )
    assert order["to_be_paid_in_cents"] == (
        order["grand_total_with_tax_in_cents"] + order["deposit_in_cents"]
    )
    assert order["status_counts"]["reserved"] == 1 + 2 + 3 + 2


def test_a_bundle_with_a_chosen_variation_takes_that_product(bq: Booqable) -> None:
    choice = {"type": "products", "bundle_item_id": VARIABLE_ITEM, "id": RED}
    item = {"type": "bundles", "id": VARIABLE_BUNDLE, "quantity": 2, "products": [choice]}
    response = book(bq, ORDER_SHORT, item, include="lines,plannings.nested_plannings")
    assert response.status_code == 201, response.text
    [line] = included(response.json(), "lines")
    assert (line["attributes"]["item_id"], line["attributes"]["quantity"]) == (VARIABLE_BUNDLE, 2)
    nested = [p["attributes"] for p in included(response.json(), "plannings")][1:]
    assert [(p["item_id"], p["quantity"]) for p in nested] == [(RED, 2)]


@pytest.mark.parametrize(
    ("include", "types"),
    [
        ("", []),
        ("order", ["orders"]),
        ("lines.item", ["lines", "products"]),
        (ALL, ["orders", "lines", "plannings", "stock_item_plannings"]),
    ],
)
def test_include_variants(bq: Booqable, include: str, types: list[str]) -> None:
    item = product(id=IPAD, stock_item_ids=[IPAD_ITEMS[0]])
    attributes = {"order_id": ORDER_RESERVED, "items": [item]}
    sent = {"data": {"type": "order_bookings", "attributes": attributes}}
    response = raw(bq, sent, f"?include={include}")
    assert response.status_code == 201
    body = response.json()
    assert [r["type"] for r in body.get("included", [])] == types
    relationships = body["data"]["relationships"]
    top = {name.split(".")[0] for name in include.split(",") if name}
    for name, value in relationships.items():
        assert ("data" in value) == (name in top), name


def test_sparse_fields_and_a_client_id(bq: Booqable) -> None:
    ident = "0b5e4bd7-7a3e-4b7e-9d40-2a7f3c9b1e11"
    body: dict[str, Any] = {
        "data": {
            "type": "order_bookings",
            "attributes": {"id": ident, "order_id": ORDER_NEW, "items": [product(id=TENT)]},
        }
    }
    response = bq.post("/order_bookings?fields[order_bookings]=order_id", json=body)
    assert response.status_code == 422  # a product needs a quantity or stock items
    body["data"]["attributes"]["items"] = [product(id=TENT, quantity=1)]
    response = bq.post("/order_bookings?fields[order_bookings]=order_id", json=body)
    assert response.json()["data"]["id"] == ident
    assert response.json()["data"]["attributes"] == {"order_id": ORDER_NEW}


def test_the_v4_prefix_books_too(api: Api) -> None:
    v4 = Booqable(api, prefix="/api/4")
    response = v4.book(ORDER_RESERVED, product(id=MACBOOK, quantity=1))
    assert response.status_code == 201
    assert response.json()["data"]["type"] == "order_bookings"


# ----- errors -------------------------------------------------------------------------------


def validation_messages(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    for error in errors:
        assert (error["code"], error["title"]) == ("unprocessable_entity", "Validation Error")
        assert error["source"] == {"pointer": f"/data/attributes/{error['meta']['attribute']}"}
        assert error["detail"] == (
            f"{error['meta']['attribute'].replace('_', ' ').capitalize()} "
            f"{error['meta']['message']}"
        )
    return [e["meta"]["message"] for e in errors]


def test_an_unknown_order_is_not_found(bq: Booqable) -> None:
    response = bq.book("00000000-0000-4000-8000-000000000000", product(id=TENT, quantity=1))
    assert response.status_code == 404
    assert response.content == (
        b'{"errors":[{"code":"resources_not_found","status":"404",'
        b'"title":"Resource(s) not found"}]}'
    )


@pytest.mark.parametrize(
    ("attributes", "messages"),
    [
        ({"items": [product(id=TENT, quantity=1)]}, ["can't be blank"]),
        ({"order_id": ORDER_NEW}, ["can't be blank"]),
        ({"order_id": ORDER_NEW, "items": []}, ["can't be blank"]),
    ],
)
def test_order_id_and_items_are_required(
    bq: Booqable, attributes: dict[str, Any], messages: list[str]
) -> None:
    body = {"data": {"type": "order_bookings", "attributes": attributes}}
    assert validation_messages(bq.post("/order_bookings", json=body)) == messages


BAD_ITEMS = [
    ("not an item", "[0] must be an object"),
    (product(quantity=1), "[0].id can't be blank"),
    (product(id=7, quantity=1), "[0].id must be an id"),
    ({"type": "stock_items", "id": TENT}, "[0].type must be products or bundles"),
    (product(id=KIT, quantity=1), f"[0].id {KIT} is not a product"),
    (product(id=TENT, quantity=0), "[0].quantity must be greater than 0"),
    (product(id=TENT, quantity="2"), "[0].quantity must be an integer"),
    (product(id=TENT, quantity=1, quantiy=2), "[0].quantiy is not a member of a booking item"),
    (product(id=TENT), "[0].quantity can't be blank"),
    (product(id=TENT, stock_item_ids=[DJ_ITEM]), f"[0].stock_item_ids product {TENT} has no "
     "stock items (not trackable)"),
    (product(id=IPAD, stock_item_ids=[DJ_ITEM]), f"stock_item_id {DJ_ITEM} is not a stock item "
     f"of {IPAD}"),
    (product(id=CANON, stock_item_ids=[CANON_ARCHIVED]), f"stock_item_id {CANON_ARCHIVED} is "
     "archived"),
    (product(id=IPAD, stock_item_ids=[IPAD_ITEMS[0]] * 2), f"stock_item_id {IPAD_ITEMS[0]} is "
     "named twice"),
    (product(id=IPAD, quantity=1, stock_item_ids=list(IPAD_ITEMS[:2])), "[0].quantity must be "
     "at least the number of stock_item_ids"),
    ({"type": "bundles", "id": TENT}, f"[0].id {TENT} is not a bundle"),
    ({"type": "bundles", "id": VARIABLE_BUNDLE}, f"[0] needs a product for bundle item "
     f"{VARIABLE_ITEM}"),
    ({"type": "bundles", "id": VARIABLE_BUNDLE, "products": [
        {"type": "products", "bundle_item_id": VARIABLE_ITEM, "id": OTHER_RED}]},
     f"[0].products[0].id {OTHER_RED} is not a product of bundle item {VARIABLE_ITEM}"),
    ({"type": "bundles", "id": KIT, "products": [
        {"type": "products", "bundle_item_id": "083f7c4f-7974-434e-865a-7cf371f9c2d3",
         "id": "32847ba6-661f-4cc5-939a-94e236b23c6f"}]},
     "[0].products[0].id 32847ba6-661f-4cc5-939a-94e236b23c6f is not a product of bundle item "
     "083f7c4f-7974-434e-865a-7cf371f9c2d3"),
    ({"type": "bundles", "id": KIT, "products": "all"}, "[0].products must be an array"),
]  # fmt: skip


@pytest.mark.parametrize(("item", "message"), BAD_ITEMS)
def test_each_bad_item_is_a_validation_error(bq: Booqable, item: Any, message: str) -> None:
    assert validation_messages(bq.book(ORDER_NEW, item)) == [message]


def test_every_bad_item_is_reported_at_once(bq: Booqable) -> None:
    seven: Any = 7
    response = bq.book(ORDER_NEW, product(id=TENT, quantity=0), product(id=TENT, quantity=1), seven)
    assert validation_messages(response) == [
        "[0].quantity must be greater than 0",
        "[2] must be an object",
    ]


def test_a_stock_item_is_booked_once_per_order(bq: Booqable) -> None:
    item = product(id=IPAD, stock_item_ids=[IPAD_ITEMS[0]])
    assert bq.book(ORDER_NEW, item).status_code == 201
    assert validation_messages(bq.book(ORDER_NEW, item)) == [
        f"stock_item_id {IPAD_ITEMS[0]} has already been booked on this order"
    ]


def test_a_canceled_order_takes_no_bookings(bq: Booqable) -> None:
    assert bq.transition(ORDER_NEW, "new", "canceled").status_code == 200
    response = bq.book(ORDER_NEW, product(id=TENT, quantity=1))
    assert validation_messages(response) == ["cannot book items on an order that is canceled"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"data": {"type": "orders", "attributes": {}}}, "type_mismatch"),
        ({"data": {"type": "order_bookings", "attributes": {"items": {}}}}, "type_error"),
        ({"data": {"type": "order_bookings", "attributes": {"order_id": 7}}}, "type_error"),
        ({"data": {"type": "order_bookings", "attributes": {"lines": []}}}, "unknown_attribute"),
    ],
)
def test_document_errors_are_graphiti_400s(bq: Booqable, body: Any, code: str) -> None:
    response = raw(bq, body)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["code"], error["meta"]["code"]) == ("bad_request", code)
