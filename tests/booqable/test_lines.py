"""Lines CRUD (reference §4.11): custom lines, the booking guide's custom price, quantities the
engine follows, archive; every change re-totals the order to the cent.

The fixture order 09d04c6d (reserved, 1980-04-01 .. 05-01, 10 % discount, 10 % deposit) holds
one Macbook Pro: a line of 80250 (29 days at 2500 plus the High-Season rule), taxed 21 %.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.booqable.conftest import CHAIR, ORDER_SHORT, Booqable
from tests.conftest import Api

PLAIN_JSON = "application/json; charset=utf-8"
ORDER = "09d04c6d-779b-444e-ab5c-d4567a5a8f72"
MACBOOK = "62b10cd2-5c91-4c26-a7ab-b908bfcbee14"
UNKNOWN = "00000000-0000-4000-8000-000000000000"
NOW = "2025-01-29T07:55:53.000000+00:00"
MONEY = (
    "price_in_cents", "discount_in_cents", "grand_total_in_cents", "tax_in_cents",
    "grand_total_with_tax_in_cents",
)  # fmt: skip
# The docs' "create a custom charge" answer (reference §4.11), ids and instants aside.
CUSTOM_CHARGE = {
    "archived": False, "archived_at": None, "title": None, "extra_information": None,
    "quantity": 1, "original_price_each_in_cents": None, "original_charge_length": None,
    "original_charge_label": None, "price_each_in_cents": 1000, "price_in_cents": 1000,
    "display_price_in_cents": 1000, "charge_label": None, "charge_length": None,
    "price_rule_values": None, "discountable": True, "taxable": True, "line_type": "charge",
    "relevant": True, "item_id": None, "tax_category_id": None, "price_structure_id": None,
    "price_tile_id": None, "planning_id": None, "parent_line_id": None, "owner_type": "orders",
}  # fmt: skip


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def money(bq: Booqable, order: str = ORDER) -> tuple[int, ...]:
    attributes = bq.get(f"/orders/{order}").json()["data"]["attributes"]
    return tuple(attributes[name] for name in MONEY)


def macbook_line(bq: Booqable) -> dict[str, Any]:
    listed = bq.get("/lines", params={"filter[owner_id]": ORDER}).json()["data"]
    found: dict[str, Any] = next(x for x in listed if x["attributes"]["item_id"] == MACBOOK)
    return found


def put(bq: Booqable, line_id: str, **attributes: Any) -> Any:
    body = {"data": {"id": line_id, "type": "lines", "attributes": attributes}}
    return bq.put(f"/lines/{line_id}", json=body)


def custom(bq: Booqable, **attributes: Any) -> Any:
    return bq.create("lines", owner_id=ORDER, owner_type="orders", **attributes)


def test_the_fixture_order_totals(v4: Booqable) -> None:
    assert money(v4) == (80250, 8025, 72225, 15167, 87392)


def test_a_custom_charge_as_the_docs_show_it(v4: Booqable) -> None:
    response = custom(v4, price_each_in_cents=1000)
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    attributes = data["attributes"]
    assert list(attributes)[:4] == ["created_at", "updated_at", "archived", "archived_at"]
    assert {k: attributes[k] for k in CUSTOM_CHARGE} == CUSTOM_CHARGE
    assert attributes["order_id"] == attributes["owner_id"] == ORDER
    assert attributes["position"] == 2  # after the Macbook's line
    assert attributes["created_at"] == NOW
    assert data["relationships"] == {}
    # Discountable: 10 % off 81250; untaxed (no tax category): the tax stays 15167.
    assert money(v4) == (81250, 8125, 73125, 15167, 88292)
    shown = v4.get(f"/orders/{ORDER}", params={"include": "lines"}).json()
    assert data["id"] in [x["id"] for x in shown["data"]["relationships"]["lines"]["data"]]


def test_a_section_carries_no_money(v4: Booqable) -> None:
    response = custom(v4, line_type="section", title="Extras", price_each_in_cents=500)
    assert response.status_code == 201, response.text
    assert response.json()["data"]["attributes"]["line_type"] == "section"
    assert money(v4) == (80250, 8025, 72225, 15167, 87392)


def test_a_taxed_custom_line_with_quantity(v4: Booqable) -> None:
    vat = "9213d9bd-b18e-471f-97bf-b76b7d78217a"
    response = custom(
        v4, price_each_in_cents=1250, quantity=4, tax_category_id=vat, discountable=False
    )
    assert response.json()["data"]["attributes"]["price_in_cents"] == 5000
    # 5000 more, not discounted; tax 21 % of (72225 + 5000) = 16217.25.
    assert money(v4) == (85250, 8025, 77225, 16217, 93442)
    line = response.json()["data"]["id"]
    assert put(v4, line, quantity=2).json()["data"]["attributes"]["price_in_cents"] == 2500
    assert money(v4)[0] == 82750


def test_the_booking_guides_custom_price(v4: Booqable) -> None:
    line = macbook_line(v4)
    response = put(v4, line["id"], price_each_in_cents=1000)
    assert response.status_code == 200, response.text
    attributes = response.json()["data"]["attributes"]
    # The docs' example: the computed price stays as the original, the rules are gone.
    assert attributes["original_price_each_in_cents"] == 72500
    assert attributes["price_each_in_cents"] == attributes["price_in_cents"] == 1000
    assert attributes["price_rule_values"] is None
    assert (attributes["charge_label"], attributes["charge_length"]) == ("29 days", 2505600)
    assert attributes["updated_at"] == NOW
    assert money(v4) == (1000, 100, 900, 189, 1089)  # 21 % of 900
    # The custom price holds over a new period; the original follows the period.
    order = {
        "data": {"id": ORDER, "type": "orders", "attributes": {"stops_at": "1980-04-11T12:00:00Z"}}
    }
    assert v4.put(f"/orders/{ORDER}", json=order).status_code == 200
    again = v4.get(f"/lines/{line['id']}").json()["data"]["attributes"]
    assert again["price_each_in_cents"] == 1000
    assert again["original_price_each_in_cents"] == 22500  # 9 charged days at 2500


def test_a_charge_length_prices_for_that_length_and_null_recalculates(v4: Booqable) -> None:
    line = macbook_line(v4)["id"]
    two_days = put(v4, line, charge_length=172800).json()["data"]["attributes"]
    assert two_days["charge_length"] == 172800
    assert two_days["charge_label"] == "2 days"
    assert two_days["price_each_in_cents"] == two_days["original_price_each_in_cents"] == 5000
    assert money(v4)[0] == 5000
    put(v4, line, price_each_in_cents=1)
    back = put(v4, line, charge_length=None).json()["data"]["attributes"]
    assert back["price_each_in_cents"] == 80250  # the period's price, rules applied again
    assert back["charge_length"] == 2505600
    assert back["price_rule_values"] is not None
    assert money(v4) == (80250, 8025, 72225, 15167, 87392)


def test_a_planning_lines_quantity_moves_the_planning_and_the_stock(v4: Booqable) -> None:
    line = macbook_line(v4)
    planning = line["attributes"]["planning_id"]
    response = put(v4, line["id"], quantity=3)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["attributes"]["price_in_cents"] == 3 * 80250
    assert v4.get(f"/plannings/{planning}").json()["data"]["attributes"]["quantity"] == 3
    assert money(v4)[0] == 240750
    # 10 Macbooks in stock: 11 is blocking, and nothing moves.
    refused = put(v4, line["id"], quantity=11)
    assert refused.status_code == 422
    error = refused.json()["errors"][0]
    assert error["code"] == "items_not_available"
    assert error["meta"]["blocking"][0]["shortage"] == 1
    assert v4.get(f"/plannings/{planning}").json()["data"]["attributes"]["quantity"] == 3
    assert v4.get(f"/lines/{line['id']}").json()["data"]["attributes"]["quantity"] == 3
    assert money(v4)[0] == 240750
    # The 7 left are free for another order over the same period.
    booked = v4.book(ORDER_SHORT, {"type": "products", "id": MACBOOK, "quantity": 7})
    assert booked.status_code == 201, booked.text


def test_a_shortage_warning_is_confirmed(api: Api) -> None:
    bq = Booqable(api)  # the 2022 path: both eras share the state and the engine
    booked = bq.book(ORDER_SHORT, {"type": "products", "id": CHAIR, "quantity": 8})
    assert booked.status_code == 201, booked.text
    line = next(
        x
        for x in bq.get("/lines", params={"filter[owner_id]": ORDER_SHORT}).json()["data"]
        if x["attributes"]["item_id"] == CHAIR
    )
    warned = put(bq, line["id"], quantity=9)
    assert warned.status_code == 422
    assert warned.json()["errors"][0]["meta"]["warning"][0]["shortage"] == 1
    confirmed = put(bq, line["id"], quantity=9, confirm_shortage=True)
    assert confirmed.status_code == 200, confirmed.text
    planning = bq.get(f"/plannings/{line['attributes']['planning_id']}").json()["data"]
    assert planning["attributes"]["quantity"] == 9
    assert planning["attributes"]["shortage_amount"] == 1


def test_archiving_a_planning_line_destroys_its_planning_and_frees_the_stock(
    v4: Booqable,
) -> None:
    line = macbook_line(v4)
    planning = line["attributes"]["planning_id"]
    put(v4, line["id"], quantity=10)
    assert (
        v4.book(ORDER_SHORT, {"type": "products", "id": MACBOOK, "quantity": 1}).status_code == 422
    )
    response = v4.delete(f"/lines/{line['id']}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == PLAIN_JSON
    attributes = response.json()["data"]["attributes"]
    assert (attributes["archived"], attributes["archived_at"]) == (True, NOW)
    assert v4.get(f"/lines/{line['id']}").status_code == 404
    assert v4.get(f"/plannings/{planning}").status_code == 404
    assert money(v4) == (0, 0, 0, 0, 0)
    booked = v4.book(ORDER_SHORT, {"type": "products", "id": MACBOOK, "quantity": 10})
    assert booked.status_code == 201, booked.text


def test_archiving_a_custom_line_re_totals(v4: Booqable) -> None:
    line = custom(v4, price_each_in_cents=1000).json()["data"]["id"]
    assert v4.delete(f"/lines/{line}").status_code == 200
    assert money(v4) == (80250, 8025, 72225, 15167, 87392)
    assert v4.delete(f"/lines/{line}").status_code == 404


@pytest.mark.parametrize("prefix", ["/api/boomerang", "/api/4"])
def test_unknown_lines_are_404(api: Api, prefix: str) -> None:
    bq = Booqable(api, prefix)
    assert put(bq, UNKNOWN, quantity=1).status_code == 404
    assert bq.delete(f"/lines/{UNKNOWN}").json()["errors"][0]["code"] == "resources_not_found"


@pytest.mark.parametrize(
    ("attributes", "detail"),
    [
        ({"owner_id": ORDER, "colour": "red"}, "data.attributes.colour is an unknown attribute"),
        ({"owner_id": ORDER, "item_id": MACBOOK}, "data.attributes.item_id cannot be written"),
        ({"owner_id": ORDER, "quantity": "2"}, "data.attributes.quantity should be type integer"),
    ],
)
def test_bad_attributes_are_400(v4: Booqable, attributes: dict[str, Any], detail: str) -> None:
    before = v4.get("/lines").json()["data"]
    response = v4.create("lines", **attributes)
    assert response.status_code == 400
    assert response.json()["errors"][0]["detail"] == detail
    assert v4.get("/lines").json()["data"] == before


@pytest.mark.parametrize(
    ("attributes", "pointer", "message"),
    [
        ({"owner_id": UNKNOWN}, "owner", "must exist"),
        ({"owner_id": ORDER, "owner_type": "carts"}, "owner_type", "is not included in the list"),
        ({"owner_id": ORDER, "line_type": "proration"}, "line_type", "is not included in the list"),
        ({"owner_id": ORDER, "quantity": -1}, "quantity", "must be greater than or equal to 0"),
        ({"owner_id": ORDER, "tax_category_id": UNKNOWN}, "tax_category_id", "must exist"),
        ({"owner_id": ORDER, "price_tile_id": UNKNOWN}, "price_tile_id", "must exist"),
    ],
)
def test_invalid_lines_are_422(
    v4: Booqable, attributes: dict[str, Any], pointer: str, message: str
) -> None:
    response = v4.create("lines", **attributes)
    assert response.status_code == 422, response.text
    error = response.json()["errors"][0]
    assert error["code"] == "unprocessable_entity"
    assert error["source"] == {"pointer": f"/data/attributes/{pointer}"}
    assert error["meta"]["message"] == message
    assert money(v4) == (80250, 8025, 72225, 15167, 87392)


def test_a_refused_update_changes_nothing(v4: Booqable) -> None:
    line = macbook_line(v4)
    response = put(v4, line["id"], quantity=0, price_each_in_cents=5)
    assert response.status_code == 422
    assert response.json()["errors"][0]["meta"]["message"] == "must be greater than 0"
    assert v4.get(f"/lines/{line['id']}").json()["data"] == line
    unwritable = put(v4, line["id"], owner_id=ORDER_SHORT)
    assert unwritable.status_code == 400
    assert unwritable.json()["errors"][0]["detail"].endswith("owner_id cannot be written")


def test_lines_of_a_canceled_order_do_not_change(v4: Booqable) -> None:
    line = macbook_line(v4)
    assert v4.transition(ORDER, "reserved", "canceled").status_code in (200, 201)
    response = put(v4, line["id"], price_each_in_cents=1)
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"]["pointer"] == "/data/attributes/owner_id"
    assert custom(v4).status_code == 422
    assert v4.delete(f"/lines/{line['id']}").status_code == 422


def test_the_2022_path_keeps_the_2022_shape(api: Api) -> None:
    bq = Booqable(api)
    line = custom(bq, price_each_in_cents=300).json()["data"]
    assert "archived" not in line["attributes"]
    assert line["relationships"]["owner"] == {"meta": {"included": False}}
    assert bq.get(f"/lines/{line['id']}").status_code == 200


def start(bq: Booqable, quantity: int) -> None:
    action = {"action": "start_product", "product_id": MACBOOK, "quantity": quantity}
    body = {
        "data": {
            "type": "order_fulfillments",
            "attributes": {"order_id": ORDER, "actions": [action]},
        }
    }
    assert bq.post("/order_fulfillments", json=body).status_code == 200


def test_items_picked_up_hold_the_line(v4: Booqable) -> None:
    line = macbook_line(v4)
    put(v4, line["id"], quantity=3)
    start(v4, 2)
    refused = put(v4, line["id"], quantity=1)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["meta"]["message"] == "must be greater than or equal to 2"
    assert put(v4, line["id"], quantity=2).status_code == 200
    archived = v4.delete(f"/lines/{line['id']}")
    assert archived.status_code == 422
    assert archived.json()["errors"][0]["meta"]["attribute"] == "planning_id"
    assert v4.get(f"/lines/{line['id']}").json()["data"]["attributes"]["archived"] is False
