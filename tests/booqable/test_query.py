"""Graphiti's query parameters on the catalog lists: fields, filter, sort, page and stats."""

from __future__ import annotations

from typing import Any

import pytest

from booking_sandbox.vendors.booqable.query import rack_parse
from tests.booqable.conftest import DJ, MACBOOK, TENT, Booqable

PLAIN_JSON = "application/json; charset=utf-8"
CAMERA = "a2d96edf-7d8b-42de-9897-e5aee335f3ca"  # trackable, stock count 3


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [obj["attributes"]["name"] for obj in response.json()["data"]]


def request_error(response: Any, code: str) -> dict[str, Any]:
    """A Graphiti request error: 400 bad_request as plain JSON, with its sandbox code."""
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == PLAIN_JSON
    error: dict[str, Any] = response.json()["errors"][0]
    assert (error["code"], error["status"], error["title"]) == (
        "bad_request",
        "400",
        "Request Error",
    )
    assert error["meta"]["code"] == code
    return error


# --- sparse fieldsets -------------------------------------------------------------------------


def test_fields_keep_the_resource_order(bq: Booqable) -> None:
    body = bq.get(f"/products/{TENT}", params={"fields[products]": "sku,name"}).json()
    assert body["data"]["attributes"] == {"name": "Party tent 3x3", "sku": "TENT-3X3"}


def test_fields_of_included_resources(bq: Booqable) -> None:
    body = bq.get(
        f"/products/{MACBOOK}",
        params={
            "include": "product_group",
            "fields[products]": "name",
            "fields[product_groups]": "tracking_type",
        },
    ).json()
    assert body["data"]["attributes"] == {"name": "Macbook Pro"}
    assert body["included"][0]["attributes"] == {"tracking_type": "bulk"}


def test_field_names_are_taken_as_sent(bq: Booqable) -> None:
    """` sku` names no attribute (Graphiti does not strip): it is not shown."""
    body = bq.get(f"/products/{TENT}", params={"fields[products]": "name, sku,,"}).json()
    assert body["data"]["attributes"] == {"name": "Party tent 3x3"}


def test_fields_should_be_an_object(bq: Booqable) -> None:
    error = request_error(bq.get("/products", params={"fields": "name"}), "invalid_fields")
    assert error["detail"] == "fields should be an object"


# --- include --------------------------------------------------------------------------------


@pytest.mark.parametrize("include", ["\x0b", " product_group", "product_group,\ttax_category"])
def test_include_names_are_taken_as_sent(bq: Booqable, include: str) -> None:
    """Graphiti's include directive does not strip: whitespace is part of an unknown name
    (the sandbox stripped it, and `include=%0B` was answered 200: schemathesis)."""
    request_error(bq.get(f"/products/{MACBOOK}", params={"include": include}), "invalid_include")
    assert bq.get(f"/products/{MACBOOK}", params={"include": ",product_group,"}).status_code == 200


# --- filters --------------------------------------------------------------------------------


def test_bare_filter_is_eq_and_ignores_case(bq: Booqable) -> None:
    assert names(bq.get("/products", params={"filter[name]": "party TENT 3x3"})) == [
        "Party tent 3x3"
    ]


def test_eql_is_case_sensitive(bq: Booqable) -> None:
    assert names(bq.get("/products", params={"filter[name][eql]": "party tent 3x3"})) == []
    assert names(bq.get("/products", params={"filter[name][eql]": "Party tent 3x3"})) == [
        "Party tent 3x3"
    ]


def test_string_operators(bq: Booqable) -> None:
    prefix = names(bq.get("/products", params={"filter[name][prefix]": "product 1000001"}))
    assert sorted(prefix) == ["Product 1000001 - blue", "Product 1000001 - red"]
    suffix = names(bq.get("/products", params={"filter[name][suffix]": "- red"}))
    assert sorted(suffix) == ["Product 1000001 - red", "Product 1000049 - red"]
    match = names(bq.get("/products", params={"filter[sku][match]": "tent"}))
    assert match == ["Party tent 3x3"]
    everything = len(names(bq.get("/products", params={"page[size]": "100"})))
    not_prefix = names(
        bq.get("/products", params={"filter[name][not_prefix]": "product", "page[size]": "100"})
    )
    assert len(not_prefix) == everything - 4


def test_not_eq(bq: Booqable) -> None:
    found = bq.get("/products", params={"filter[tracking_type][not_eq]": "bulk"}).json()["data"]
    assert {p["attributes"]["tracking_type"] for p in found} == {"trackable", "none"}


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("gt", "4500", {"Canon EOS R6"}),
        ("gte", "6500", {"Canon EOS R6"}),
        ("lt", "150", {"Product 1000001 - red", "Product 1000001 - blue"}),
        ("lte", "150", {"Folding chair", "Product 1000001 - red", "Product 1000001 - blue"}),
        ("eq", "4500", {"Party tent 3x3"}),
    ],
)
def test_integer_comparisons(bq: Booqable, op: str, value: str, expected: set[str]) -> None:
    # Only the 2022 products, so that later fixture additions do not move the answers.
    response = bq.get(
        "/products",
        params={
            f"filter[base_price_in_cents][{op}]": value,
            "filter[created_at][lt]": "2024-01-01T00:00:00Z",
        },
    )
    assert set(names(response)) == expected


def test_datetime_range(bq: Booqable) -> None:
    response = bq.get(
        "/product_groups",
        params={
            "filter[created_at][gte]": "2024-06-10T09:27:05+00:00",
            "filter[created_at][lt]": "2024-12-02T13:00:00Z",
        },
    )
    assert sorted(names(response)) == ["Macbook Pro", "Product 1000049", "iPad Pro"]


def test_boolean_filter(bq: Booqable) -> None:
    found = names(bq.get("/products", params={"filter[allow_shortage]": "true"}))
    assert sorted(found) == ["Folding chair", "Projector"]


def test_array_filter_matches_any_tag(bq: Booqable) -> None:
    found = names(bq.get("/product_groups", params={"filter[tag_list]": "tents,audio"}))
    assert sorted(found) == ["DJ controller", "Party tent 3x3"]


@pytest.mark.parametrize(
    "params",
    [
        {"filter[id]": f"{TENT},{DJ}"},
        {"filter[id][]": [TENT, DJ]},
        {"filter[id][eq]": f"{TENT},{DJ}"},
    ],
)
def test_comma_and_array_values(bq: Booqable, params: dict[str, Any]) -> None:
    assert sorted(names(bq.get("/products", params=params))) == ["DJ controller", "Party tent 3x3"]


def test_unknown_filter_is_400(bq: Booqable) -> None:
    error = request_error(bq.get("/products", params={"filter[colour]": "red"}), "invalid_filter")
    assert "colour" in error["detail"]


def test_unsupported_operator_is_400(bq: Booqable) -> None:
    response = bq.get("/products", params={"filter[product_group_id][prefix]": "21"})
    request_error(response, "invalid_filter")


@pytest.mark.parametrize(
    "params",
    [
        {"filter[lag_time][gt]": "soon"},
        {"filter[created_at]": "yesterday"},
        {"filter[archived]": "maybe"},
    ],
)
def test_failed_typecasting_is_400(bq: Booqable, params: dict[str, str]) -> None:
    error = request_error(bq.get("/products", params=params), "failed_typecasting")
    assert "failed typecasting" in error["detail"]


# --- sort -----------------------------------------------------------------------------------


def test_default_order_is_newest_first(bq: Booqable) -> None:
    found = bq.get("/product_groups", params={"page[size]": "100"}).json()["data"]
    created = [g["attributes"]["created_at"] for g in found]
    assert created == sorted(created, reverse=True)


def test_sort_ascending_and_descending(bq: Booqable) -> None:
    params = {"filter[tracking_type]": "bulk", "page[size]": "100"}
    ascending = names(bq.get("/products", params={**params, "sort": "name"}))
    descending = names(bq.get("/products", params={**params, "sort": "-name"}))
    assert ascending == sorted(ascending)
    assert descending == list(reversed(ascending))


def test_sort_on_two_keys(bq: Booqable) -> None:
    found = bq.get(
        "/stock_items", params={"sort": "-status,identifier", "filter[product_id]": CAMERA}
    ).json()["data"]
    pairs = [(s["attributes"]["status"], s["attributes"]["identifier"]) for s in found]
    assert pairs == [
        ("in_stock", "R6-0001"),
        ("in_stock", "R6-0002"),
        ("in_stock", "R6-0003"),
        ("expired", "R6-0005"),
        ("expected", "R6-0004"),
        ("archived", "R6-0006"),
    ]


def test_unknown_sort_is_400(bq: Booqable) -> None:
    request_error(bq.get("/products", params={"sort": "-colour"}), "invalid_sort")


@pytest.mark.parametrize("sort", ["\x0c", " name", "name, sku", ",name", "name,,sku"])
def test_sort_keys_are_split_as_ruby_splits(bq: Booqable, sort: str) -> None:
    """No stripping, and only trailing empty keys are dropped (Ruby's `split`): the sandbox
    stripped and skipped, and `sort=%0C` was answered 200 (schemathesis)."""
    request_error(bq.get("/products", params={"sort": sort}), "invalid_sort")
    assert names(bq.get("/products", params={"sort": "name,"})) == names(
        bq.get("/products", params={"sort": "name"})
    )


# --- pages ----------------------------------------------------------------------------------


def test_pages_split_the_sorted_list(bq: Booqable) -> None:
    everything = names(bq.get("/products", params={"sort": "name", "page[size]": "100"}))
    first = names(bq.get("/products", params={"sort": "name", "page[size]": "4"}))
    second = names(
        bq.get("/products", params={"sort": "name", "page[size]": "4", "page[number]": "2"})
    )
    past = names(
        bq.get("/products", params={"sort": "name", "page[size]": "4", "page[number]": "9"})
    )
    assert first == everything[:4]
    assert second == everything[4:8]
    assert past == []


def test_default_page_size_is_25(bq: Booqable) -> None:
    found = bq.get("/stock_items", params={"page[size]": "10"}).json()["data"]
    assert len(found) == 10
    assert len(bq.get("/stock_items").json()["data"]) == 14  # fewer than 25: all of them


def test_page_size_over_100_is_400(bq: Booqable) -> None:
    request_error(bq.get("/products", params={"page[size]": "101"}), "invalid_page_size")


def test_page_should_be_an_object(bq: Booqable) -> None:
    error = request_error(bq.get("/products", params={"page": "1"}), "invalid_page")
    assert error["detail"] == "page should be an object"


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_page_number_must_be_positive(bq: Booqable, value: str) -> None:
    request_error(bq.get("/products", params={"page[number]": value}), "invalid_page")


# --- stats ----------------------------------------------------------------------------------


def test_stats_count_the_filtered_unpaginated_list(bq: Booqable) -> None:
    body = bq.get(
        "/products",
        params={"filter[tracking_type]": "trackable", "page[size]": "1", "stats[total]": "count"},
    ).json()
    assert len(body["data"]) == 1
    assert body["meta"] == {"stats": {"total": {"count": 4}}}


def test_stats_count_each_value_and_sum(bq: Booqable) -> None:
    body = bq.get(
        "/stock_items",
        params={
            "filter[product_id]": CAMERA,
            "stats[status]": "count",
            "stats[total][]": "count",
        },
    ).json()
    assert body["meta"]["stats"] == {
        "status": {"count": {"in_stock": 3, "expected": 1, "expired": 1, "archived": 1}},
        "total": {"count": 6},
    }
    totals = bq.get(
        "/products", params={"filter[tracking_type]": "bulk", "stats[base_price_in_cents]": "sum"}
    ).json()
    assert totals["meta"]["stats"]["base_price_in_cents"]["sum"] == 4500 + 150 + 2500 * 2 + 4000


def test_unknown_stat_is_400(bq: Booqable) -> None:
    request_error(bq.get("/products", params={"stats[colour]": "count"}), "invalid_stat")


def test_aggregates_are_split_as_ruby_splits(bq: Booqable) -> None:
    """`count,,sum` names an empty aggregate (400); a trailing comma is dropped."""
    request_error(bq.get("/products", params={"stats[total]": ",count"}), "invalid_stat")
    request_error(bq.get("/products", params={"stats[total]": "count,,count"}), "invalid_stat")
    body = bq.get("/products", params={"stats[total]": "count,"}).json()
    assert body["meta"] == {"stats": {"total": {"count": len(body["data"])}}}


# --- malformed parameter names ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("stats[]total]", "invalid_stats"),
        ("filter[]name]", "invalid_filter"),
        ("fields[][products]", "invalid_fields"),
        ("page[][size]", "invalid_page"),
        ("include[][product_group]", "invalid_include"),
        ("sort[]x]", "invalid_sort"),
    ],
)
def test_malformed_brackets_nest_as_rack_nests_them(bq: Booqable, name: str, code: str) -> None:
    """`stats[]total]=count` is Rack's `{"stats": [{"total": "count"}]}`: a list where an
    object is wanted, a 400. The sandbox ignored such names (200: schemathesis)."""
    request_error(bq.get("/products", params={name: "count"}), code)


def test_rack_nesting() -> None:
    assert rack_parse("a[b][c]=1&d[]=x&d[]=y&e[][f]=1&e[][g]=2&e[][f]=3&[h]=4&i]=5") == {
        "a": {"b": {"c": "1"}},
        "d": ["x", "y"],
        "e": [{"f": "1", "g": "2"}, {"f": "3"}],
        "h": "4",
        "i": "5",
    }


def test_stats_count_each_counts_every_element_of_a_list(bq: Booqable) -> None:
    body = bq.get("/product_groups", params={"stats[tag_list]": "count_each"}).json()
    counts = body["meta"]["stats"]["tag_list"]["count_each"]
    assert counts["tents"] == 1
    assert counts["audio"] == 1


@pytest.mark.parametrize("name", ["total", "status", "LkFd"])
def test_a_stat_with_no_calculation_is_400(bq: Booqable, name: str) -> None:
    response = bq.get(f"/orders?stats[{name}]=")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["detail"] == f"stats[{name}] names no calculation"
    assert error["meta"]["code"] == "invalid_stats"
