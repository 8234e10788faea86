"""GET /item_prices: a unit's price over a period or a length, as an order line would get it."""

from __future__ import annotations

import re
from typing import Any

import httpx2 as httpx
import pytest

from tests.booqable.conftest import MACBOOK, ORDER_RESERVED, TENT, Booqable
from tests.booqable.docs_catalog import (
    bundle,
    bundle_item,
    from_included,
    golden,
    group,
    same,
    shared_attributes,
    use_catalog,
)
from tests.conftest import Api

PLAIN_JSON = "application/json; charset=utf-8"
KIT = "9bf34d16-2144-45a5-8461-ebae7bf0f4ca"  # Presentation kit: Macbook (-10 %) + delivery
KIT_MACBOOK = "083f7c4f-7974-434e-865a-7cf371f9c2d3"
KIT_DELIVERY = "92427ab3-f1e3-47af-b523-48094dcbe02f"
DELIVERY = "07a4050e-10ac-41b2-83a9-fcec3fef5b24"  # a service, 5000 a day
SEASONS = "5a5e7e53-7d0e-4b8f-9a51-6f0f3c1d2e01"
APRIL_1980 = {"filter[from]": "1980-04-01T12:00:00Z", "filter[till]": "1980-05-01T12:00:00Z"}
DAYS_2030 = {"filter[from]": "2030-01-01 12:00:00 UTC", "filter[till]": "2030-01-03 12:00:00 UTC"}
V4_ATTRIBUTES = [
    "item_id", "bundle_id", "product_group_id", "ignore_discount", "bundle_item_id", "from",
    "till", "original_charge_length", "charge_length", "original_charge_label", "charge_label",
    "original_price_each_in_cents", "price_each_in_cents", "price_rule_values",
    "price_structure_id", "price_ruleset_id", "price_tile_id",
]  # fmt: skip
# DOCS-2024's list, as /api/boomerang writes it.
ATTRIBUTES_2024 = [a for a in V4_ATTRIBUTES if a not in V4_ATTRIBUTES[1:5]]


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def prices(bq: Booqable, **params: Any) -> list[dict[str, Any]]:
    response = bq.get("/item_prices", params=params)
    assert response.status_code == 200, response.text
    return [r["attributes"] for r in response.json()["data"]]


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


# ----- the docs' examples ----------------------------------------------------------------


def _replay(v4: Booqable, name: str, catalog: dict[str, Any]) -> tuple[Any, Any, set[str]]:
    example = golden(name)
    use_catalog(v4, catalog)
    path = re.sub(r"^/api/(boomerang|4)", "", example["path"])
    response = v4.get(path)
    assert response.status_code == example["status"], response.text
    known = set(re.findall(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}", str(catalog)))
    return response.json(), example["response"], known


def _compare(ours: dict[str, Any], theirs: dict[str, Any], known: set[str]) -> None:
    """`data` and `meta` exactly; included items on what both write (their resources' lists)."""
    same(
        {"data": ours["data"], "meta": ours["meta"]},
        {"data": theirs["data"], "meta": theirs["meta"]},
        known,
    )
    assert [(r["type"], r["id"]) for r in ours.get("included", [])] == [
        (r["type"], r["id"]) for r in theirs.get("included", [])
    ]
    for mine, other in zip(ours.get("included", []), theirs.get("included", []), strict=True):
        same(*shared_attributes(mine, other), known)


def _catalog_of(example: dict[str, Any]) -> dict[str, Any]:
    return {"product_groups": [from_included(p) for p in example["response"]["included"]]}


@pytest.mark.parametrize(
    "name", ["item_prices_2024_period_200", "item_prices_2024_charge_length_200"]
)
def test_the_2024_examples(v4: Booqable, name: str) -> None:
    """DOCS-2024 printed 13 attributes; /api/4 writes the four DOCS-HEAD added as well."""
    ours, theirs, known = _replay(v4, name, _catalog_of(golden(name)))
    for obj in ours["data"]:
        obj["attributes"] = {
            k: v for k, v in obj["attributes"].items() if k not in V4_ATTRIBUTES[1:5]
        }
    _compare(ours, theirs, known)


@pytest.mark.parametrize(
    "name", ["item_prices_head_period_200", "item_prices_head_charge_length_200"]
)
def test_the_current_examples(v4: Booqable, name: str) -> None:
    example = golden(name)
    ours, theirs, known = _replay(v4, name, _catalog_of(example))
    if "from" in example["path"]:  # the docs' response has its generator's dates (notes)
        for obj in theirs["data"]:
            obj["attributes"]["from"] = "2030-01-01T12:00:00.000000+00:00"
            obj["attributes"]["till"] = "2030-01-14T12:00:00.000000+00:00"
    _compare(ours, theirs, known)


def test_the_bundle_detail_example(v4: Booqable) -> None:
    example = golden("item_prices_head_bundle_detail_200")
    [price] = example["response"]["data"]
    attributes = price["attributes"]
    group_id = "3a1f0c55-3c5e-4f7e-9d55-2b7a1c0e9f11"
    catalog = {
        "product_groups": [group(group_id, attributes["item_id"], "Free product", price=0)],
        "bundles": [
            bundle(
                attributes["bundle_id"],
                "Bundle",
                bundle_item(attributes["bundle_item_id"], group_id, attributes["item_id"]),
            )
        ],
    }
    ours, theirs, known = _replay(v4, "item_prices_head_bundle_detail_200", catalog)
    theirs["data"][0]["attributes"]["from"] = "2030-01-01T12:00:00.000000+00:00"
    theirs["data"][0]["attributes"]["till"] = "2030-01-14T12:00:00.000000+00:00"
    _compare(ours, theirs, known)


# ----- prices as lines get them ----------------------------------------------------------


def test_the_price_of_the_seed_orders_line(v4: Booqable) -> None:
    """The Macbook over the seeded order's period costs what that order's line costs."""
    [line] = [
        r["attributes"]
        for r in v4.get("/lines", params={"filter[order_id]": ORDER_RESERVED}).json()["data"]
        if r["attributes"]["item_id"] == MACBOOK
    ]
    [price] = prices(v4, **APRIL_1980, **{"filter[item_id]": MACBOOK})
    assert list(price) == V4_ATTRIBUTES
    for name in ("charge_length", "charge_label", "price_each_in_cents"):
        assert price[name] == line[name]
    assert price["original_price_each_in_cents"] == line["original_price_each_in_cents"] == 72500
    # The ruleset's pickup/return-day adjustments: 30 days asked, 29 whole days charged.
    assert (price["original_charge_length"], price["original_charge_label"]) == (2592000, "30 days")
    assert (price["charge_length"], price["charge_label"]) == (2505600, "29 days")
    assert price["price_ruleset_id"] == SEASONS
    # The 2024 docs write a rule's price_in_cents as an integer.
    assert price["price_rule_values"]["price"] == [
        {
            "name": "High-Season",
            "charge_length": 1339200,
            "multiplier": "0.2",
            "price_in_cents": 7750,
            "stacked": False,
        }
    ]


def test_a_charge_length_has_no_period_and_no_dated_rule(v4: Booqable) -> None:
    [price] = prices(v4, **{"filter[item_id]": MACBOOK, "filter[charge_length]": "172800"})
    assert (price["from"], price["till"], price["original_price_each_in_cents"]) == (
        None,
        None,
        None,
    )
    assert (price["charge_length"], price["charge_label"]) == (172800, "2 days")
    assert price["price_each_in_cents"] == 2 * 2500  # the Macbook's day price
    assert price["price_rule_values"] is None


def test_hours_that_are_no_whole_days(v4: Booqable) -> None:
    params = {"filter[from]": "2030-01-01T09:00:00Z", "filter[till]": "2030-01-03T15:00:00Z"}
    [price] = prices(v4, **params, **{"filter[item_id]": TENT})
    assert (price["charge_length"], price["charge_label"]) == (194400, "54 hours")
    assert price["price_each_in_cents"] == 4500 * 54 // 24


def test_a_bundle_costs_its_items_less_their_discounts(v4: Booqable) -> None:
    [kit] = prices(v4, **DAYS_2030, **{"filter[item_id]": KIT})
    [macbook, delivery] = prices(v4, **DAYS_2030, **{"filter[item_id]": f"{MACBOOK},{DELIVERY}"})
    assert kit["price_each_in_cents"] == round(
        macbook["price_each_in_cents"] * 0.9 + delivery["price_each_in_cents"]
    )
    assert kit["original_price_each_in_cents"] is None
    assert kit["item_id"] == KIT
    assert kit["bundle_id"] is None


def test_a_bundles_items_one_by_one(v4: Booqable) -> None:
    detail = prices(v4, **DAYS_2030, **{"filter[bundle_id]": KIT})
    assert [(p["bundle_item_id"], p["item_id"], p["bundle_id"]) for p in detail] == [
        (KIT_MACBOOK, MACBOOK, KIT),
        (KIT_DELIVERY, DELIVERY, KIT),
    ]
    [macbook] = prices(v4, **DAYS_2030, **{"filter[item_id]": MACBOOK})
    assert detail[0]["price_each_in_cents"] == round(macbook["price_each_in_cents"] * 0.9)
    undiscounted = prices(
        v4, **DAYS_2030, **{"filter[bundle_id]": KIT, "filter[ignore_discount]": "true"}
    )
    assert undiscounted[0]["price_each_in_cents"] == macbook["price_each_in_cents"]
    assert undiscounted[0]["ignore_discount"] is True


def test_a_product_group_is_priced_at_its_cheapest_product(v4: Booqable) -> None:
    groups = v4.get("/product_groups", params={"filter[has_variations]": "true"}).json()["data"]
    group_id = groups[0]["id"]
    products = v4.get("/products", params={"filter[product_group_id]": group_id}).json()["data"]
    each = {
        p["id"]: prices(v4, **DAYS_2030, **{"filter[item_id]": p["id"]})[0]["price_each_in_cents"]
        for p in products
    }
    [price] = prices(v4, **DAYS_2030, **{"filter[product_group_id]": group_id})
    assert price["product_group_id"] == group_id
    assert price["price_each_in_cents"] == min(each.values())
    assert each[price["item_id"]] == min(each.values())


def test_array_and_comma_forms_ask_the_same(v4: Booqable) -> None:
    array = v4.get(
        f"/item_prices?filter[item_id][]={MACBOOK}&filter[item_id][]={TENT}"
        "&filter[charge_length]=3600"
    )
    comma = v4.get(
        "/item_prices",
        params={"filter[item_id]": f"{MACBOOK},{TENT}", "filter[charge_length]": "3600"},
    )
    assert array.status_code == 200
    assert array.json() == comma.json()
    assert [r["attributes"]["item_id"] for r in array.json()["data"]] == [MACBOOK, TENT]


def test_ids_are_version_5_and_stable(v4: Booqable) -> None:
    first = v4.get("/item_prices", params={**DAYS_2030, "filter[item_id]": TENT}).json()
    again = v4.get("/item_prices", params={**DAYS_2030, "filter[item_id]": TENT}).json()
    other = v4.get("/item_prices", params={"filter[item_id]": TENT, "filter[charge_length]": "60"})
    ident = first["data"][0]["id"]
    assert ident[14] == "5"
    assert ident == again["data"][0]["id"]
    assert other.json()["data"][0]["id"] != ident


def test_stats_and_pages(v4: Booqable) -> None:
    params = {"filter[item_id]": f"{MACBOOK},{TENT}", "filter[charge_length]": "60"}
    response = v4.get("/item_prices", params={**params, "stats[total]": "count", "page[size]": "1"})
    assert response.json()["meta"] == {"stats": {"total": {"count": 2}}}
    assert len(response.json()["data"]) == 1


def test_include_item(v4: Booqable) -> None:
    body = v4.get(
        "/item_prices", params={**DAYS_2030, "filter[item_id]": KIT, "include": "item"}
    ).json()
    assert body["data"][0]["relationships"] == {"item": {"data": {"type": "bundles", "id": KIT}}}
    assert [(r["type"], r["id"]) for r in body["included"]] == [("bundles", KIT)]


def test_the_boomerang_path_writes_the_2024_attributes(bq: Booqable) -> None:
    [price] = prices(bq, **DAYS_2030, **{"filter[item_id]": TENT})
    assert list(price) == ATTRIBUTES_2024
    assert price["from"] == "2030-01-01T12:00:00+00:00"  # that era's whole seconds


def test_prices_follow_the_namespace_catalog(v4: Booqable) -> None:
    """Computed from the catalog of the namespace, not canned: another price, another answer."""
    use_catalog(
        v4,
        {"product_groups": [group("0c3a9a6e-0a51-4b4e-9e3f-6f2b5f0c1d01", TENT, "Tent", price=7)]},
    )
    [price] = prices(v4, **DAYS_2030, **{"filter[item_id]": TENT})
    assert price["price_each_in_cents"] == 14


# ----- bad input --------------------------------------------------------------------------


def test_an_item_is_required(v4: Booqable) -> None:
    detail = request_error(v4.get("/item_prices", params=DAYS_2030), "required_filter")
    assert detail == 'The required filter "item_id" on resource ItemPriceResource was not provided'


def test_a_period_or_a_length_is_required(v4: Booqable) -> None:
    detail = request_error(
        v4.get("/item_prices", params={"filter[item_id]": TENT}), "required_filter"
    )
    assert detail == (
        'The required filters "from, till" on resource ItemPriceResource were not provided'
    )
    only_from = {"filter[item_id]": TENT, "filter[from]": "2030-01-01T00:00:00Z"}
    assert request_error(v4.get("/item_prices", params=only_from), "required_filter") == (
        'The required filter "till" on resource ItemPriceResource was not provided'
    )


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"filter[from]": "soon", "filter[till]": "2030-01-02T00:00:00Z"}, "failed_typecasting"),
        ({"filter[from]": "2030-01-02", "filter[till]": "2030-01-01"}, "invalid_filter"),
        ({"filter[charge_length]": "ten"}, "failed_typecasting"),
        ({"filter[charge_length]": "60", "filter[ignore_discount]": "maybe"}, "failed_typecasting"),
        ({"filter[charge_length]": "60", "filter[colour]": "red"}, "invalid_filter"),
        ({"filter[charge_length]": "60", "filter[from][gt]": "2030-01-01"}, "invalid_filter"),
        ({"filter[charge_length]": "60", "include": "customer"}, "invalid_include"),
    ],
)  # fmt: skip
def test_bad_filters_are_graphiti_400s(v4: Booqable, params: dict[str, str], code: str) -> None:
    request_error(v4.get("/item_prices", params={"filter[item_id]": TENT, **params}), code)


@pytest.mark.parametrize(
    "params",
    [
        {"filter[item_id]": "00000000-0000-4000-8000-000000000000"},
        {"filter[item_id]": "21735be3-0427-4c68-843e-addae0a4ae76"},  # a product group
        {"filter[bundle_id]": TENT},
        {"filter[product_group_id]": TENT},
        {"filter[item_id]": TENT, "filter[price_ruleset_id]": TENT},
        {"filter[item_id]": TENT, "filter[price_structure_id]": TENT},
    ],
)
def test_unknown_ids_are_404(v4: Booqable, params: dict[str, str]) -> None:
    response = v4.get("/item_prices", params={**params, "filter[charge_length]": "60"})
    assert response.status_code == 404
    assert response.json() == {
        "errors": [
            {"code": "resources_not_found", "status": "404", "title": "Resource(s) not found"}
        ]
    }
