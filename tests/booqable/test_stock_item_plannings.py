"""`DELETE /stock_item_plannings/{id}` (reference §4.10): the named stock item is given back,
the planning keeps its quantity; and the new records survive a state export and import."""

from __future__ import annotations

from typing import Any

import pytest

from tests.booqable.conftest import IPAD, IPAD_ITEMS, ORDER_SHORT, Booqable
from tests.conftest import START, Api

ORDER_AMS = "7342d776-05bf-4899-a02d-b61370b3ba82"  # reserved, 1980-04-01 .. 05-01
UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def book_item(bq: Booqable, order: str, item: str) -> Any:
    return bq.book(order, {"type": "products", "id": IPAD, "stock_item_ids": [item]})


def test_unnaming_frees_the_stock_item(v4: Booqable) -> None:
    assert book_item(v4, ORDER_AMS, IPAD_ITEMS[0]).status_code == 201
    assert book_item(v4, ORDER_SHORT, IPAD_ITEMS[0]).status_code == 422  # taken
    sip = v4.get("/stock_item_plannings", params={"filter[order_id]": ORDER_AMS}).json()["data"]
    assert len(sip) == 1
    planning = sip[0]["attributes"]["planning_id"]
    response = v4.delete(f"/stock_item_plannings/{sip[0]['id']}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    # The record as it stood (the docs' example: "archived": false).
    assert response.json()["data"] == sip[0] | {"relationships": {}}
    assert response.json()["data"]["attributes"]["archived"] is False
    assert v4.get(f"/stock_item_plannings/{sip[0]['id']}").status_code == 404
    assert v4.get(f"/plannings/{planning}").json()["data"]["attributes"]["quantity"] == 1
    assert book_item(v4, ORDER_SHORT, IPAD_ITEMS[0]).status_code == 201


def test_the_order_still_holds_its_unit(v4: Booqable) -> None:
    for item in IPAD_ITEMS[:2]:
        assert book_item(v4, ORDER_AMS, item).status_code == 201
    sips = v4.get("/stock_item_plannings", params={"filter[order_id]": ORDER_AMS}).json()
    v4.delete(f"/stock_item_plannings/{sips['data'][0]['id']}")
    # 3 iPads, 2 held by ORDER_AMS (one unnamed): one is left for another order.
    assert v4.book(ORDER_SHORT, {"type": "products", "id": IPAD, "quantity": 1}).status_code == 201
    refused = v4.book(ORDER_SHORT, {"type": "products", "id": IPAD, "quantity": 1})
    assert refused.status_code == 422


def test_an_unknown_stock_item_planning_is_404(api: Api) -> None:
    for prefix in ("/api/boomerang", "/api/4"):
        response = Booqable(api, prefix).delete(f"/stock_item_plannings/{UNKNOWN}")
        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == "resources_not_found"


def test_the_new_records_survive_export_and_import(api: Api, v4: Booqable) -> None:
    api.put("/_sandbox/clock", json={"now": START, "frozen": True})  # exports compare equal
    created = v4.create("coupons", identifier="KEEP", coupon_type="cents", value=100)
    assert created.status_code == 201
    exported = api.get("/_sandbox/state").json()
    assert [c["identifier"] for c in _booqable_part(exported)["coupons"].values()][-1] == "KEEP"
    assert api.put("/_sandbox/state", json=exported).status_code == 200
    assert api.get("/_sandbox/state").json() == exported
    assert v4.get(f"/coupons/{created.json()['data']['id']}").status_code == 200


def test_a_state_from_before_the_new_records_imports(api: Api, v4: Booqable) -> None:
    assert v4.get("/coupons").status_code == 200  # seeds the namespace
    exported = api.get("/_sandbox/state").json()
    booqable = _booqable_part(exported)
    for kind in ("coupons", "tax_regions", "barcodes"):
        del booqable[kind]
    response = api.put("/_sandbox/state", json=exported)
    assert response.status_code == 200, response.text
    assert v4.get("/coupons").json()["data"] == []
    made = v4.create("coupons", identifier="NEW", coupon_type="cents", value=100)
    assert made.status_code == 201


def _booqable_part(state: dict[str, Any]) -> dict[str, Any]:
    """The Booqable records inside a state export, wherever the export nests them."""
    stack: list[Any] = [state]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "coupons" in node and "orders" in node:
                return node
            stack.extend(node.values())
    raise AssertionError("no Booqable records in the export")


def test_a_stock_item_that_went_out_stays_named(v4: Booqable) -> None:
    assert book_item(v4, ORDER_AMS, IPAD_ITEMS[0]).status_code == 201
    action = {"action": "start_stock_items", "product_id": IPAD, "stock_item_ids": [IPAD_ITEMS[0]]}
    body = {
        "data": {
            "type": "order_fulfillments",
            "attributes": {"order_id": ORDER_AMS, "actions": [action]},
        }
    }
    assert v4.post("/order_fulfillments", json=body).status_code == 200, "started"
    sip = v4.get("/stock_item_plannings", params={"filter[order_id]": ORDER_AMS}).json()["data"]
    response = v4.delete(f"/stock_item_plannings/{sip[0]['id']}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"]["pointer"] == "/data/attributes/started"
    assert v4.get(f"/stock_item_plannings/{sip[0]['id']}").status_code == 200


@pytest.mark.parametrize(
    ("kind", "attribute", "value"),
    [
        ("orders", "coupon_id", UNKNOWN),
        ("orders", "tax_region_id", UNKNOWN),
        ("barcodes", "owner_id", UNKNOWN),
    ],
)
def test_an_import_naming_missing_records_is_refused(
    api: Api, v4: Booqable, kind: str, attribute: str, value: str
) -> None:
    assert v4.get("/coupons").status_code == 200  # seeds the namespace
    exported = api.get("/_sandbox/state").json()
    key, record = next(iter(_booqable_part(exported)[kind].items()))
    record[attribute] = value
    response = api.put("/_sandbox/state", json=exported)
    assert response.status_code == 422, response.text
    paths = [d["path"] for d in response.json()["error"]["details"]]
    assert f"$.vendors.booqable.{kind}.{key}.{attribute}" in paths
