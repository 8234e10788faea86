"""The documented filters beyond plain attributes (reference §3.6, each resource's "Filters"
table in DOCS-2022 and DOCS-HEAD), Rack's `+` in datetimes, `meta[…]` stats, stats per value
and Graphiti's 400s for what cannot be filtered, sorted, aggregated or paged."""

from __future__ import annotations

from typing import Any

import pytest

from tests.booqable.conftest import (
    IPAD,
    IPAD_ITEMS,
    MACBOOK,
    ORDER_NEW,
    ORDER_RESERVED,
    ORDER_SHORT,
    TENT,
    Booqable,
    product,
)
from tests.booqable.test_query import request_error

JANE = "7e40e65d-089a-4ea0-978a-3482451bdbd2"  # Jane Cooper, orders 1 and 2
ROBERT = "40d4ae19-fb42-432c-9405-7c2206351a7c"  # Robert Fox, order 3
USER_EXAMPLE = "2f84548b-af55-41c4-a28e-0164c5739d5a"  # order 200 (2025)
ORDER_3 = "7342d776-05bf-4899-a02d-b61370b3ba82"
ORDER_200 = "3e037580-3d7a-4d23-876c-f0ba1a481bb7"  # concept, 2025-04-09 .. 2025-04-11
ORDER_NEW_2024 = "74cc3b23-93df-4fee-b687-1e0fdcc580bf"  # new, 2024-06-08 .. 2024-06-12
MAIN_STORE = "bb151c46-29e9-46e8-8db7-ffbe16ed7c73"


def ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.text
    return {obj["id"] for obj in response.json()["data"]}


def orders(bq: Booqable, **params: Any) -> set[str]:
    return ids(bq.get("/orders", params={"page[size]": "100", **params}))


# --- orders' own filters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("cooper", {ORDER_RESERVED, ORDER_SHORT}),  # the customer's name, in part
        ("ROBERT.FOX@", {ORDER_3}),  # the customer's email, in part, any case
        ("3", {ORDER_3}),  # the order number, exactly
        ("200,2", {ORDER_200, ORDER_SHORT}),  # any of several
        ("nobody", set()),
    ],
)
def test_orders_q(bq: Booqable, q: str, expected: set[str]) -> None:
    assert orders(bq, **{"filter[q]": q}) == expected


def test_orders_item_id_and_stock_item_id(bq: Booqable) -> None:
    assert orders(bq, **{"filter[item_id]": MACBOOK}) == {ORDER_RESERVED}
    booked = bq.book(ORDER_SHORT, product(id=IPAD, stock_item_ids=[IPAD_ITEMS[0]]))
    assert booked.status_code == 201, booked.text
    assert orders(bq, **{"filter[item_id]": f"{IPAD},{TENT}"}) == {ORDER_SHORT}
    assert orders(bq, **{"filter[stock_item_id]": IPAD_ITEMS[0]}) == {ORDER_SHORT}
    assert orders(bq, **{"filter[stock_item_id][]": IPAD_ITEMS[1:]}) == set()
    # Documented with `eq` only.
    request_error(bq.get("/orders", params={"filter[item_id][not_eq]": IPAD}), "invalid_filter")


def test_orders_start_or_stop_time(bq: Booqable) -> None:
    """`gte` and `lte` together: the orders whose period touches the range."""
    touching = orders(
        bq,
        **{
            "filter[start_or_stop_time][gte]": "2024-06-10T00:00:00Z",
            "filter[start_or_stop_time][lte]": "2025-04-10T00:00:00Z",
        },
    )
    assert touching == {ORDER_NEW_2024, ORDER_200}
    assert orders(bq, **{"filter[start_or_stop_time][lt]": "1990-01-01T00:00:00Z"}) == {
        ORDER_3,
        ORDER_RESERVED,
        ORDER_SHORT,
    }


@pytest.mark.parametrize(
    "between",
    [
        {"filter[start_or_stop_time][between]": "2024-06-09T00:00:00Z,2024-06-12T09:15:00Z"},
        {"filter[start_or_stop_time][between][]": ["2024-06-09T00:00:00Z", "2024-06-12T09:15:00Z"]},
        {
            "filter[start_or_stop_time][between][from]": "2024-06-09T00:00:00Z",
            "filter[start_or_stop_time][between][till]": "2024-06-12T09:15:00Z",
        },
    ],
)
def test_orders_start_or_stop_time_between(bq: Booqable, between: dict[str, Any]) -> None:
    """`between` finds the orders that start or stop inside it, both ends included."""
    assert orders(bq, **between) == {ORDER_NEW_2024}


@pytest.mark.parametrize("value", ["2024-06-09T00:00:00Z", "a,b,c", "2024-06-09T00:00:00Z,soon"])
def test_between_needs_two_datetimes(bq: Booqable, value: str) -> None:
    response = bq.get("/orders", params={"filter[start_or_stop_time][between]": value})
    assert response.status_code == 400
    assert response.json()["errors"][0]["meta"]["code"] in ("invalid_filter", "failed_typecasting")


def test_between_is_only_where_documented(bq: Booqable) -> None:
    response = bq.get("/orders", params={"filter[starts_at][between]": "2024-01-01,2025-01-01"})
    error = request_error(response, "invalid_filter")
    assert "invalid filter" in error["detail"]


def test_orders_any_shortage(bq: Booqable) -> None:
    assert orders(bq, **{"filter[any_shortage]": "true"}) == set()
    assert ORDER_RESERVED in orders(bq, **{"filter[any_shortage]": "false"})
    request_error(bq.get("/orders", params={"filter[any_shortage]": "maybe"}), "failed_typecasting")


def test_orders_2022_string_operators_and_2025_id_gt(bq: Booqable) -> None:
    """`status` was a string filter in DOCS-2022 (prefix…); `id` takes `gt` since 2024."""
    assert orders(bq, **{"filter[status][prefix]": "RES"}) == {
        ORDER_3,
        ORDER_RESERVED,
        ORDER_SHORT,
    }
    assert orders(bq, **{"filter[id][gt]": "7"}) == {ORDER_3, ORDER_NEW_2024, ORDER_SHORT}
    assert orders(bq, **{"filter[statuses][not_eq]": "reserved"}) == {
        ORDER_200,
        ORDER_NEW,
        ORDER_NEW_2024,
    }


def test_orders_2025_totals_filter_on_both_prefixes(bq: Booqable) -> None:
    for prefix in ("/api/boomerang", "/api/4"):
        v4 = Booqable(bq.api, prefix=prefix)
        everything = orders(v4)
        assert orders(v4, **{"filter[total_in_cents][gte]": "0"}) == everything
        assert orders(v4, **{"filter[has_signed_contract]": "false"}) == everything
        assert orders(v4, **{"filter[item_count][gt]": "0"}) == {ORDER_RESERVED}


def test_orders_conditions_in_the_query_string(bq: Booqable) -> None:
    indexed = {
        "filter[conditions][operator]": "or",
        "filter[conditions][attributes][0][number]": "3",
        "filter[conditions][attributes][1][status]": "concept",
    }
    assert orders(bq, **indexed) == {ORDER_3, ORDER_200}
    # Rack's `[][name]`: a repeated name starts the next hash.
    listed = "&".join(
        [
            "filter[conditions][operator]=or",
            "filter[conditions][attributes][][customer_id]=" + ROBERT,
            "filter[conditions][attributes][][customer_id]=" + JANE,
            "page[size]=100",
        ]
    )
    assert ids(bq.get(f"/orders?{listed}")) == {ORDER_3, ORDER_RESERVED, ORDER_SHORT}


@pytest.mark.parametrize(
    "params",
    [
        {"filter[conditions][operator]": "xor", "filter[conditions][attributes][0][number]": "3"},
        {"filter[conditions][operator]": "or", "filter[conditions][attributes]": "number"},
        {"filter[conditions][attributes][0][colour]": "red"},
        {"filter[conditions]": "anything"},
    ],
)
def test_malformed_conditions_are_400(bq: Booqable, params: dict[str, str]) -> None:
    request_error(bq.get("/orders", params=params), "invalid_filter")


def test_conditions_only_where_documented(bq: Booqable) -> None:
    response = bq.get("/stock_items", params={"filter[conditions][attributes][0][status]": "x"})
    request_error(response, "invalid_filter")


# --- Rack's decoding, typecasting ---------------------------------------------------------------


def test_a_datetime_whose_plus_became_a_space_is_read_as_an_offset(bq: Booqable) -> None:
    """The docs' own example: `filter[starts_at][gte]=1980-11-16T09:00:00+00:00` unescaped
    arrives as `…09:00:00 00:00`; Ruby's parser still reads the offset."""
    raw = bq.get("/orders?filter[starts_at][gte]=2024-06-08T09:15:00+00:00&page[size]=100")
    escaped = orders(bq, **{"filter[starts_at][gte]": "2024-06-08T09:15:00+00:00"})
    assert ids(raw) == escaped == {ORDER_NEW_2024, ORDER_200}
    shifted = bq.get("/orders?filter[starts_at][gte]=2024-06-08T10:15:00+01:00&page[size]=100")
    assert ids(shifted) == escaped


@pytest.mark.parametrize(
    "value", ["2024-06-08 09:15:00", "2024-06-08 09:15:00 UTC", "2024-06-08T09:15:00Z"]
)
def test_datetime_spellings(bq: Booqable, value: str) -> None:
    assert orders(bq, **{"filter[starts_at][eq]": value}) == {ORDER_NEW_2024}


def test_failed_typecasting_names_the_resource(bq: Booqable) -> None:
    error = request_error(
        bq.get("/orders", params={"filter[number][gt]": "three"}), "failed_typecasting"
    )
    assert "OrderResource" in error["detail"]
    assert "failed typecasting" in error["detail"]


def test_unknown_filter_and_operator_texts(bq: Booqable) -> None:
    """The gem maps a 400 whose body says "invalid filter" to Booqable::InvalidFilter."""
    unknown = request_error(bq.get("/orders", params={"filter[colour]": "red"}), "invalid_filter")
    assert unknown["detail"].startswith("invalid filter: OrderResource: ")
    operator = request_error(
        bq.get("/customers", params={"filter[latest_order_at][eq]": "2024-01-01"}),
        "invalid_filter",
    )
    assert "gt, gte, lt, lte" in operator["detail"]


# --- other resources ------------------------------------------------------------------------


def test_customers_q_and_order_figures(bq: Booqable) -> None:
    customers = bq.get("/customers", params={"filter[q]": "cooper"}).json()["data"]
    assert [c["id"] for c in customers] == [JANE]
    assert ids(bq.get("/customers", params={"filter[order_count][gte]": "2"})) == {JANE}
    assert ids(
        bq.get("/customers", params={"filter[latest_order_at][gt]": "2000-01-01T00:00:00Z"})
    ) == {JANE, ROBERT, USER_EXAMPLE}
    figures = bq.get("/customers", params={"filter[revenue_in_cents][gt]": "0", "filter[id]": JANE})
    assert ids(figures) == {JANE}


def test_catalog_q_filters(bq: Booqable) -> None:
    assert ids(bq.get("/products", params={"filter[q]": "TENT"})) == {TENT}
    stock = bq.get("/stock_items", params={"filter[q]": "R6-000"}).json()["data"]
    assert {s["attributes"]["identifier"] for s in stock} == {f"R6-000{n}" for n in range(1, 7)}


def test_derived_filters_of_plannings_and_stock_item_plannings(bq: Booqable) -> None:
    booked = bq.book(ORDER_RESERVED, product(id=IPAD, stock_item_ids=[IPAD_ITEMS[2]]))
    assert booked.status_code == 201, booked.text
    plannings = bq.get("/plannings", params={"filter[item_type]": "Product"}).json()["data"]
    assert {p["attributes"]["item_id"] for p in plannings} == {MACBOOK, IPAD}
    reserved = ids(bq.get("/plannings", params={"filter[status]": "reserved"}))
    assert len(reserved) == 2
    assert ids(bq.get("/plannings", params={"filter[archived]": "false"})) == reserved
    assert ids(bq.get("/plannings", params={"filter[q]": "macbook"})) < reserved
    sips = bq.get(
        "/stock_item_plannings",
        params={"filter[status]": "reserved", "filter[starts_at]": "1980-04-01T12:00:00Z"},
    ).json()["data"]
    assert [s["attributes"]["stock_item_id"] for s in sips] == [IPAD_ITEMS[2]]


def test_line_filters(bq: Booqable) -> None:
    lines = bq.get("/lines", params={"filter[taxable]": "true", "filter[relevant]": "true"})
    assert [line["attributes"]["title"] for line in lines.json()["data"]] == ["Macbook Pro"]
    assert ids(bq.get("/lines", params={"filter[bundle_item_id]": TENT})) == set()


def test_location_filters(bq: Booqable) -> None:
    everything = ids(bq.get("/locations"))
    assert MAIN_STORE in everything
    assert ids(bq.get("/locations", params={"filter[fulfillment_capabilities][any_of]": "x"})) == (
        set()
    )
    request_error(
        bq.get("/locations", params={"filter[fulfillment_capabilities][eq]": "x"}),
        "invalid_filter",
    )


# --- stats, sort, pages -------------------------------------------------------------------------


def test_meta_is_a_synonym_of_stats(bq: Booqable) -> None:
    """The per-resource tables call the parameter `meta` (`?meta[total][]=count`)."""
    body = bq.get("/orders", params={"meta[total][]": "count"}).json()
    assert body["meta"] == {"stats": {"total": {"count": len(body["data"])}}}


def test_sum_over_an_enum_counts_per_value(bq: Booqable) -> None:
    """DOCS-2024 `_inventory_breakdowns.md`: `sum` over an enum gives a per-value hash."""
    body = bq.get(
        "/orders", params={"stats[status]": "sum", "stats[price_in_cents][]": ["sum", "maximum"]}
    ).json()
    assert body["meta"]["stats"]["status"]["sum"] == {"concept": 1, "reserved": 3, "new": 2}
    assert body["meta"]["stats"]["price_in_cents"]["maximum"] >= 0


@pytest.mark.parametrize(
    ("stat", "detail"),
    [
        (
            "stats[status]=average",
            "No stat configured for calculation :average on attribute :status",
        ),
        ("stats[total]=sum", "No stat configured for calculation :sum on attribute :total"),
        ("stats[colour]=count", "No stat configured for calculation :count on attribute :colour"),
    ],
)
def test_unconfigured_stats_are_graphitis_400(bq: Booqable, stat: str, detail: str) -> None:
    error = request_error(bq.get(f"/orders?{stat}"), "invalid_stat")
    assert error["detail"] == detail


def test_average_of_a_float_stays_a_float(bq: Booqable) -> None:
    body = bq.get("/customers", params={"stats[discount_percentage]": "average"}).json()
    assert isinstance(body["meta"]["stats"]["discount_percentage"]["average"], float)


def test_sort_and_stats_on_2025_attributes_under_api_4(bq: Booqable) -> None:
    v4 = Booqable(bq.api, prefix="/api/4")
    assert v4.get("/orders", params={"sort": "-item_count"}).status_code == 200
    request_error(bq.get("/orders", params={"sort": "-item_count"}), "invalid_sort")


def test_page_size_over_100_is_graphitis_text(bq: Booqable) -> None:
    error = request_error(bq.get("/orders", params={"page[size]": "101"}), "invalid_page_size")
    assert error["detail"] == "Requested page size 101 is greater than max supported size 100"
