"""Catalog writes: product groups, products, bundles, bundle items and stock items, with the
engine's pools following, under both prefixes; the DOCS-2024 examples as golden exchanges."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.booqable.conftest import CHAIR, DJ, ORDER_SHORT, TENT, Booqable, product
from tests.booqable.test_golden import fixture_ids, golden, normalise
from tests.conftest import Api

PLAIN_JSON = "application/json; charset=utf-8"
UNKNOWN = "00000000-0000-4000-8000-000000000000"
MAIN_STORE = "bb151c46-29e9-46e8-8db7-ffbe16ed7c73"  # the fixtures' first location
TENT_GROUP = "21735be3-0427-4c68-843e-addae0a4ae76"
DJ_GROUP = "f7f1137e"  # prefix
CHAIR_GROUP = "98dba2e4"  # prefix
VARIATIONS_GROUP = "198fcb9e"  # prefix: "Product 1000001", variation field `color`
BUNDLE_OF_ONE = "bundle-item-1"  # slug of the fixture bundle holding one item


@pytest.fixture(params=["/api/boomerang", "/api/4"])
def bqx(api: Api, request: pytest.FixtureRequest) -> Booqable:
    return Booqable(api, prefix=request.param)


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def pool(bq: Booqable, product_id: str) -> dict[str, Any] | None:
    pools = bq.api.get("/_sandbox/state").json()["inventory"]["pools"]
    return next((p for p in pools if p["id"] == f"booqable:product:{product_id}"), None)


def full_id(bq: Booqable, kind: str, prefix: str) -> str:
    listed = bq.get(f"/{kind}", params={"page[size]": "100"}).json()["data"]
    return str(next(r["id"] for r in listed if r["id"].startswith(prefix)))


def by_slug(bq: Booqable, kind: str, slug: str) -> dict[str, Any]:
    listed = bq.get(f"/{kind}", params={"filter[slug]": slug}).json()["data"]
    found: dict[str, Any] = listed[0]
    return found


def made(response: Any, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.text
    found: dict[str, Any] = response.json()["data"]
    return found


def errors(response: Any, status: int) -> list[dict[str, Any]]:
    assert response.status_code == status, response.text
    found: list[dict[str, Any]] = response.json()["errors"]
    return found


def catalog_bytes(bq: Booqable) -> str:
    state = bq.api.get("/_sandbox/state").json()
    return json.dumps([state["catalogs"]["booqable"], state["inventory"]["pools"]])


def group_of(bq: Booqable, group_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = bq.get(
        "/products", params={"filter[product_group_id]": group_id}
    ).json()["data"]
    return found


# ----- product groups -------------------------------------------------------------------------


def test_a_new_bulk_group_has_one_product_and_an_empty_pool(bqx: Booqable) -> None:
    group = made(bqx.create("product_groups", name="Beer bench"))
    attributes = group["attributes"]
    assert (attributes["slug"], attributes["sku"]) == ("beer-bench", "BEER_BENCH")
    assert (attributes["product_type"], attributes["tracking_type"]) == ("rental", "bulk")
    [only] = group_of(bqx, group["id"])
    assert only["attributes"]["name"] == "Beer bench"
    assert pool(bqx, only["id"]) == {
        "id": f"booqable:product:{only['id']}",
        "capacity": 0,
        "shortage_limit": 0,
        "units": [],
    }


def test_a_taken_slug_gets_a_number(bqx: Booqable) -> None:
    first = made(bqx.create("product_groups", name="Party tent 3x3"))
    assert first["attributes"]["slug"] == "party-tent-3x3-1"


def test_services_have_no_pool(bqx: Booqable) -> None:
    group = made(bqx.create("product_groups", name="Cleaning", product_type="service"))
    assert group["attributes"]["tracking_type"] == "none"
    [only] = group_of(bqx, group["id"])
    assert pool(bqx, only["id"]) is None


def test_sales_item_is_the_2025_name_of_consumable(v4: Booqable) -> None:
    group = made(v4.create("product_groups", name="Gaffer roll", product_type="sales_item"))
    # The server of 2025-07 still answered `consumable` (renamed in the docs of 2025-10).
    assert group["attributes"]["product_type"] == "consumable"


def test_sales_item_is_not_in_the_2022_list(bq: Booqable) -> None:
    response = bq.create("product_groups", name="Gaffer roll", product_type="sales_item")
    [error] = errors(response, 422)
    assert error["meta"] == {
        "attribute": "product_type",
        "message": "is not included in the list",
        "code": "inclusion",
    }


def test_group_validation_errors(bqx: Booqable) -> None:
    response = bqx.create(
        "product_groups", name=" ", product_type="service", tracking_type="bulk", lag_time=-1
    )
    found = [(e["meta"]["attribute"], e["meta"]["code"]) for e in errors(response, 422)]
    assert found == [
        ("name", "blank"),
        ("tracking_type", "invalid"),
        ("lag_time", "greater_than_or_equal_to"),
    ]
    assert errors(response, 422)[0]["source"] == {"pointer": "/data/attributes/name"}


def test_group_request_errors_are_graphiti_400s(bqx: Booqable) -> None:
    response = bqx.create("product_groups", name="X", stock_count=3, base_price_in_cents=1)
    assert response.headers["content-type"] == PLAIN_JSON
    assert [e["meta"]["code"] for e in errors(response, 400)] == [
        "unknown_attribute",
        "unwritable_attribute",
    ]
    response = bqx.create("product_groups", name=1)
    assert errors(response, 400)[0]["meta"]["code"] == "type_error"


def test_update_renames_the_products_and_keeps_readonly_after_create(bqx: Booqable) -> None:
    body = {
        "data": {"type": "product_groups", "attributes": {"name": "Tent 3x3", "trackable": False}}
    }
    group = made(bqx.put(f"/product_groups/{TENT_GROUP}", json=body), 200)
    assert group["attributes"]["name"] == "Tent 3x3"
    assert bqx.get(f"/products/{TENT}").json()["data"]["attributes"]["name"] == "Tent 3x3"
    body["data"]["attributes"] = {"tracking_type": "trackable"}
    [error] = errors(bqx.put(f"/product_groups/{TENT_GROUP}", json=body), 400)
    assert error["meta"]["code"] == "unwritable_attribute"


def test_has_variations_cannot_be_disabled(bqx: Booqable) -> None:
    ident = full_id(bqx, "product_groups", VARIATIONS_GROUP)
    body = {"data": {"type": "product_groups", "attributes": {"has_variations": False}}}
    [error] = errors(bqx.put(f"/product_groups/{ident}", json=body), 422)
    assert error["meta"]["attribute"] == "has_variations"


def test_raising_the_shortage_limit_raises_the_pool_limit(bqx: Booqable) -> None:
    ident = full_id(bqx, "product_groups", CHAIR_GROUP)
    body = {"data": {"type": "product_groups", "attributes": {"shortage_limit": 5}}}
    made(bqx.request("PATCH", f"/product_groups/{ident}", json=body), 200)
    assert (pool(bqx, CHAIR) or {})["shortage_limit"] == 5


def test_a_limit_that_cannot_hold_the_reservations_is_refused(bqx: Booqable) -> None:
    """8 chairs in stock, 10 reserved (shortage 2 within the limit 2): a limit of 1 would
    oversell, so it is refused and nothing changes."""
    booked = bqx.book(ORDER_SHORT, product(id=CHAIR, quantity=10), confirm_shortage=True)
    assert booked.status_code == 201, booked.text
    ident = full_id(bqx, "product_groups", CHAIR_GROUP)
    before = catalog_bytes(bqx)
    body = {
        "data": {
            "type": "product_groups",
            "attributes": {"shortage_limit": 1, "confirm_shortage": True},
        }
    }
    [error] = errors(bqx.put(f"/product_groups/{ident}", json=body), 422)
    assert (error["code"], error["meta"]["warning"]) == ("shortage", [])
    [entry] = error["meta"]["blocking"]
    assert (entry["item_id"], entry["shortage"], entry["planned"]) == (CHAIR, 2, 10)
    assert entry["orders"] == [{"id": ORDER_SHORT, "conflicts": 2}]
    assert catalog_bytes(bqx) == before


def test_archiving_a_group_archives_its_products_and_frees_the_slug(bqx: Booqable) -> None:
    response = bqx.delete(f"/product_groups/{TENT_GROUP}")
    group = made(response, 200)
    assert response.headers["content-type"] == PLAIN_JSON
    assert group["attributes"]["archived"] is True
    assert group["attributes"]["slug"] == f"party-tent-3x3-archived-{TENT_GROUP}"
    assert bqx.get(f"/products/{TENT}").json()["data"]["attributes"]["archived"] is True
    again = made(bqx.delete(f"/product_groups/{TENT_GROUP}"), 200)
    assert again["attributes"]["archived_at"] == group["attributes"]["archived_at"]
    assert (pool(bqx, TENT) or {})["capacity"] == 7  # orders keep what they booked


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
@pytest.mark.parametrize("kind", ["product_groups", "products", "bundles", "bundle_items"])
def test_unknown_ids_are_404(bqx: Booqable, kind: str, method: str) -> None:
    body = {"data": {"type": kind, "attributes": {}}}
    response = bqx.request(method, f"/{kind}/{UNKNOWN}", json=body)
    assert errors(response, 404)[0]["code"] == "resources_not_found"


def test_stock_items_have_no_delete(bqx: Booqable) -> None:
    item = bqx.get("/stock_items", params={"page[size]": "1"}).json()["data"][0]
    assert errors(bqx.delete(f"/stock_items/{item['id']}"), 404)[0]["code"] == "not_found"


# ----- products -------------------------------------------------------------------------------


def test_a_variation_gets_its_name_weight_and_pool(bqx: Booqable) -> None:
    group_id = full_id(bqx, "product_groups", VARIATIONS_GROUP)
    variation = made(bqx.create("products", product_group_id=group_id, variation_values=["green"]))
    attributes = variation["attributes"]
    assert (attributes["name"], attributes["slug"]) == (
        "Product 1000001 - green",
        "product-1000001-green",
    )
    assert (attributes["sorting_weight"], attributes["sku"]) == (3, None)
    assert (pool(bqx, variation["id"]) or {})["capacity"] == 0


def test_product_errors(bqx: Booqable) -> None:
    group_id = full_id(bqx, "product_groups", VARIATIONS_GROUP)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"product_group_id": TENT_GROUP, "variation_values": []}, "product_group_id"),
        ({"product_group_id": UNKNOWN}, "product_group_id"),
        ({"product_group_id": group_id, "variation_values": ["red"]}, "variation_values"),
        ({"product_group_id": group_id, "variation_values": ["a", "b"]}, "variation_values"),
    ]
    for attributes, attribute in cases:
        [error] = errors(bqx.create("products", **attributes), 422)
        assert error["meta"]["attribute"] == attribute


def test_product_update_and_archive(bqx: Booqable) -> None:
    body = {"data": {"type": "products", "attributes": {"excerpt": "Big", "sku": "T-1"}}}
    changed = made(bqx.put(f"/products/{TENT}", json=body), 200)
    assert (changed["attributes"]["excerpt"], changed["attributes"]["sku"]) == ("Big", "T-1")
    body["data"]["attributes"] = {"base_price_in_cents": 1}  # inherited without variations
    assert errors(bqx.put(f"/products/{TENT}", json=body), 422)[0]["meta"]["attribute"] == (
        "base_price_in_cents"
    )
    body["data"]["attributes"] = {"product_group_id": CHAIR}
    assert errors(bqx.put(f"/products/{TENT}", json=body), 400)[0]["meta"]["code"] == (
        "unwritable_attribute"
    )
    archived = made(bqx.delete(f"/products/{TENT}"), 200)
    assert archived["attributes"]["archived"] is True


# ----- stock items ----------------------------------------------------------------------------


def test_a_stock_item_adds_a_unit_to_its_product(bqx: Booqable) -> None:
    before = pool(bqx, DJ) or {}
    item = made(bqx.create("stock_items", product_id=DJ))
    assert item["attributes"]["identifier"] == "DJ-CTRL-1"  # made from the product's sku
    assert item["attributes"]["location_id"] == MAIN_STORE
    after = pool(bqx, DJ) or {}
    assert after["capacity"] == before["capacity"] + 1
    assert after["units"] == [*before["units"], item["id"]]


def test_stock_item_errors(bqx: Booqable) -> None:
    taken = bqx.get(f"/stock_items?filter[product_id]={DJ}").json()["data"][0]
    cases = [
        ({"product_id": TENT}, "product_id"),
        ({"product_id": UNKNOWN}, "product_id"),
        ({"product_id": DJ, "identifier": taken["attributes"]["identifier"]}, "identifier"),
        ({"product_id": DJ, "location_id": UNKNOWN}, "location_id"),
        (
            {"product_id": DJ, "from": "2030-01-02T00:00:00Z", "till": "2030-01-01T00:00:00Z"},
            "till",
        ),
    ]
    before = catalog_bytes(bqx)
    for attributes, attribute in cases:
        [error] = errors(bqx.create("stock_items", **attributes), 422)
        assert error["meta"]["attribute"] == attribute
    assert catalog_bytes(bqx) == before


def test_an_expired_stock_item_leaves_the_pool(bqx: Booqable) -> None:
    item = made(bqx.create("stock_items", product_id=DJ))
    body = {"data": {"type": "stock_items", "attributes": {"till": "2025-01-01T00:00:00Z"}}}
    changed = made(bqx.put(f"/stock_items/{item['id']}", json=body), 200)
    assert (changed["attributes"]["status"], changed["attributes"]["stock_item_type"]) == (
        "expired",
        "temporary",
    )
    assert item["id"] not in (pool(bqx, DJ) or {})["units"]
    body["data"]["attributes"] = {"till": None, "from": "2031-01-01T00:00:00Z"}
    expected = made(bqx.put(f"/stock_items/{item['id']}", json=body), 200)
    assert expected["attributes"]["status"] == "expected"
    assert item["id"] in (pool(bqx, DJ) or {})["units"]


def test_a_held_stock_item_cannot_expire(bqx: Booqable) -> None:
    unit = bqx.get(f"/stock_items?filter[product_id]={DJ}").json()["data"][0]["id"]
    booked = bqx.book(ORDER_SHORT, product(id=DJ, stock_item_ids=[unit]))
    assert booked.status_code == 201, booked.text
    before = catalog_bytes(bqx)
    body = {"data": {"type": "stock_items", "attributes": {"till": "2025-01-01T00:00:00Z"}}}
    [error] = errors(bqx.put(f"/stock_items/{unit}", json=body), 422)
    assert error["code"] == "shortage"
    assert error["meta"]["blocking"][0]["unavailable"] == [unit]
    assert catalog_bytes(bqx) == before


# ----- bundles --------------------------------------------------------------------------------


def test_bundle_create_with_items_update_and_archive(bqx: Booqable) -> None:
    chair_group = full_id(bqx, "product_groups", CHAIR_GROUP)
    body = {
        "include": "bundle_items",
        "data": {
            "type": "bundles",
            "attributes": {
                "name": "Party set",
                "bundle_items_attributes": [
                    {"quantity": 2, "discount_percentage": 10, "product_group_id": TENT_GROUP,
                     "product_id": TENT},
                    {"quantity": 8, "product_group_id": chair_group, "product_id": CHAIR},
                ],
            },
        },
    }  # fmt: skip
    response = bqx.post("/bundles", json=body)
    bundle = made(response)
    assert (bundle["attributes"]["slug"], bundle["attributes"]["product_type"]) == (
        "party-set",
        "bundle",
    )
    items = [r["attributes"] for r in response.json()["included"]]
    assert [(i["quantity"], i["discount_percentage"], i["position"]) for i in items] == [
        (2, 10.0, 1),
        (8, 0.0, 2),
    ]
    first = response.json()["included"][0]["id"]
    nested = [{"id": first, "_destroy": True}, {"product_group_id": TENT_GROUP, "product_id": TENT}]
    update = {"data": {"type": "bundles", "attributes": {"bundle_items_attributes": nested}}}
    made(bqx.put(f"/bundles/{bundle['id']}", json=update), 200)
    listed = bqx.get("/bundle_items", params={"filter[bundle_id]": bundle["id"]}).json()["data"]
    assert sorted(i["attributes"]["position"] for i in listed) == [2, 3]
    archived = made(bqx.delete(f"/bundles/{bundle['id']}"), 200)
    assert archived["attributes"]["archived"] is True


def test_bundle_items_crud_and_errors(bqx: Booqable) -> None:
    bundle = by_slug(bqx, "bundles", BUNDLE_OF_ONE)
    item = made(
        bqx.create(
            "bundle_items", bundle_id=bundle["id"], product_group_id=TENT_GROUP, product_id=TENT
        )
    )
    assert (item["attributes"]["position"], item["attributes"]["quantity"]) == (2, 1)
    body = {"data": {"type": "bundle_items", "attributes": {"quantity": 3}}}
    assert (
        made(bqx.put(f"/bundle_items/{item['id']}", json=body), 200)["attributes"]["quantity"] == 3
    )
    gone = made(bqx.delete(f"/bundle_items/{item['id']}"), 200)
    assert gone["id"] == item["id"]
    assert bqx.get(f"/bundle_items/{item['id']}").status_code == 404
    cases = [
        ({"bundle_id": UNKNOWN, "product_group_id": TENT_GROUP}, "bundle_id"),
        ({"bundle_id": bundle["id"], "product_group_id": TENT_GROUP}, "product_id"),
        ({"bundle_id": bundle["id"], "product_group_id": TENT_GROUP, "product_id": CHAIR},
         "product_id"),
        ({"bundle_id": bundle["id"], "product_group_id": TENT_GROUP, "product_id": TENT,
          "discount_percentage": 101}, "discount_percentage"),
    ]  # fmt: skip
    for attributes, attribute in cases:
        [error] = errors(bqx.create("bundle_items", **attributes), 422)
        assert error["meta"]["attribute"] == attribute


def test_a_refused_nested_item_creates_no_bundle(bqx: Booqable) -> None:
    before = catalog_bytes(bqx)
    nested = [{"product_group_id": TENT_GROUP, "product_id": TENT}, {"product_group_id": UNKNOWN}]
    response = bqx.create("bundles", name="Half", bundle_items_attributes=nested)
    assert errors(response, 422)[0]["meta"]["attribute"] == "product_group_id"
    response = bqx.create("bundles", name="Half", bundle_items_attributes=[{"colour": 1}])
    assert errors(response, 400)[0]["meta"]["code"] == "unknown_attribute"
    assert catalog_bytes(bqx) == before


# ----- state export and import ----------------------------------------------------------------


def test_catalog_writes_survive_a_state_round_trip(bqx: Booqable) -> None:
    group = made(bqx.create("product_groups", name="Stage", tracking_type="trackable",
                            trackable=True))  # fmt: skip
    [only] = group_of(bqx, group["id"])
    made(bqx.create("stock_items", product_id=only["id"], identifier="STAGE-7"))
    state = bqx.api.get("/_sandbox/state").json()
    assert bqx.api.post("/_sandbox/reset", json={}).status_code == 200
    assert bqx.get(f"/product_groups/{group['id']}").status_code == 404
    put = bqx.api.put("/_sandbox/state", json=state)
    assert put.status_code == 200, put.text
    assert bqx.get(f"/product_groups/{group['id']}").status_code == 200
    assert (pool(bqx, only["id"]) or {})["capacity"] == 1


# ----- golden: the DOCS-2024 examples on /api/4 -----------------------------------------------


def replay_v4(bq: Booqable, name: str, ids: dict[str, str]) -> tuple[Any, Any]:
    """The example with its ids swapped for the sandbox's (`ids`), both sides normalised."""
    example = golden(name)
    swap = json.loads(_swapped(json.dumps(example), ids))
    path = swap["path"].removeprefix("/api/boomerang").removeprefix("/api/4")
    known = fixture_ids(bq) | set(ids.values())  # before: what the request makes is new
    response = bq.request(swap["method"], path, json=swap["request"])
    assert response.status_code == example["status"], response.text
    return normalise(response.json(), known), normalise(swap["response"], known)


def _swapped(text: str, ids: dict[str, str]) -> str:
    for theirs, ours in ids.items():
        text = text.replace(theirs, ours)
    return text


def test_golden_product_group_create(v4: Booqable) -> None:
    got, expected = replay_v4(v4, "product_groups_create_201", {})
    assert json.dumps(got, indent=1) == json.dumps(expected, indent=1)


def test_golden_product_create_variation(v4: Booqable) -> None:
    body = {"name": "iPad Pro", "has_variations": True, "variation_fields": ["color"]}
    group = made(v4.create("product_groups", **body))
    made(v4.create("products", product_group_id=group["id"], variation_values=["blue"]))
    got, expected = replay_v4(
        v4, "products_create_201", {"b1a9b62e-98d4-4529-a476-29c8437e9244": group["id"]}
    )
    assert json.dumps(got, indent=1) == json.dumps(expected, indent=1)


def test_golden_stock_item_create(v4: Booqable) -> None:
    ids = {
        "7901fb61-bcd0-436b-af21-77625f103430": DJ,
        "6114efbc-386d-4883-8753-0abf1b3ad52d": full_id(v4, "product_groups", DJ_GROUP),
        "15efd855-07aa-41da-af8e-da139f4e3626": MAIN_STORE,
    }
    got, expected = replay_v4(v4, "stock_items_create_201", ids)
    assert json.dumps(got, indent=1) == json.dumps(expected, indent=1)


def test_golden_bundle_item_create(v4: Booqable) -> None:
    ids = {
        "4c556d94-6b6a-450c-9c3a-9a0eb453352a": by_slug(v4, "bundles", BUNDLE_OF_ONE)["id"],
        "075fa240-9b55-4ea7-b9c9-89dc7426b23e": TENT_GROUP,
        "953ffdea-43a9-414c-bb3a-f107c99b9210": TENT,
    }
    got, expected = replay_v4(v4, "bundle_items_create_201", ids)
    assert json.dumps(got, indent=1) == json.dumps(expected, indent=1)
