"""`POST /stock_adjustments` (DOCS-HEAD, 2025-02): bulk stock up and down with the vendor's
`shortage` 422, stock items for trackable products, and the documented examples."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.booqable.conftest import CHAIR, DJ, ORDER_SHORT, TENT, Booqable, product
from tests.booqable.test_catalog_writes import (
    MAIN_STORE,
    UNKNOWN,
    catalog_bytes,
    errors,
    group_of,
    made,
    pool,
    replay_v4,
)
from tests.conftest import Api

DELIVERY = "07a4050e-10ac-41b2-83a9-fcec3fef5b24"  # a service: no stock


@pytest.fixture(params=["/api/boomerang", "/api/4"])
def bqx(api: Api, request: pytest.FixtureRequest) -> Booqable:
    return Booqable(api, prefix=request.param)


def adjust(bq: Booqable, product_id: str, quantity: Any, **attributes: Any) -> Any:
    body = {
        "data": {
            "type": "stock_adjustments",
            "attributes": {
                "product_id": product_id,
                "location_id": MAIN_STORE,
                "quantity": quantity,
                **attributes,
            },
        }
    }
    return bq.post("/stock_adjustments", json=body)


def stock_count(bq: Booqable, product_id: str) -> int:
    found: int = (pool(bq, product_id) or {})["capacity"]
    return found


def test_adding_bulk_stock_grows_the_pool(bqx: Booqable) -> None:
    adjustment = made(adjust(bqx, TENT, 10), 200)
    assert adjustment["type"] == "stock_adjustments"
    assert adjustment["attributes"]["quantity"] == 10
    assert stock_count(bqx, TENT) == 17
    made(adjust(bqx, TENT, -3), 200)
    assert stock_count(bqx, TENT) == 14


def test_removing_reserved_stock_is_a_blocking_shortage(bqx: Booqable) -> None:
    booked = bqx.book(ORDER_SHORT, product(id=TENT, quantity=5))
    assert booked.status_code == 201, booked.text
    before = catalog_bytes(bqx)
    [error] = errors(adjust(bqx, TENT, -4, confirm_shortage=True), 422)
    assert (error["code"], error["title"]) == ("shortage", "Shortage")
    assert error["detail"] == "This will create shortage for running or future orders"
    [entry] = error["meta"]["blocking"]
    assert entry == {
        "reason": "shortage",
        "shortage": 2,
        "item_id": TENT,
        "mutation": -4,
        "orders": [{"id": ORDER_SHORT, "conflicts": 2}],
        "downtimes": [],
        "location_id": MAIN_STORE,
        "available": 2,
        "plannable": 2,
        "stock_count": 7,
        "planned": 5,
        "needed": 5,
    }
    assert catalog_bytes(bqx) == before


def test_a_shortage_within_the_limit_is_a_warning_to_confirm(bqx: Booqable) -> None:
    """Chairs: 8 in stock, shortage limit 2; 8 reserved, then 1 removed: a shortage of 1."""
    booked = bqx.book(ORDER_SHORT, product(id=CHAIR, quantity=8))
    assert booked.status_code == 201, booked.text
    [error] = errors(adjust(bqx, CHAIR, -1), 422)
    assert error["meta"]["blocking"] == []
    assert [w["shortage"] for w in error["meta"]["warning"]] == [1]
    assert stock_count(bqx, CHAIR) == 8
    made(adjust(bqx, CHAIR, -1, confirm_shortage=True), 200)
    assert stock_count(bqx, CHAIR) == 7
    [error] = errors(adjust(bqx, CHAIR, -2, confirm_shortage=True), 422)  # 3 > limit 2
    assert [b["shortage"] for b in error["meta"]["blocking"]] == [3]


def test_trackable_stock_is_made_of_stock_items(bqx: Booqable) -> None:
    before = pool(bqx, DJ) or {}
    response = bqx.post(
        "/stock_adjustments",
        json={
            "data": {
                "type": "stock_adjustments",
                "attributes": {
                    "product_id": DJ,
                    "location_id": MAIN_STORE,
                    "quantity": 2,
                    "prefix": "XYZ",
                },
            },
            "include": "stock_items",
        },
    )
    adjustment = made(response, 200)
    made_ids = [ref["id"] for ref in adjustment["relationships"]["stock_items"]["data"]]
    included = response.json()["included"]
    assert [i["attributes"]["identifier"] for i in included] == ["XYZ-1", "XYZ-2"]
    assert (pool(bqx, DJ) or {})["units"] == [*before["units"], *made_ids]
    temporary = made(adjust(bqx, DJ, 1, prefix="XYZ", till="2031-01-01T00:00:00Z"), 200)
    assert temporary["attributes"]["till"].startswith("2031-01-01T00:00:00")
    listed = bqx.get("/stock_items", params={"filter[identifier]": "TMP-XYZ-1"}).json()["data"]
    assert listed[0]["attributes"]["stock_item_type"] == "temporary"


@pytest.mark.parametrize(
    ("product_id", "quantity", "attribute"),
    [
        (TENT, 0, "quantity"),
        (TENT, None, "quantity"),
        (TENT, -8, "quantity"),  # more than the 7 there are
        (DJ, 101, "quantity"),
        (DJ, -1, "quantity"),
        (DELIVERY, 1, "product_id"),
        (UNKNOWN, 1, "product_id"),
    ],
)
def test_adjustment_validation(
    bqx: Booqable, product_id: str, quantity: Any, attribute: str
) -> None:
    before = catalog_bytes(bqx)
    found = errors(adjust(bqx, product_id, quantity), 422)
    assert [e["meta"]["attribute"] for e in found] == [attribute]
    assert catalog_bytes(bqx) == before


def test_adjustment_request_errors(bqx: Booqable) -> None:
    response = adjust(bqx, TENT, 1, location_id=UNKNOWN)
    assert errors(response, 422)[0]["meta"]["attribute"] == "location_id"
    response = adjust(bqx, TENT, 1, stock_count=3)
    assert errors(response, 400)[0]["meta"]["code"] == "unknown_attribute"
    response = adjust(bqx, TENT, "10")
    assert errors(response, 400)[0]["meta"]["code"] == "type_error"


def test_adjustments_have_no_list(bqx: Booqable) -> None:
    assert bqx.get("/stock_adjustments").status_code == 404


def test_a_new_group_gets_stock_by_adjustment(bqx: Booqable) -> None:
    group = made(bqx.create("product_groups", name="Crowd barrier"))
    [only] = group_of(bqx, group["id"])
    made(adjust(bqx, only["id"], 25), 200)
    assert stock_count(bqx, only["id"]) == 25


# ----- golden: the DOCS-HEAD examples on /api/4 -----------------------------------------------


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def test_golden_add_bulk_stock(v4: Booqable) -> None:
    ids = {
        "70fad66c-5710-4baa-8b5c-37c053fff200": TENT,
        "6badcd2f-233c-4360-87fd-d83ee972a0ab": MAIN_STORE,
    }
    got, expected = replay_v4(v4, "stock_adjustments_add_bulk_200", ids)
    assert json.dumps(got, indent=1) == json.dumps(expected, indent=1)


def test_golden_shortage(v4: Booqable) -> None:
    """A bulk product with 5 in stock, 4 of them reserved by one order, loses all 5."""
    group = made(v4.create("product_groups", name="Speaker"))
    [only] = group_of(v4, group["id"])
    made(adjust(v4, only["id"], 5), 200)
    booked = v4.book(ORDER_SHORT, product(id=only["id"], quantity=4))
    assert booked.status_code == 201, booked.text
    ids = {
        "5046c7b4-f597-4e3b-8cc2-fbdb26e612e3": only["id"],
        "fba46066-c280-4b90-8c5b-665a49e893c7": MAIN_STORE,
        "27eb795b-c0c7-466c-8c90-40d5c6025995": ORDER_SHORT,
    }
    got, expected = replay_v4(v4, "stock_adjustments_shortage_422", ids)
    assert json.dumps(got, indent=1) == json.dumps(expected, indent=1)
