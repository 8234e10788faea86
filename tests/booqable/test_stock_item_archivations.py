"""`POST /stock_item_archivations` (DOCS-HEAD): a stock item archived for good, its pool one
unit smaller, and the docs' three errors in their own shapes; the docs' examples replayed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.booqable.conftest import (
    DJ,
    IPAD,
    IPAD_ITEMS,
    ORDER_RESERVED,
    ORDER_SHORT,
    Booqable,
    product,
)
from tests.booqable.docs_catalog import STAMP, golden, group, location, same, use_catalog
from tests.booqable.test_catalog_writes import (
    MAIN_STORE,
    UNKNOWN,
    catalog_bytes,
    errors,
    group_of,
    made,
    pool,
)
from tests.conftest import Api

DJ_ITEMS = ("6ca9c502-4844-4b54-b7cb-4425d411bbe4", "396724af-2cc9-44d7-945f-2dc10ce9cbd8")
R6_EXPIRED = "2ff4271e-014e-4382-a0bc-4b06f9c78327"
R6_ARCHIVED = "f58dfcaf-f0b8-461e-bd32-ed3592f3d013"
CAMERA = "a2d96edf-7d8b-42de-9897-e5aee335f3ca"
ARCHIVED_BEFORE = {
    "code": "stock_item_archived",
    "status": "422",
    "title": "Stock item archived",
    "detail": "Stock item is already archived",
    "meta": None,
}


@pytest.fixture(params=["/api/boomerang", "/api/4"])
def bqx(api: Api, request: pytest.FixtureRequest) -> Booqable:
    return Booqable(api, prefix=request.param)


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def archive(bq: Booqable, stock_item_id: Any, path: str = "", **attributes: Any) -> Any:
    body = {
        "data": {
            "type": "stock_item_archivations",
            "attributes": {"stock_item_id": stock_item_id, **attributes},
        }
    }
    return bq.post(f"/stock_item_archivations{path}", json=body)


def stock_item(bq: Booqable, ident: str) -> dict[str, Any]:
    found: dict[str, Any] = bq.get(f"/stock_items/{ident}").json()["data"]["attributes"]
    return found


def units(bq: Booqable, product_id: str) -> list[str]:
    found: list[str] = (pool(bq, product_id) or {})["units"]
    return found


def test_an_unused_stock_item_is_archived_and_leaves_the_pool(bqx: Booqable) -> None:
    archivation = made(archive(bqx, DJ_ITEMS[0]), 200)
    assert archivation["type"] == "stock_item_archivations"
    assert archivation["attributes"] == {"confirm_shortage": None, "stock_item_id": DJ_ITEMS[0]}
    item = stock_item(bqx, DJ_ITEMS[0])
    assert (item["archived"], item["status"]) == (True, "archived")
    assert item["archived_at"] is not None
    assert item["archived_at"] == item["updated_at"]
    assert units(bqx, DJ) == [DJ_ITEMS[1]]
    assert (pool(bqx, DJ) or {})["capacity"] == 1


def test_the_archived_stock_item_is_included_on_request(v4: Booqable) -> None:
    response = archive(v4, DJ_ITEMS[0], "?include=stock_item")
    assert response.status_code == 200, response.text
    [included] = response.json()["included"]
    assert (included["type"], included["id"]) == ("stock_items", DJ_ITEMS[0])
    assert included["attributes"]["status"] == "archived"


def test_archiving_twice_is_stock_item_archived(bqx: Booqable) -> None:
    made(archive(bqx, DJ_ITEMS[0]), 200)
    before = catalog_bytes(bqx)
    assert errors(archive(bqx, DJ_ITEMS[0]), 422) == [ARCHIVED_BEFORE]
    assert errors(archive(bqx, R6_ARCHIVED), 422) == [ARCHIVED_BEFORE]  # the fixtures' own
    assert catalog_bytes(bqx) == before


def test_an_expired_stock_item_is_archived_and_the_pool_stays(bqx: Booqable) -> None:
    before = pool(bqx, CAMERA)
    made(archive(bqx, R6_EXPIRED), 200)
    assert stock_item(bqx, R6_EXPIRED)["status"] == "archived"
    assert pool(bqx, CAMERA) == before


def test_a_stock_item_a_reserved_order_holds_is_stock_item_specified(bqx: Booqable) -> None:
    booked = bqx.book(ORDER_RESERVED, product(id=IPAD, stock_item_ids=[IPAD_ITEMS[0]]))
    assert booked.status_code == 201, booked.text
    before = catalog_bytes(bqx)
    [error] = errors(archive(bqx, IPAD_ITEMS[0], confirm_shortage=True), 422)
    assert error == {
        "code": "stock_item_specified",
        "status": "422",
        "title": "Stock item specified",
        "detail": "This stock item is specified on a current or future order",
        "meta": {"blocking": [{"orders": [{"id": ORDER_RESERVED}]}]},
    }
    assert catalog_bytes(bqx) == before
    made(archive(bqx, IPAD_ITEMS[1]), 200)  # the other items are free


def _new_order(bq: Booqable, starts: str, stops: str) -> str:
    order = made(bq.create("orders", starts_at=starts, stops_at=stops))
    ident: str = order["id"]
    return ident


def test_a_new_order_naming_it_blocks_until_its_period_ends(bqx: Booqable) -> None:
    """A new order takes no stock, but it will need the item it names."""
    order = _new_order(bqx, "2031-01-01T09:00:00Z", "2031-01-05T09:00:00Z")
    booked = bqx.book(order, product(id=DJ, stock_item_ids=[DJ_ITEMS[1]]))
    assert booked.status_code == 201, booked.text
    [error] = errors(archive(bqx, DJ_ITEMS[1]), 422)
    assert error["meta"] == {"blocking": [{"orders": [{"id": order}]}]}
    moved = bqx.api.put("/_sandbox/clock", json={"now": "2031-02-01T00:00:00Z"})
    assert moved.status_code == 200, moved.text
    made(archive(bqx, DJ_ITEMS[1]), 200)


def test_archiving_under_bookings_by_quantity_is_a_blocking_shortage(bqx: Booqable) -> None:
    """Both DJ controllers are reserved by quantity: one fewer leaves the order short."""
    booked = bqx.book(ORDER_SHORT, product(id=DJ, quantity=2))
    assert booked.status_code == 201, booked.text
    before = catalog_bytes(bqx)
    [error] = errors(archive(bqx, DJ_ITEMS[0], confirm_shortage=True), 422)
    assert (error["code"], error["title"]) == ("shortage", "Shortage")
    assert error["detail"] == "This will create shortage for running or future orders"
    assert error["meta"] == {
        "warning": [],
        "blocking": [
            {
                "reason": "shortage",
                "shortage": 1,
                "item_id": DJ,
                "mutation": -1,
                "orders": [{"id": ORDER_SHORT, "conflicts": 1}],
                "downtimes": [],
                "location_id": MAIN_STORE,
                "available": 0,
                "plannable": 0,
                "stock_count": 2,
                "planned": 2,
                "needed": 2,
            }
        ],
    }
    assert catalog_bytes(bqx) == before


def test_a_shortage_within_the_limit_is_a_warning_to_confirm(bqx: Booqable) -> None:
    made_group = made(
        bqx.create(
            "product_groups",
            name="Smoke machine",
            tracking_type="trackable",
            trackable=True,
            allow_shortage=True,
            shortage_limit=1,
        )
    )
    [only] = group_of(bqx, made_group["id"])
    item = made(bqx.create("stock_items", product_id=only["id"], identifier="SMOKE-1"))
    booked = bqx.book(ORDER_SHORT, product(id=only["id"], quantity=1))
    assert booked.status_code == 201, booked.text
    [error] = errors(archive(bqx, item["id"]), 422)
    assert error["meta"]["blocking"] == []
    [warning] = error["meta"]["warning"]
    assert (warning["shortage"], warning["plannable"], warning["mutation"]) == (1, 1, -1)
    assert units(bqx, only["id"]) == [item["id"]]
    confirmed = made(archive(bqx, item["id"], confirm_shortage=True), 200)
    assert confirmed["attributes"]["confirm_shortage"] is True
    assert units(bqx, only["id"]) == []


@pytest.mark.parametrize(
    ("attributes", "status", "code"),
    [
        ({}, 422, "blank"),
        ({"stock_item_id": None}, 422, "blank"),
        ({"stock_item_id": UNKNOWN}, 422, "blank"),
        ({"stock_item_id": "DJ-0001"}, 400, "type_error"),
        ({"stock_item_id": DJ_ITEMS[0], "confirm_shortage": "yes"}, 400, "type_error"),
        ({"stock_item_id": DJ_ITEMS[0], "reason": "broken"}, 400, "unknown_attribute"),
    ],
)
def test_bad_archivations_change_nothing(
    bqx: Booqable, attributes: dict[str, Any], status: int, code: str
) -> None:
    before = catalog_bytes(bqx)
    body = {"data": {"type": "stock_item_archivations", "attributes": attributes}}
    [error] = errors(bqx.post("/stock_item_archivations", json=body), status)
    assert error["meta"]["code"] == code
    if status == 422:
        assert error["meta"]["attribute"] == "stock_item_id"
        assert error["detail"] == "Stock item id must exist"
    assert catalog_bytes(bqx) == before


def test_a_bad_include_or_type_archives_nothing(bqx: Booqable) -> None:
    before = catalog_bytes(bqx)
    errors(archive(bqx, DJ_ITEMS[0], "?include=product"), 400)
    body = {"data": {"type": "stock_items", "attributes": {"stock_item_id": DJ_ITEMS[0]}}}
    errors(bqx.post("/stock_item_archivations", json=body), 400)
    assert catalog_bytes(bqx) == before


def test_archivations_have_no_list(bqx: Booqable) -> None:
    assert bqx.get("/stock_item_archivations").status_code == 404


def test_an_archived_stock_item_cannot_be_booked(bqx: Booqable) -> None:
    made(archive(bqx, DJ_ITEMS[0]), 200)
    response = bqx.book(ORDER_RESERVED, product(id=DJ, stock_item_ids=[DJ_ITEMS[0]]))
    [error] = errors(response, 422)
    assert error["detail"] == f"Items stock_item_id {DJ_ITEMS[0]} is archived"


# ----- golden: the DOCS-HEAD examples on /api/4 -----------------------------------------------

DOCS_LOCATION = "e1c9f0c4-5d0b-4c38-9a44-0b2a1b8f3c11"  # (sandbox-made: the example shows none)
BLOCKING_LOCATION = "a850b1a1-8829-4508-8ce1-2fa8e886fce6"
WARNING_LOCATION = "bffaaa23-5b23-494f-8775-986f7429fbae"


def _item(ident: str, product_id: str, location_id: str, status: str = "in_stock") -> Any:
    archived = status == "archived"
    return {
        "id": ident,
        "created_at": STAMP,
        "updated_at": STAMP,
        "archived": archived,
        "archived_at": STAMP if archived else None,
        "identifier": f"ITEM-{ident[:8]}",
        "product_id": product_id,
        "status": status,
        "from": None,
        "till": None,
        "stock_item_type": "regular",
        "properties": {},
        "location_id": location_id,
    }


def _order(ident: str, number: int, product_id: str, **item: Any) -> Any:
    """A reserved order of the catalog (no `created_at`: the namespace clock's start)."""
    return {
        "id": ident,
        "number": number,
        "status": "reserved",
        "starts_at": "2030-01-01T09:00:00+00:00",
        "stops_at": "2030-01-03T09:00:00+00:00",
        "customer_id": None,
        "items": [{"product_id": product_id, **item}],
    }


def _trackable(group_id: str, product_id: str, name: str, limit: int | None = None) -> Any:
    found = group(group_id, product_id, name, tracking="trackable", stock=0)
    if limit is not None:
        found.update(allow_shortage=True, shortage_limit=limit)
    return found


def _docs_catalog(bq: Booqable) -> None:
    """Each example's stock item, product, location and order, in one catalog."""
    plain = "7d3f8a1e-2b4c-4d5e-8f6a-1b2c3d4e5f60"
    blocking, warning, confirm = (
        "f5273ac1-25df-4451-82dd-a11908f80b33",
        "56a2701d-0c44-442b-881b-2332c08e358c",
        "5c0f6a2b-8d1e-4f3a-9b7c-2d4e6f8a0b1c",
    )
    groups = [
        _trackable("0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d", plain, "Speaker"),
        _trackable("1a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d", blocking, "Mixer"),
        _trackable("2a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d", warning, "Light", limit=1),
        _trackable("3a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d", confirm, "Truss", limit=1),
    ]
    specified = "00fb3418-f6cc-403c-8a08-25489ba726a0"
    use_catalog(
        bq,
        {
            "locations": [
                location(DOCS_LOCATION),
                location(BLOCKING_LOCATION, "Depot"),
                location(WARNING_LOCATION, "Store"),
            ],
            "product_groups": groups,
            "stock_items": [
                _item("37f0c3fc-b2bf-4966-8eb5-d78dd973ed78", plain, DOCS_LOCATION),
                _item("3ff5774c-b38f-47e3-87b2-c514df491708", plain, DOCS_LOCATION, "archived"),
                _item(specified, plain, DOCS_LOCATION),
                _item("b4e06e4a-63ed-4e5d-8e4e-f6594bac9ab9", blocking, BLOCKING_LOCATION),
                _item("d4f5dbfe-e53b-4fae-8d91-56dbd8ec1f0a", warning, WARNING_LOCATION),
                _item("b899b3e7-5c23-4e22-8859-325956852bea", confirm, WARNING_LOCATION),
            ],
            "orders": [
                _order(
                    "809e9c77-25f8-4f0e-8a50-7c1e884681d5", 1, plain, stock_item_ids=[specified]
                ),
                _order("48e3654d-1bd3-4805-8dc4-28a9702fd4be", 2, blocking, quantity=1),
                _order("9ab41c24-253e-4ca3-8714-4e2ae2dbcaeb", 3, warning, quantity=1),
                _order("6b1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", 4, confirm, quantity=1),
            ],
        },
    )


@pytest.mark.parametrize(
    "name",
    [
        "stock_item_archivations_archive_200",
        "stock_item_archivations_archived_422",
        "stock_item_archivations_specified_422",
        "stock_item_archivations_shortage_blocking_422",
        "stock_item_archivations_shortage_warning_422",
        "stock_item_archivations_confirm_shortage_200",
    ],
)
def test_golden(v4: Booqable, name: str) -> None:
    _docs_catalog(v4)
    example = golden(name)
    path = example["path"].removeprefix("/api/4")
    response = v4.request(example["method"], path, json=example["request"])
    assert response.status_code == example["status"], response.text
    catalog = v4.api.get("/_sandbox/state").json()["catalogs"]["booqable"]
    known = {s["id"] for s in catalog["stock_items"]} | {o["id"] for o in catalog["orders"]}
    known |= {p["id"] for g in catalog["product_groups"] for p in g["products"]}
    known |= {loc["id"] for loc in catalog["locations"]}
    same(response.json(), example["response"], known)
