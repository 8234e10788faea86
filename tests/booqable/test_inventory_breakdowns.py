"""`GET /inventory_breakdowns` (DOCS-2024, DOCS-HEAD): stock by product, location, status and
type on the namespace clock, its filters and stats; the docs' three examples replayed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.booqable.conftest import DJ, IPAD, ORDER_RESERVED, TENT, Booqable, product
from tests.booqable.docs_catalog import STAMP, golden, group, location, same, use_catalog
from tests.booqable.test_catalog_writes import MAIN_STORE, errors
from tests.conftest import Api

CAMERA = "a2d96edf-7d8b-42de-9897-e5aee335f3ca"  # R6: 3 in stock, 1 expected, 1 expired
CAMERA_GROUP = "0f5e4c61-0a6c-4b8e-9d0c-4b9a0f8e8c2a"
AMSTERDAM = "2c1032d9-0535-4d1d-9b67-963e6af6b1a0"
IPAD_A = "a43e5ab2-a414-4907-a892-2c1eb867b084"  # trackable, 3 items in Amsterdam
DJ_ITEMS = ("6ca9c502-4844-4b54-b7cb-4425d411bbe4", "396724af-2cc9-44d7-945f-2dc10ce9cbd8")
DELIVERY = "07a4050e-10ac-41b2-83a9-fcec3fef5b24"  # a service: no stock
PATH = "/inventory_breakdowns"


@pytest.fixture(params=["/api/boomerang", "/api/4"])
def bqx(api: Api, request: pytest.FixtureRequest) -> Booqable:
    return Booqable(api, prefix=request.param)


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def breakdowns(bq: Booqable, status: str = "in_stock", **params: str) -> list[dict[str, Any]]:
    response = bq.get(PATH, params={"filter[status]": status, **params})
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]
    return found


def of(found: list[dict[str, Any]], product_id: str) -> list[dict[str, Any]]:
    return [b["attributes"] for b in found if b["attributes"]["product_id"] == product_id]


def test_bulk_stock_is_one_regular_record_at_the_first_location(bqx: Booqable) -> None:
    [tent] = of(breakdowns(bqx), TENT)
    assert tent == {
        "stock_count": 7,
        "started": 0,
        "downtime_count": 0,
        "status": "in_stock",
        "inventory_breakdown_type": "regular",
        "location_id": MAIN_STORE,
        "product_id": TENT,
    }


def test_stock_items_count_by_status_and_location(bqx: Booqable) -> None:
    """The fixtures' R6 cameras: 3 in stock, one expected in 2030, one expired in 2021 and
    one archived (not counted); the Amsterdam iPads at their own location."""
    assert [b["stock_count"] for b in of(breakdowns(bqx), CAMERA)] == [3]
    [expected] = of(breakdowns(bqx, "expected"), CAMERA)
    assert expected["stock_count"] == 1
    assert expected["from"].startswith("2030-01-01T09:00:00")
    assert "till" not in expected
    assert "started" not in expected
    [expired] = of(breakdowns(bqx, "expired"), CAMERA)
    assert (expired["stock_count"], expired["inventory_breakdown_type"]) == (1, "temporary")
    assert expired["till"].startswith("2021-07-01T09:00:00")
    assert "from" not in expired
    [ipads] = of(breakdowns(bqx), IPAD_A)
    assert (ipads["location_id"], ipads["stock_count"]) == (AMSTERDAM, 3)
    assert of(breakdowns(bqx), DELIVERY) == []  # no stock of its own


def test_statuses_follow_the_namespace_clock(bqx: Booqable) -> None:
    moved = bqx.api.put("/_sandbox/clock", json={"now": "2030-06-01T00:00:00Z"})
    assert moved.status_code == 200, moved.text
    assert [b["stock_count"] for b in of(breakdowns(bqx), CAMERA)] == [4]
    assert of(breakdowns(bqx, "expected"), CAMERA) == []


def _fulfil(bq: Booqable, *actions: dict[str, Any]) -> None:
    body = {
        "data": {
            "type": "order_fulfillments",
            "attributes": {"order_id": ORDER_RESERVED, "actions": list(actions)},
        }
    }
    response = bq.post("/order_fulfillments", json=body)
    assert response.status_code == 200, response.text


def test_started_counts_what_is_out_with_customers(bqx: Booqable) -> None:
    booked = bqx.book(
        ORDER_RESERVED, product(id=TENT, quantity=2), product(id=DJ, stock_item_ids=[DJ_ITEMS[0]])
    )
    assert booked.status_code == 201, booked.text
    _fulfil(
        bqx,
        {"action": "start_product", "product_id": TENT, "quantity": 2},
        {"action": "start_stock_items", "product_id": DJ, "stock_item_ids": [DJ_ITEMS[0]]},
    )
    found = breakdowns(bqx)
    assert [(b["stock_count"], b["started"]) for b in of(found, TENT)] == [(7, 2)]
    assert [(b["stock_count"], b["started"]) for b in of(found, DJ)] == [(2, 1)]
    _fulfil(bqx, {"action": "stop_product", "product_id": TENT, "quantity": 1})
    assert [b["started"] for b in of(breakdowns(bqx), TENT)] == [1]


def test_an_archived_stock_item_is_not_counted(bqx: Booqable) -> None:
    body = {
        "data": {"type": "stock_item_archivations", "attributes": {"stock_item_id": DJ_ITEMS[0]}}
    }
    assert bqx.post("/stock_item_archivations", json=body).status_code == 200
    assert [b["stock_count"] for b in of(breakdowns(bqx), DJ)] == [1]


def test_filters(bqx: Booqable) -> None:
    everything = breakdowns(bqx)
    only_tent = breakdowns(bqx, **{"filter[product_id]": TENT})
    assert [b["attributes"]["product_id"] for b in only_tent] == [TENT]
    in_amsterdam = breakdowns(bqx, **{"filter[location_id]": AMSTERDAM})
    assert {b["attributes"]["product_id"] for b in in_amsterdam} == {IPAD_A}
    both = breakdowns(bqx, "in_stock,expired", **{"filter[product_id]": CAMERA})
    assert [b["attributes"]["status"] for b in both] == ["in_stock", "expired"]
    temporary = breakdowns(bqx, "expired", **{"filter[inventory_breakdown_type]": "temporary"})
    assert [b["attributes"]["product_id"] for b in temporary] == [CAMERA]
    ipad_group = bqx.get(f"/products/{IPAD}").json()["data"]["attributes"]["product_group_id"]
    grouped = breakdowns(bqx, **{"filter[product_group_id]": ipad_group})
    assert [b["attributes"]["product_id"] for b in grouped] == [IPAD]
    assert len(everything) > len(grouped)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("", "required_filter"),
        ("filter[status]=in_stock&filter[stock_count]=3", "invalid_filter"),
        ("filter[status][not_eq]=in_stock", "invalid_filter"),
        ("filter[status]=in_stock&stats[status]=count", "invalid_stat"),
        ("filter[status]=in_stock&stats[downtime_count]=sum", "invalid_stat"),
        ("filter[status]=in_stock&include=order", "invalid_include"),
        ("filter[status]=in_stock&sort=colour", "invalid_sort"),
    ],
)
def test_bad_queries(bqx: Booqable, query: str, code: str) -> None:
    [error] = errors(bqx.get(f"{PATH}?{query}"), 400)
    assert error["meta"]["code"] == code


def test_the_required_filter_text(bqx: Booqable) -> None:
    [error] = errors(bqx.get(PATH), 400)
    assert error["detail"] == (
        'The required filter "status" on resource InventoryBreakdownResource was not provided'
    )


def test_stats_sort_fields_include_and_pages(v4: Booqable) -> None:
    response = v4.get(
        PATH,
        params={
            "filter[status]": "in_stock",
            "filter[product_id]": f"{TENT},{DJ}",
            "stats[stock_count][]": ["sum", "count"],
            "stats[total]": "count",
            "stats[status]": "sum",
            "sort": "-stock_count",
            "fields[inventory_breakdowns]": "stock_count,product_id",
            "include": "product",
            "page[size]": "1",
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["meta"] == {
        "stats": {
            "stock_count": {"sum": 9, "count": 2},
            "total": {"count": 2},
            "status": {"sum": {"in_stock": 9, "expected": 0, "expired": 0}},
        }
    }
    [first] = body["data"]
    assert first["attributes"] == {"stock_count": 7, "product_id": TENT}
    assert first["relationships"] == {"product": {"data": {"type": "products", "id": TENT}}}
    assert [i["id"] for i in body["included"]] == [TENT]


def test_ids_are_stable_and_distinct(v4: Booqable) -> None:
    first = [b["id"] for b in breakdowns(v4)]
    assert first == [b["id"] for b in breakdowns(v4)]
    assert len(set(first)) == len(first)


# ----- golden: the DOCS-HEAD examples on /api/4 -----------------------------------------------


def _items(product_id: str, location_id: str, specs: list[tuple[int, Any, Any]]) -> Any:
    """`(count, from, till)` runs of stock items, all stored `in_stock`: a breakdown reads
    the status from the dates."""
    found: list[dict[str, Any]] = []
    for count, starts, stops in specs:
        for _ in range(count):
            n = len(found) + 1
            found.append(
                {
                    "id": f"00000000-0000-4000-8000-{n:012d}",
                    "created_at": STAMP,
                    "updated_at": STAMP,
                    "identifier": f"ITEM-{n}",
                    "product_id": product_id,
                    "status": "in_stock",
                    "from": starts,
                    "till": stops,
                    "stock_item_type": "temporary" if stops else "regular",
                    "location_id": location_id,
                }
            )
    return found


# Per example: (clock, product group, product, location, runs of stock items). Each has
# 105 in stock (100 + 5 temporary), 17 expected (12 + 5 temporary) and 22 expired, as the
# examples' status stats count; the dates shown are the examples' own.
EXAMPLES = {
    "inventory_breakdowns_in_stock_200": (
        "2020-01-01T00:00:00Z",
        "fc4bfed6-545d-4ffe-8b66-81e8dbde9d4e",
        "856d3a4c-8f1c-4392-8837-b1033d097162",
        "93539676-0eec-4298-8221-d37c766028c4",
        [
            (100, None, None),
            (5, None, "2020-08-15T02:26:01+00:00"),
            (12, "2020-06-01T00:00:00+00:00", None),
            (5, "2020-06-01T00:00:00+00:00", "2020-07-01T00:00:00+00:00"),
            (22, None, "2019-06-01T00:00:00+00:00"),
        ],
    ),
    "inventory_breakdowns_expected_200": (
        "2017-06-01T00:00:00Z",
        "3142a9c7-40c2-4dff-8a3d-61aef93400cf",
        "11b3f75f-518c-4e76-8979-2efbc4019818",
        "53f12674-6a2f-4878-804c-eb4dd3aa204f",
        [
            (100, None, None),
            (5, None, "2018-06-01T00:00:00+00:00"),
            (12, "2017-11-18T03:35:00+00:00", None),
            (5, "2017-11-18T03:35:00+00:00", "2017-12-19T03:35:00+00:00"),
            (22, None, "2017-01-01T00:00:00+00:00"),
        ],
    ),
    "inventory_breakdowns_expired_200": (
        "2023-01-01T00:00:00Z",
        "8d1d8d66-b01e-4300-83da-7418f5acaaea",
        "243a8fd8-a17c-4b5e-878c-3e0646778c26",
        "8a5cbdf6-c713-419f-868e-14208fd6df91",
        [
            (100, None, None),
            (5, None, "2024-01-01T00:00:00+00:00"),
            (12, "2023-06-01T00:00:00+00:00", None),
            (5, "2023-06-01T00:00:00+00:00", "2023-07-01T00:00:00+00:00"),
            (22, None, "2022-08-20T18:59:00+00:00"),
        ],
    ),
}


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_golden(v4: Booqable, name: str) -> None:
    clock, group_id, product_id, location_id, specs = EXAMPLES[name]
    items = _items(product_id, location_id, specs)
    out = [i["id"] for i in items[:50]]
    order: dict[str, Any] = {
        "id": "4a0c1e2d-3b4f-4a5e-9c6d-7e8f9a0b1c2d",
        "number": 1,
        "status": "reserved",
        "starts_at": clock.replace("Z", "+00:00"),
        "stops_at": "2031-01-01T00:00:00+00:00",
        "customer_id": None,
        "items": [{"product_id": product_id, "stock_item_ids": out}],
    }
    use_catalog(
        v4,
        {
            "locations": [location(location_id)],
            "product_groups": [group(group_id, product_id, "Speaker", tracking="trackable")],
            "stock_items": items,
            "orders": [order],
        },
    )
    moved = v4.api.put("/_sandbox/clock", json={"now": clock, "frozen": True})
    assert moved.status_code == 200, moved.text
    if name == "inventory_breakdowns_in_stock_200":  # 50 of the 100 are out
        body = {
            "data": {
                "type": "order_fulfillments",
                "attributes": {
                    "order_id": order["id"],
                    "actions": [
                        {
                            "action": "start_stock_items",
                            "product_id": product_id,
                            "stock_item_ids": out,
                        }
                    ],
                },
            }
        }
        started = v4.post("/order_fulfillments", json=body)
        assert started.status_code == 200, started.text
    example = golden(name)
    response = v4.get(example["path"].removeprefix("/api/4"))
    assert response.status_code == example["status"], response.text
    known = {group_id, product_id, location_id}
    same(response.json(), example["response"], known)
