"""Coupons (DOCS-HEAD `coupons`): the resource, and an order's `coupon_id` in its totals.

The fixture order 09d04c6d: 80250 of lines, 10 % order discount (8025), VAT 21 %.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.booqable.conftest import Booqable
from tests.conftest import Api

ORDER = "09d04c6d-779b-444e-ab5c-d4567a5a8f72"
SUMMER = "631bea2b-3cb8-4bbd-819d-7cb0257b110e"  # 20 %
WINTER = "e2ba40bf-54f7-422e-844e-5d36bacd5bfa"  # 2000 cents
UNKNOWN = "00000000-0000-4000-8000-000000000000"
NOW = "2025-01-29T07:55:53.000000+00:00"
ATTRIBUTES = [
    "created_at", "updated_at", "archived", "archived_at", "identifier", "coupon_type", "value",
    "active", "starts_at", "ends_at", "eligible_item_type", "max_redemptions",
    "one_per_customer", "minimum_order_amount_in_cents", "stackable", "tag_list",
    "redemptions_count",
]  # fmt: skip
TOTALS = (
    "coupon_discount_in_cents", "total_discount_in_cents", "grand_total_in_cents",
    "tax_in_cents", "grand_total_with_tax_in_cents",
)  # fmt: skip


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def totals(bq: Booqable) -> tuple[int, ...]:
    attributes = bq.get(f"/orders/{ORDER}").json()["data"]["attributes"]
    return tuple(attributes[name] for name in TOTALS)


def apply(bq: Booqable, coupon: str | None) -> Any:
    body = {"data": {"id": ORDER, "type": "orders", "attributes": {"coupon_id": coupon}}}
    return bq.put(f"/orders/{ORDER}", json=body)


def update(bq: Booqable, ident: str, **attributes: Any) -> Any:
    body = {"data": {"id": ident, "type": "coupons", "attributes": attributes}}
    return bq.put(f"/coupons/{ident}", json=body)


def test_the_fixture_coupons_list_in_the_docs_order(v4: Booqable) -> None:
    listed = v4.get("/coupons", params={"sort": "identifier"}).json()["data"]
    assert [c["attributes"]["identifier"] for c in listed] == ["SUMMER20OFF", "WINTERDISCOUNT"]
    assert list(listed[0]["attributes"]) == ATTRIBUTES
    assert listed[0]["relationships"] == {}
    found = v4.get("/coupons", params={"filter[identifier]": "summer20off"}).json()["data"]
    assert [c["id"] for c in found] == [SUMMER]


def test_a_percentage_coupon_on_the_order(v4: Booqable) -> None:
    assert totals(v4) == (0, 8025, 72225, 15167, 87392)
    response = apply(v4, SUMMER)
    assert response.status_code == 200, response.text
    # 20 % of what the order discount leaves (72225); tax on what both leave: 57780 * 21 %.
    assert totals(v4) == (14445, 22470, 57780, 12134, 69914)
    shown = v4.get(f"/orders/{ORDER}", params={"include": "coupon"}).json()
    assert shown["data"]["relationships"]["coupon"]["data"] == {"type": "coupons", "id": SUMMER}
    assert shown["included"][0]["attributes"]["identifier"] == "SUMMER20OFF"
    apply(v4, None)
    assert totals(v4) == (0, 8025, 72225, 15167, 87392)


def test_a_cents_coupon_on_the_order(api: Api) -> None:
    bq = Booqable(api)  # the 2022 path shows the same totals
    assert apply(bq, WINTER).status_code == 200
    assert totals(bq) == (2000, 10025, 70225, 14747, 84972)


def test_an_unknown_coupon_is_refused(v4: Booqable) -> None:
    response = apply(v4, UNKNOWN)
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"]["pointer"] == "/data/attributes/coupon_id"
    assert totals(v4) == (0, 8025, 72225, 15167, 87392)


def test_create_as_the_docs_show_it(v4: Booqable) -> None:
    response = v4.create(
        "coupons", identifier="WINTERDEAL", coupon_type="cents", value=2000, active=True
    )
    assert response.status_code == 201, response.text
    attributes = response.json()["data"]["attributes"]
    assert attributes == {
        "created_at": NOW, "updated_at": NOW, "archived": False, "archived_at": None,
        "identifier": "WINTERDEAL", "coupon_type": "cents", "value": 2000, "active": True,
        "starts_at": None, "ends_at": None, "eligible_item_type": "all",
        "max_redemptions": None, "one_per_customer": False,
        "minimum_order_amount_in_cents": None, "stackable": True, "tag_list": [],
        "redemptions_count": 0,
    }  # fmt: skip
    dated = v4.create(
        "coupons",
        identifier="DATED",
        coupon_type="percentage",
        value=5,
        starts_at="2025-02-01T13:45:00Z",
        ends_at="2025-02-03T08:00:00Z",
    ).json()["data"]["attributes"]
    assert dated["starts_at"] == "2025-02-01T00:00:00.000000+00:00"  # start of its day
    assert dated["ends_at"] == "2025-02-03T23:59:59.000000+00:00"  # end of its day


@pytest.mark.parametrize(
    ("attributes", "errors"),
    [
        ({}, [("identifier", "can't be blank"), ("coupon_type", "can't be blank"),
              ("value", "can't be blank")]),
        ({"identifier": "X", "coupon_type": "free", "value": 1},
         [("coupon_type", "is not included in the list")]),
        ({"identifier": "X", "coupon_type": "percentage", "value": 101},
         [("value", "must be less than or equal to 100")]),
        ({"identifier": "X", "coupon_type": "cents", "value": 0},
         [("value", "must be greater than 0")]),
        ({"identifier": "summer20off", "coupon_type": "cents", "value": 1},
         [("identifier", "has already been taken")]),
    ],
)  # fmt: skip
def test_invalid_coupons_are_422(
    v4: Booqable, attributes: dict[str, Any], errors: list[tuple[str, str]]
) -> None:
    response = v4.create("coupons", **attributes)
    assert response.status_code == 422, response.text
    found = [(e["meta"]["attribute"], e["meta"]["message"]) for e in response.json()["errors"]]
    assert found == errors
    assert len(v4.get("/coupons").json()["data"]) == 2


def test_an_unknown_attribute_is_400(v4: Booqable) -> None:
    response = v4.create("coupons", identifier="X", coupon_type="cents", value=1, colour="red")
    assert response.status_code == 400
    assert response.json()["errors"][0]["detail"] == (
        "data.attributes.colour is an unknown attribute"
    )


def test_only_active_and_tags_change(v4: Booqable) -> None:
    response = update(v4, SUMMER, active=False, tag_list=["seasonal"])
    assert response.status_code == 200, response.text
    attributes = response.json()["data"]["attributes"]
    assert (attributes["active"], attributes["tag_list"]) == (False, ["seasonal"])
    assert update(v4, SUMMER, value=20).status_code == 200  # the same value is no change
    refused = update(v4, SUMMER, value=30, identifier="NEW")
    assert refused.status_code == 422
    assert [e["meta"]["attribute"] for e in refused.json()["errors"]] == ["value", "identifier"]
    assert v4.get(f"/coupons/{SUMMER}").json()["data"]["attributes"]["value"] == 20


def test_archive_keeps_the_coupon_listed(v4: Booqable) -> None:
    response = v4.delete(f"/coupons/{WINTER}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    attributes = response.json()["data"]["attributes"]
    assert (attributes["archived"], attributes["archived_at"]) == (True, NOW)
    archived = v4.get("/coupons", params={"filter[archived]": "true"}).json()["data"]
    assert [c["id"] for c in archived] == [WINTER]
    # Its code is free again.
    again = v4.create("coupons", identifier="WINTERDISCOUNT", coupon_type="cents", value=1)
    assert again.status_code == 201


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_unknown_coupons_are_404(v4: Booqable, method: str) -> None:
    body = {"data": {"type": "coupons", "attributes": {}}}
    response = v4.request(method, f"/coupons/{UNKNOWN}", json=body if method == "PUT" else None)
    assert response.status_code == 404


def test_an_inactive_or_archived_coupon_is_not_applied(v4: Booqable) -> None:
    before = totals(v4)
    assert update(v4, SUMMER, active=False).status_code == 200
    refused = apply(v4, SUMMER)
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["source"] == {"pointer": "/data/attributes/coupon_id"}
    assert error["meta"]["code"] == "inactive"
    assert totals(v4) == before  # nothing applied
    assert v4.delete(f"/coupons/{WINTER}").status_code == 200
    assert apply(v4, WINTER).status_code == 422


def test_a_coupon_on_the_order_stays_when_it_is_switched_off(v4: Booqable) -> None:
    assert apply(v4, SUMMER).status_code == 200
    applied = totals(v4)
    assert update(v4, SUMMER, active=False).status_code == 200
    body = {"data": {"id": ORDER, "type": "orders", "attributes": {"coupon_id": SUMMER}}}
    assert v4.put(f"/orders/{ORDER}", json=body).status_code == 200  # the same coupon again
    assert totals(v4) == applied
