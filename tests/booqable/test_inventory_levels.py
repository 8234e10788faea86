"""GET /inventory_levels: the engine's availability per product, location and period."""

from __future__ import annotations

import uuid
from typing import Any

import httpx2 as httpx
import pytest

from tests.booqable.conftest import DJ, MACBOOK, ORDER_RESERVED, TENT, Booqable
from tests.conftest import Api

PLAIN_JSON = "application/json; charset=utf-8"
CHAIR = "69a6ac18-244e-4b1e-b2e1-c88d155b51e5"  # bulk, stock 8, allow_shortage, limit 2
DELIVERY = "07a4050e-10ac-41b2-83a9-fcec3fef5b24"  # a service: no stock, no level
BUNDLE = "9bf34d16-2144-45a5-8461-ebae7bf0f4ca"
MAIN_STORE = "bb151c46-29e9-46e8-8db7-ffbe16ed7c73"  # the first fixture location
DEPOT = "2c1032d9-0535-4d1d-9b67-963e6af6b1a0"
# The seeded reserved order holds one Macbook from 1980-04-01 12:00 to 1980-05-01 12:00.
APRIL_1980 = {"filter[from]": "1980-04-02 09:00:00", "filter[till]": "1980-04-03T09:00:00Z"}
LATER = {"filter[from]": "2030-01-01T09:00:00Z", "filter[till]": "2030-01-02T09:00:00Z"}

ATTRIBUTES = [
    "item_id", "order_id", "location_id", "location_available", "location_stock_count",
    "location_plannable", "location_planned", "location_needed", "cluster_available",
    "cluster_stock_count", "cluster_plannable", "cluster_planned", "cluster_needed",
]  # fmt: skip


def levels(bq: Booqable, **params: Any) -> list[dict[str, Any]]:
    response = bq.get("/inventory_levels", params=params)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]
    return found


def figures(level: dict[str, Any], scope: str = "location") -> dict[str, int]:
    names = ("available", "stock_count", "plannable", "planned", "needed")
    return {name: level["attributes"][f"{scope}_{name}"] for name in names}


def request_error(response: httpx.Response, code: str) -> str:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == PLAIN_JSON
    error = response.json()["errors"][0]
    assert (error["code"], error["status"], error["title"]) == (
        "bad_request",
        "400",
        "Request Error",
    )
    assert error["meta"]["code"] == code
    detail: str = error["detail"]
    return detail


def test_a_level_in_the_vendors_shape(bq: Booqable) -> None:
    response = bq.get("/inventory_levels", params={**APRIL_1980, "filter[item_id]": MACBOOK})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.api+json; charset=utf-8"
    document = response.json()
    assert list(document) == ["data", "meta"]
    assert document["meta"] == {}
    [level] = document["data"]
    assert level["type"] == "inventory_levels"
    assert uuid.UUID(level["id"]).version == 5
    assert list(level["attributes"]) == ATTRIBUTES
    assert level["attributes"]["item_id"] == MACBOOK
    assert level["attributes"]["order_id"] is None
    assert level["attributes"]["location_id"] == MAIN_STORE
    assert level["relationships"] == {  # a 2022 read: links (reference §3.5 era 1)
        "item": {"links": {"related": f"api/boomerang/items/{MACBOOK}"}},
        "location": {"links": {"related": f"api/boomerang/locations/{MAIN_STORE}"}},
    }


def test_planned_stock_comes_from_the_engine(bq: Booqable) -> None:
    [booked] = levels(bq, **APRIL_1980, **{"filter[item_id]": MACBOOK})
    found = figures(booked)
    # The seeded reserved orders hold Macbooks then (how many is the seeding's business).
    assert found["stock_count"] == 10
    assert found["planned"] >= 1
    assert found["needed"] == found["planned"]
    assert found["available"] == found["plannable"] == 10 - found["planned"]
    assert figures(booked, "cluster") == found
    [free] = levels(bq, **LATER, **{"filter[item_id]": MACBOOK})
    assert figures(free) == {
        "available": 10,
        "stock_count": 10,
        "plannable": 10,
        "planned": 0,
        "needed": 0,
    }


def test_plannable_adds_the_allowed_shortage(bq: Booqable) -> None:
    [chair] = levels(bq, **LATER, **{"filter[item_id]": CHAIR})
    assert figures(chair)["available"] == 8
    assert figures(chair)["plannable"] == 10


def test_trackable_stock_counts_the_usable_stock_items(bq: Booqable) -> None:
    [dj] = levels(bq, **LATER, **{"filter[item_id]": DJ})
    assert figures(dj)["stock_count"] == 2


def test_items_without_stock_have_no_level(bq: Booqable) -> None:
    params = {**LATER, "filter[item_id]": f"{DELIVERY},{BUNDLE},{TENT}"}
    assert [lv["attributes"]["item_id"] for lv in levels(bq, **params)] == [TENT]


def test_item_ids_as_comma_list_or_array(bq: Booqable) -> None:
    comma = levels(bq, **LATER, **{"filter[item_id]": f"{TENT},{DJ}"})
    array = levels(bq, **LATER, **{"filter[item_id][]": [TENT, DJ]})
    assert [lv["attributes"]["item_id"] for lv in comma] == [TENT, DJ]
    assert array == comma


def test_without_item_filter_every_stocked_product(bq: Booqable) -> None:
    response = bq.get(
        "/inventory_levels", params={**LATER, "stats[total]": "count", "page[size]": "5"}
    )
    document = response.json()
    assert len(document["data"]) == 5
    assert document["meta"] == {"stats": {"total": {"count": 13}}}  # 15 products, 2 unstocked


def test_one_level_per_asked_location(bq: Booqable) -> None:
    found = levels(
        bq, **LATER, **{"filter[item_id]": TENT, "filter[location_id]": f"{MAIN_STORE},{DEPOT}"}
    )
    assert [lv["attributes"]["location_id"] for lv in found] == [MAIN_STORE, DEPOT]
    assert found[0]["id"] != found[1]["id"]
    unknown = levels(
        bq, **LATER, **{"filter[item_id]": TENT, "filter[location_id]": str(uuid.uuid4())}
    )
    assert unknown == []


def test_ids_are_derived_from_the_question(bq: Booqable, api: Api) -> None:
    params = {**LATER, "filter[item_id]": TENT}
    first = levels(bq, **params)[0]["id"]
    assert levels(bq, **params)[0]["id"] == first
    other = Booqable(Api(api.client, f"{api.namespace}-other"))
    assert levels(other, **params)[0]["id"] == first
    moved = {**params, "filter[till]": "2030-01-03T09:00:00Z"}
    assert levels(bq, **moved)[0]["id"] != first


def test_levels_of_an_orders_items(bq: Booqable) -> None:
    found = levels(bq, **APRIL_1980, **{"filter[order_id]": ORDER_RESERVED})
    assert [lv["attributes"]["item_id"] for lv in found] == [MACBOOK]
    assert found[0]["attributes"]["order_id"] == ORDER_RESERVED


def test_include_item_and_location(bq: Booqable) -> None:
    document = bq.get(
        "/inventory_levels",
        params={**LATER, "filter[item_id]": TENT, "include": "item,location"},
    ).json()
    relationships = document["data"][0]["relationships"]
    assert relationships["item"] == {
        "links": {"related": f"api/boomerang/items/{TENT}"},
        "data": {"type": "products", "id": TENT},
    }
    assert relationships["location"] == {
        "links": {"related": f"api/boomerang/locations/{MAIN_STORE}"},
        "data": {"type": "locations", "id": MAIN_STORE},
    }
    assert [(i["type"], i["id"]) for i in document["included"]] == [
        ("products", TENT),
        ("locations", MAIN_STORE),
    ]


def test_sort_and_sparse_fields(bq: Booqable) -> None:
    found = levels(
        bq,
        **LATER,
        **{
            "filter[item_id]": f"{TENT},{MACBOOK},{CHAIR}",
            "sort": "-location_stock_count",
            "fields[inventory_levels]": "item_id,location_stock_count",
        },
    )
    assert [lv["attributes"] for lv in found] == [
        {"item_id": MACBOOK, "location_stock_count": 10},
        {"item_id": CHAIR, "location_stock_count": 8},
        {"item_id": TENT, "location_stock_count": 7},
    ]


@pytest.mark.parametrize("prefix", ["/api/boomerang", "/api/4"])
def test_both_prefixes(api: Api, prefix: str) -> None:
    response = Booqable(api, prefix).get(
        "/inventory_levels", params={**LATER, "filter[item_id]": TENT}
    )
    assert response.status_code == 200


# --- errors ---------------------------------------------------------------------------------


def test_from_and_till_are_required(bq: Booqable) -> None:
    detail = request_error(bq.get("/inventory_levels"), "required_filter")
    assert detail == (
        'The required filters "from, till" on resource InventoryLevelResource were not provided'
    )
    only_from = bq.get("/inventory_levels", params={"filter[from]": LATER["filter[from]"]})
    assert request_error(only_from, "required_filter") == (
        'The required filter "till" on resource InventoryLevelResource was not provided'
    )


def test_unknown_filter_is_400(bq: Booqable) -> None:
    response = bq.get("/inventory_levels", params={**LATER, "filter[status]": "in_stock"})
    assert "status" in request_error(response, "invalid_filter")


def test_only_eq_is_supported(bq: Booqable) -> None:
    params = {"filter[from][gte]": "2030-01-01T09:00:00Z", "filter[till]": "2030-01-02T09:00:00Z"}
    request_error(bq.get("/inventory_levels", params=params), "invalid_filter")


@pytest.mark.parametrize("value", ["yesterday", "2030-13-01T00:00:00Z"])
def test_failed_typecasting_is_400(bq: Booqable, value: str) -> None:
    response = bq.get("/inventory_levels", params={**LATER, "filter[from]": value})
    assert "failed typecasting" in request_error(response, "failed_typecasting")


def test_till_must_follow_from(bq: Booqable) -> None:
    params = {"filter[from]": LATER["filter[till]"], "filter[till]": LATER["filter[from]"]}
    request_error(bq.get("/inventory_levels", params=params), "invalid_filter")


def test_unauthorized_without_a_key(api: Api) -> None:
    response = api.get("/api/boomerang/inventory_levels", params=LATER)
    assert response.status_code == 401
