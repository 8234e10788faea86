"""Advanced search: `POST /{resource}/search` with the `conditions` tree in the body
(reference §3.6, §4.1 Search; the docs' examples for products, plannings and customers)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.booqable.conftest import JSONAPI, ORDER_RESERVED, TENT, Booqable
from tests.booqable.test_golden import fixture_ids, golden, normalise
from tests.booqable.test_query import request_error

WINDOW = {"gte": "2024-12-03T13:05:30Z", "lte": "2024-12-06T13:05:30Z"}


def create_order(bq: Booqable, starts: str, stops: str, **attributes: Any) -> str:
    response = bq.create("orders", starts_at=starts, stops_at=stops, **attributes)
    assert response.status_code == 201, response.text
    ident: str = response.json()["data"]["id"]
    return ident


def search(bq: Booqable, kind: str, body: dict[str, Any], **kwargs: Any) -> Any:
    return bq.post(f"/{kind}/search", json=body, **kwargs)


def found(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [obj["id"] for obj in response.json()["data"]]


def conditions(operator: str, *attributes: dict[str, Any]) -> dict[str, Any]:
    return {"operator": operator, "attributes": list(attributes)}


@pytest.mark.parametrize("prefix", ["/api/4", "/api/boomerang"])
def test_orders_search_matches_the_docs_example(bq: Booqable, prefix: str) -> None:
    """Two orders the docs' conditions keep (one starts in the window, one stops in it, both
    without deposit and so paid) and two they do not; the answer is the golden's, ids apart."""
    api = Booqable(bq.api, prefix=prefix)
    create_order(api, "2024-12-04T10:00:00Z", "2024-12-10T10:00:00Z", deposit_type="none")
    create_order(api, "2024-11-20T10:00:00Z", "2024-12-05T10:00:00Z", deposit_type="none")
    create_order(api, "2024-12-04T10:00:00Z", "2024-12-10T10:00:00Z")  # a deposit
    create_order(api, "2024-12-07T10:00:00Z", "2024-12-10T10:00:00Z", deposit_type="none")
    example = golden("orders_search_200")
    response = api.post("/orders/search", json=example["request"])
    assert response.status_code == example["status"], response.text
    assert response.headers["content-type"] == JSONAPI
    known = fixture_ids(api)
    assert json.dumps(normalise(response.json(), known)) == json.dumps(
        normalise(example["response"], known)
    )


def test_search_without_id_fields_answers_the_list_document(bq: Booqable) -> None:
    body = {
        "filter": {"conditions": conditions("and", {"status": "reserved"}, {"number": 1})},
        "fields": {"orders": "number,status"},
        "stats": {"total": "count"},
    }
    response = search(bq, "orders", body)
    document = response.json()
    assert found(response) == [ORDER_RESERVED]
    assert document["data"][0]["attributes"] == {"number": 1, "status": "reserved"}
    assert document["meta"] == {"stats": {"total": {"count": 1}}}


def test_id_only_answer_keeps_asked_stats(bq: Booqable) -> None:
    body = {"fields": {"orders": "id"}, "meta": {"total": ["count"]}, "page": {"size": 2}}
    document = search(bq, "orders", body).json()
    assert len(document["data"]) == 2
    assert set(document["data"][0]) == {"id"}
    assert document["meta"]["stats"]["total"]["count"] == 6


def test_body_sort_and_page_and_query_string_precedence(bq: Booqable) -> None:
    body = {"filter": {"status": "reserved"}, "sort": "number", "page": {"size": 2}}
    numbers = [o["attributes"]["number"] for o in search(bq, "orders", body).json()["data"]]
    assert numbers == [1, 2]
    # The query string wins for what it names; filters of both apply.
    response = search(bq, "orders", body, params={"sort": "-number", "filter[number][lt]": "3"})
    assert [o["attributes"]["number"] for o in response.json()["data"]] == [2, 1]


def test_json_values_of_every_kind(bq: Booqable) -> None:
    tree = conditions(
        "and",
        {"number": {"gte": 1, "lt": 2.0}},
        {"shortage": False},
        {"coupon_id": None},
        {"tag_list": ["webshop", "nope"]},
    )
    assert found(search(bq, "orders", {"filter": {"conditions": tree}})) == [ORDER_RESERVED]


def test_products_search_example(bq: Booqable) -> None:
    """DOCS-HEAD products: (discountable and taxable) or (show_in_store and taxable)."""
    tree = conditions(
        "or",
        conditions("and", {"discountable": True}, {"taxable": True}),
        conditions("and", {"show_in_store": True}, {"taxable": True}),
    )
    ids = set(
        found(
            search(bq, "products", {"fields": {"products": "id"}, "filter": {"conditions": tree}})
        )
    )
    listed = bq.get("/products", params={"filter[taxable]": "true", "page[size]": "100"}).json()[
        "data"
    ]
    expected = {
        p["id"]
        for p in listed
        if p["attributes"]["discountable"] or p["attributes"]["show_in_store"]
    }
    assert ids == expected
    assert TENT in ids


def test_customers_and_plannings_search(bq: Booqable) -> None:
    """DOCS-HEAD customers: (name john or name jane) and …; plannings: starts or stops in a
    window."""
    tree = conditions("or", {"name": {"match": "jane"}}, {"name": {"prefix": "robert"}})
    names = search(bq, "customers", {"filter": {"conditions": tree}}).json()["data"]
    assert sorted(c["attributes"]["name"] for c in names) == ["Jane Cooper", "Robert Fox"]
    window = conditions(
        "or",
        conditions(
            "and",
            {"starts_at": {"gte": "1980-03-01T00:00:00Z"}},
            {"starts_at": {"lte": "1980-04-02T00:00:00Z"}},
        ),
        conditions("and", {"stops_at": {"gte": "1990-01-01T00:00:00Z"}}),
    )
    plannings = search(
        bq, "plannings", {"fields": {"plannings": "id"}, "filter": {"conditions": window}}
    )
    assert len(found(plannings)) == 1


@pytest.mark.parametrize("kind", ["product_groups", "bundles"])
def test_other_documented_searches(bq: Booqable, kind: str) -> None:
    everything = {o["id"] for o in bq.get(f"/{kind}", params={"page[size]": "100"}).json()["data"]}
    tree = conditions("or", {"archived": False}, {"archived": True})
    assert (
        set(found(search(bq, kind, {"filter": {"conditions": tree}, "page": {"size": 100}})))
        == everything
    )


@pytest.mark.parametrize(
    "body",
    [
        {"filter": {"conditions": conditions("xor", {"number": 1})}},
        {"filter": {"conditions": {"operator": "and", "attributes": {"a": {"number": 1}}}}},
        {"filter": {"conditions": conditions("and", {"colour": "red"})}},
        {"filter": {"conditions": conditions("and", {})}},
        {"filter": {"conditions": conditions("and", {"number": {"gte": [1, {"x": 1}]}})}},
        {"filter": {"conditions": {"operator": "and", "attributes": ["number"]}}},
        {"filter": "status"},
        {"filter": {"conditions": {"operator": "and", "attributes": [], "x": 1}}},
    ],
)
def test_malformed_searches_are_graphitis_400(bq: Booqable, body: dict[str, Any]) -> None:
    request_error(search(bq, "orders", body), "invalid_filter")


def test_deep_nesting_is_a_400_not_a_crash(bq: Booqable) -> None:
    tree: dict[str, Any] = {"number": 1}
    for _ in range(40):
        tree = conditions("and", tree)
    request_error(search(bq, "orders", {"filter": {"conditions": tree}}), "invalid_filter")
    nested: dict[str, Any] = {"number": 1}
    for _ in range(40):
        nested = {"conditions": nested}
    request_error(search(bq, "orders", {"filter": {"conditions": nested}}), "invalid_filter")


def test_bad_values_in_a_search(bq: Booqable) -> None:
    response = search(bq, "orders", {"filter": {"conditions": conditions("and", {"number": "x"})}})
    request_error(response, "failed_typecasting")
    request_error(search(bq, "orders", {"page": {"size": 101}}), "invalid_page_size")
    request_error(search(bq, "orders", {"sort": "-colour"}), "invalid_sort")
    request_error(search(bq, "orders", {"stats": {"status": "average"}}), "invalid_stat")


def test_search_needs_a_json_body_and_a_documented_resource(bq: Booqable) -> None:
    missing = bq.post("/orders/search", content=b"", headers={"Content-Type": "application/json"})
    assert missing.status_code == 400
    assert bq.post("/stock_items/search", json={}).status_code == 404
    assert bq.get("/orders/search").status_code == 404  # the show of an order named `search`


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"meta": None}, "invalid_stats"),
        ({"stats": {"total": {"x": 1}}}, "invalid_stats"),
        ({"sort": None}, "invalid_sort"),
        ({"page": "1"}, "invalid_page"),
        ({"filter": None}, "invalid_filter"),
    ],
)
def test_a_malformed_body_part_is_refused_even_when_the_query_string_wins(
    bq: Booqable, body: dict[str, Any], code: str
) -> None:
    """The query string wins, but a body part is checked as its parameter is (schemathesis:
    `"meta": null` beside `?stats[total]=count` was answered 200)."""
    params = {"stats[total]": "count", "sort": "number", "page[size]": "5", "filter[number]": "1"}
    request_error(search(bq, "orders", body, params=params), code)
