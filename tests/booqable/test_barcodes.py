"""Barcodes (CRUD) and properties (read through their owner), with the orders' relationships."""

from __future__ import annotations

from typing import Any

import pytest

from tests.booqable.conftest import Booqable
from tests.conftest import Api

ORDER = "09d04c6d-779b-444e-ab5c-d4567a5a8f72"  # has a QR code in the fixtures
ORDER_NEW = "23d2a4fd-a6bb-4232-a268-e261a0307077"
JANE = "7e40e65d-089a-4ea0-978a-3482451bdbd2"
ORDER_QR = "ac988a7e-ebdc-45af-8638-9783aeb4594e"
TENT_EAN = "9882a0de-d425-4c34-8a53-f65dd35dd375"
UNKNOWN = "00000000-0000-4000-8000-000000000000"
ATTRIBUTES = [
    "created_at", "updated_at", "number", "barcode_type", "image_url", "owner_id", "owner_type",
]  # fmt: skip


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def errors(response: Any) -> list[tuple[str, str]]:
    return [(e["meta"]["attribute"], e["meta"]["message"]) for e in response.json()["errors"]]


def test_find_an_owner_by_its_number(v4: Booqable) -> None:
    listed = v4.get(
        "/barcodes", params={"filter[number]": "8712345678906", "include": "owner"}
    ).json()
    assert [b["id"] for b in listed["data"]] == [TENT_EAN]
    assert list(listed["data"][0]["attributes"]) == ATTRIBUTES
    assert listed["included"][0]["type"] == "products"


def test_an_orders_barcode_includes(api: Api) -> None:
    for prefix in ("/api/boomerang", "/api/4"):
        shown = Booqable(api, prefix).get(f"/orders/{ORDER}", params={"include": "barcode"})
        body = shown.json()
        assert body["data"]["relationships"]["barcode"]["data"] == {
            "type": "barcodes",
            "id": ORDER_QR,
        }
        assert body["included"][0]["attributes"]["barcode_type"] == "qr_code"


def test_create_update_destroy(v4: Booqable) -> None:
    created = v4.create("barcodes", barcode_type="qr_code", owner_id=ORDER_NEW, owner_type="orders")
    assert created.status_code == 201, created.text
    data = created.json()["data"]
    assert data["attributes"]["number"] == f"http://bqbl.it/{data['id']}"
    assert data["attributes"]["image_url"].endswith(f"/barcodes/{data['id']}/image")
    body = {"data": {"id": data["id"], "type": "barcodes", "attributes": {"number": "ABC-1"}}}
    updated = v4.put(f"/barcodes/{data['id']}", json=body)
    assert updated.json()["data"]["attributes"]["number"] == "ABC-1"
    deleted = v4.delete(f"/barcodes/{data['id']}")
    assert deleted.status_code == 200
    assert deleted.json()["data"]["attributes"]["number"] == "ABC-1"
    assert v4.get(f"/barcodes/{data['id']}").status_code == 404
    assert v4.delete(f"/barcodes/{data['id']}").status_code == 404


@pytest.mark.parametrize(
    ("attributes", "found"),
    [
        ({"barcode_type": "ean13", "number": "123", "owner_id": ORDER_NEW, "owner_type": "orders"},
         [("number", "is not a valid ean13 number")]),
        ({"barcode_type": "code39", "owner_id": ORDER_NEW, "owner_type": "orders"},
         [("number", "can't be blank")]),
        ({"barcode_type": "qr_code", "owner_id": UNKNOWN, "owner_type": "orders"},
         [("owner", "must exist")]),
        ({"barcode_type": "qr_code", "owner_id": ORDER_NEW, "owner_type": "carts"},
         [("owner_type", "is not included in the list")]),
        ({"barcode_type": "ean13", "number": "8712345678906", "owner_id": JANE,
          "owner_type": "customers"},
         [("number", "has already been taken"), ("owner_id", "has already been taken")]),
    ],
)  # fmt: skip
def test_invalid_barcodes_are_422(
    v4: Booqable, attributes: dict[str, Any], found: list[tuple[str, str]]
) -> None:
    response = v4.create("barcodes", **attributes)
    assert response.status_code == 422, response.text
    assert errors(response) == found
    assert len(v4.get("/barcodes").json()["data"]) == 4


def test_the_owner_is_readonly_after_create(v4: Booqable) -> None:
    body = {"data": {"id": ORDER_QR, "type": "barcodes", "attributes": {"owner_id": JANE}}}
    response = v4.put(f"/barcodes/{ORDER_QR}", json=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["detail"] == "data.attributes.owner_id cannot be written"


def test_properties_are_read_through_their_owner(v4: Booqable) -> None:
    written = {"properties_attributes": [{"identifier": "phone", "value": "+316000000"}]}
    body = {"data": {"id": ORDER, "type": "orders", "attributes": written}}
    assert v4.put(f"/orders/{ORDER}", json=body).status_code == 200
    listed = v4.get("/properties", params={"filter[owner_id]": ORDER}).json()["data"]
    assert len(listed) == 1
    attributes = listed[0]["attributes"]
    assert (attributes["identifier"], attributes["value"]) == ("phone", "+316000000")
    assert (attributes["name"], attributes["property_type"]) == ("Phone", "text_field")
    shown = v4.get(f"/orders/{ORDER}", params={"include": "properties"}).json()
    assert shown["data"]["relationships"]["properties"]["data"] == [
        {"type": "properties", "id": listed[0]["id"]}
    ]
    one = v4.get(f"/properties/{listed[0]['id']}", params={"include": "owner"}).json()
    assert one["included"][0]["id"] == ORDER
    assert v4.get(f"/properties/{UNKNOWN}").status_code == 404
