"""GET /inventory_availabilities and /order_planning_availabilities, from the engine's state."""

from __future__ import annotations

import re
from typing import Any

import httpx2 as httpx
import pytest

from tests.booqable.conftest import MACBOOK, ORDER_RESERVED, TENT, Booqable, product
from tests.booqable.docs_catalog import (
    bundle,
    bundle_item,
    golden,
    group,
    location,
    same,
    use_catalog,
)
from tests.conftest import Api

PLAIN_JSON = "application/json; charset=utf-8"
MAIN_STORE = "bb151c46-29e9-46e8-8db7-ffbe16ed7c73"
CHAIR = "69a6ac18-244e-4b1e-b2e1-c88d155b51e5"  # bulk, stock 8, shortage limit 2
DELIVERY = "07a4050e-10ac-41b2-83a9-fcec3fef5b24"  # a service: no stock
KIT = "9bf34d16-2144-45a5-8461-ebae7bf0f4ca"  # 1 Macbook + delivery
APRIL_1980 = {"filter[from]": "1980-04-02T09:00:00Z", "filter[till]": "1980-04-03T09:00:00Z"}
LATER = {"filter[from]": "2030-01-01 09:00:00", "filter[till]": "2030-01-02 09:00:00"}
GROUP = "5b0a4f31-8d0e-4c42-9a57-0a7f0f3e6a10"
OTHER_GROUP = "5b0a4f31-8d0e-4c42-9a57-0a7f0f3e6a11"


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def availability(bq: Booqable, *items: str, **params: str) -> dict[str, tuple[int, int]]:
    query = {**params, "filter[item_id]": ",".join(items), "filter[location_id]": MAIN_STORE}
    response = bq.get("/inventory_availabilities", params=query)
    assert response.status_code == 200, response.text
    return {
        r["attributes"]["item_id"]: (r["attributes"]["available"], r["attributes"]["plannable"])
        for r in response.json()["data"]
    }


def request_error(response: httpx.Response, code: str) -> str:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == PLAIN_JSON
    [error] = response.json()["errors"]
    assert (error["code"], error["status"], error["title"]) == (
        "bad_request",
        "400",
        "Request Error",
    )
    assert error["meta"]["code"] == code
    detail: str = error["detail"]
    return detail


def not_found(response: httpx.Response) -> None:
    assert response.status_code == 404, response.text
    assert response.json() == {
        "errors": [
            {"code": "resources_not_found", "status": "404", "title": "Resource(s) not found"}
        ]
    }


def _ids(value: Any) -> set[str]:
    return set(re.findall(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}", str(value)))


def _path(name: str) -> str:
    return str(golden(name)["path"]).removeprefix("/api/4")


# ----- inventory availabilities: the docs' examples ----------------------------------------


def _replay(v4: Booqable, name: str, catalog: dict[str, Any]) -> None:
    use_catalog(v4, catalog)
    response = v4.get(_path(name))
    assert response.status_code == 200, response.text
    same(response.json(), golden(name)["response"], _ids(catalog))


def test_the_single_product_example(v4: Booqable) -> None:
    catalog = {
        "product_groups": [group(GROUP, "2509b56a-90aa-4713-82ae-3494a102e48a", "Tent")],
        "locations": [location("e27b9b57-dc61-4fd7-8605-c0e7e763d985")],
    }
    _replay(v4, "inventory_availabilities_single_200", catalog)


def test_the_multiple_products_example(v4: Booqable) -> None:
    catalog = {
        "product_groups": [
            group(GROUP, "fe19079c-1da4-42ae-8ca6-d49f9050d3b5", "Tent"),
            group(OTHER_GROUP, "4af1f1f3-0bfd-42ac-829c-7c3689d01f0a", "Chair"),
        ],
        "locations": [location("bf398e27-c89a-40f3-8746-fb58f4c37035")],
    }
    _replay(v4, "inventory_availabilities_multiple_200", catalog)


def test_the_bundle_configuration_example(v4: Booqable) -> None:
    variations = group(GROUP, "029c12e7-9185-4a6f-850a-3886a4e61c14", "Speaker")
    variations["has_variations"] = True
    catalog = {
        "product_groups": [variations],
        "bundles": [
            bundle(
                "7cb98cae-603f-4077-835a-9b2ff696942e",
                "Sound kit",
                bundle_item("f44843a5-a88e-42f0-8367-813ef78e6655", GROUP, None),
            )
        ],
        "locations": [location("98400282-2c37-44df-8002-831789622118")],
    }
    _replay(v4, "inventory_availabilities_bundle_configuration_200", catalog)


# ----- inventory availabilities: live counts ---------------------------------------------------


def test_counts_follow_the_bookings(v4: Booqable) -> None:
    """The seeded reserved order holds one Macbook over April 1980; later it is free."""
    assert availability(v4, MACBOOK, **APRIL_1980) == {MACBOOK: (9, 9)}
    assert availability(v4, MACBOOK, **LATER) == {MACBOOK: (10, 10)}
    assert v4.book(ORDER_RESERVED, product(id=MACBOOK, quantity=4)).status_code == 201
    assert availability(v4, MACBOOK, **APRIL_1980) == {MACBOOK: (5, 5)}
    assert availability(v4, MACBOOK, **LATER) == {MACBOOK: (10, 10)}


def test_plannable_adds_the_allowed_shortage(v4: Booqable) -> None:
    assert availability(v4, CHAIR, **LATER) == {CHAIR: (8, 10)}


def test_counts_are_never_negative(v4: Booqable) -> None:
    """A confirmed shortage takes more than the stock: nothing is available."""
    booked = v4.book(ORDER_RESERVED, product(id=CHAIR, quantity=10), confirm_shortage=True)
    assert booked.status_code == 201, booked.text
    assert availability(v4, CHAIR, **APRIL_1980) == {CHAIR: (0, 0)}


def test_a_bundle_is_its_scarcest_item(v4: Booqable) -> None:
    """The kit: a Macbook (stock 10, 1 out in April 1980) and a delivery (no stock)."""
    assert availability(v4, KIT, **APRIL_1980) == {KIT: (9, 9)}


def test_items_without_stock_are_left_out(v4: Booqable) -> None:
    assert availability(v4, DELIVERY, TENT, **LATER) == {TENT: (7, 7)}


def test_records_come_sorted_by_item_id(v4: Booqable) -> None:
    response = v4.get(
        "/inventory_availabilities",
        params={**LATER, "filter[item_id]": f"{TENT},{MACBOOK}", "filter[location_id]": MAIN_STORE},
    )
    records = response.json()["data"]
    assert [r["attributes"]["item_id"] for r in records] == sorted([TENT, MACBOOK])
    assert all(set(r) == {"id", "type", "attributes"} for r in records)
    assert all(r["id"][14] == "5" for r in records)


def test_the_array_form(v4: Booqable) -> None:
    response = v4.get(
        f"/inventory_availabilities?filter[item_id][]={TENT}&filter[item_id][]={MACBOOK}"
        f"&filter[location_id]={MAIN_STORE}&filter[from]=2030-01-01&filter[till]=2030-01-02"
    )
    assert len(response.json()["data"]) == 2


def test_the_boomerang_path_answers_too(bq: Booqable) -> None:
    assert availability(bq, TENT, **LATER) == {TENT: (7, 7)}


# ----- inventory availabilities: bad input ------------------------------------------------------


def test_every_filter_but_configuration_is_required(v4: Booqable) -> None:
    assert request_error(v4.get("/inventory_availabilities"), "required_filter") == (
        'The required filters "from, item_id, location_id, till" on resource '
        "InventoryAvailabilityResource were not provided"
    )
    params = {**LATER, "filter[item_id]": TENT}
    assert request_error(v4.get("/inventory_availabilities", params=params), "required_filter") == (
        'The required filter "location_id" on resource InventoryAvailabilityResource '
        "was not provided"
    )


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"filter[from]": "tomorrow"}, "failed_typecasting"),
        ({"filter[till]": "2029-01-01T00:00:00Z"}, "invalid_filter"),
        ({"filter[item_id][not_eq]": TENT}, "invalid_filter"),
        ({"filter[status]": "in_stock"}, "invalid_filter"),
        ({"filter[configuration][nothing]": TENT}, "invalid_filter"),
        ({"include": "item"}, "invalid_include"),
    ],
)
def test_bad_filters_are_graphiti_400s(v4: Booqable, params: dict[str, str], code: str) -> None:
    query = {**LATER, "filter[item_id]": TENT, "filter[location_id]": MAIN_STORE, **params}
    request_error(v4.get("/inventory_availabilities", params=query), code)


def test_a_configuration_must_name_a_product_of_the_item(v4: Booqable) -> None:
    kit_macbook = "083f7c4f-7974-434e-865a-7cf371f9c2d3"
    query = {
        **LATER,
        "filter[item_id]": KIT,
        "filter[location_id]": MAIN_STORE,
        f"filter[configuration][{kit_macbook}]": TENT,
    }
    request_error(v4.get("/inventory_availabilities", params=query), "invalid_filter")
    query[f"filter[configuration][{kit_macbook}]"] = MACBOOK
    assert v4.get("/inventory_availabilities", params=query).status_code == 200


@pytest.mark.parametrize(
    ("item", "place"),
    [("00000000-0000-4000-8000-000000000000", MAIN_STORE), (TENT, TENT)],
)
def test_unknown_items_and_locations_are_404(v4: Booqable, item: str, place: str) -> None:
    query = {**LATER, "filter[item_id]": item, "filter[location_id]": place}
    not_found(v4.get("/inventory_availabilities", params=query))


# ----- order planning availabilities -------------------------------------------------------------


def _order(order_id: str, status: str, *items: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": order_id,
        "created_at": "2024-10-21T09:29:00+00:00",  # (seeding needs it: not in the schema's
        "updated_at": "2024-10-21T09:29:00+00:00",  # `required`, reported)
        "status": status,
        "starts_at": "2030-01-01T09:00:00+00:00",
        "stops_at": "2030-01-03T09:00:00+00:00",
        "customer_id": None,
        "items": list(items),
    }


def test_the_product_example(v4: Booqable) -> None:
    name = "order_planning_availabilities_product_200"
    order_id = "c4a20067-f418-4f6b-878b-dc836a1be672"
    product_id = "578fab68-0000-4de2-8087-050726faf100"
    catalog = {
        "product_groups": [group(GROUP, product_id, "Chair", stock=10)],
        "orders": [_order(order_id, "reserved", {"product_id": product_id, "quantity": 2})],
    }
    _replay(v4, name, catalog)


def test_the_bundle_example(v4: Booqable) -> None:
    """A bundle of 2 chairs (stock 10) booked once: the bundle 5 sets, 4 free; chairs 10, 8."""
    order_id = "86cf4f6c-e110-4f4c-864b-bd56a15df8cb"
    chair, kit = "aa3ed5fb-0000-4f03-8f07-4ef053626700", "d2dfb182-0000-4d17-85a7-baf393575700"
    catalog = {
        "product_groups": [group(GROUP, chair, "Chair", stock=10)],
        "bundles": [
            bundle(
                kit,
                "Two chairs",
                bundle_item("f44843a5-0000-42f0-8367-813ef78e6600", GROUP, chair, 2),
            )
        ],
        "orders": [_order(order_id, "reserved")],
    }
    use_catalog(v4, catalog)
    assert v4.book(order_id, {"type": "bundles", "id": kit, "quantity": 1}).status_code == 201
    response = v4.get(_path("order_planning_availabilities_bundle_200"))
    assert response.status_code == 200, response.text
    same(
        response.json(),
        golden("order_planning_availabilities_bundle_200")["response"],
        _ids(catalog),
    )


def test_the_example_without_plannings(v4: Booqable) -> None:
    order_id = "6ffeda8c-b0af-4303-8b84-2e55b397ab9a"
    _replay(
        v4,
        "order_planning_availabilities_no_plannings_200",
        {"orders": [_order(order_id, "concept")]},
    )


def test_the_seed_order_and_its_bookings(v4: Booqable) -> None:
    def counts() -> dict[str, Any]:
        response = v4.get(
            "/order_planning_availabilities", params={"filter[order_id]": ORDER_RESERVED}
        )
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        assert set(data) == {"id", "type", "attributes"}
        assert data["id"] == ORDER_RESERVED
        return {
            v4.get(f"/plannings/{p}").json()["data"]["attributes"]["item_id"]: a["location"]
            for p, a in data["attributes"]["available"].items()
        }

    assert counts() == {MACBOOK: {"stock_count": 10, "available": 9, "plannable": 9}}
    booked = v4.book(ORDER_RESERVED, product(id=TENT, quantity=3), product(id=DELIVERY, quantity=1))
    assert booked.status_code == 201, booked.text
    assert counts() == {
        MACBOOK: {"stock_count": 10, "available": 9, "plannable": 9},
        TENT: {"stock_count": 7, "available": 4, "plannable": 4},
    }  # the delivery (no stock) is left out


def test_an_order_is_required_and_must_exist(v4: Booqable) -> None:
    assert request_error(v4.get("/order_planning_availabilities"), "required_filter") == (
        'The required filter "order_id" on resource OrderPlanningAvailabilityResource was not '
        "provided"
    )
    not_found(v4.get("/order_planning_availabilities", params={"filter[order_id]": TENT}))
    params = {"filter[order_id]": f"{ORDER_RESERVED},{ORDER_RESERVED}"}
    request_error(v4.get("/order_planning_availabilities", params=params), "invalid_filter")
