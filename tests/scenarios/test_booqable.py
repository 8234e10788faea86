"""booqable-shortage-limit, observed through the Booqable API."""

from __future__ import annotations

from typing import Any

from tests.booqable.conftest import CHAIR, Booqable, product
from tests.conftest import Api
from tests.scenarios.conftest import apply

PROJECTOR = "dc98bab9-fec1-446c-a7d1-b70ebdf32946"  # bulk, stock 1, shortage limit 2
TENT = "c2452fc4-8a27-45bd-9327-85305778bcbb"  # bulk, stock 7, no shortage allowed


def reserved_order(bq: Booqable, starts: str, stops: str) -> str:
    created = bq.create("orders", starts_at=starts, stops_at=stops, status="reserved")
    assert created.status_code == 201, created.text
    order_id: str = created.json()["data"]["id"]
    return order_id


def level(bq: Booqable, item: str, starts: str, stops: str) -> dict[str, Any]:
    query = {"filter[item_id]": item, "filter[from]": starts, "filter[till]": stops}
    attributes: dict[str, Any] = bq.get("/inventory_levels", params=query).json()["data"][0][
        "attributes"
    ]
    return attributes


def test_shortage_limit_fills_the_folding_chair_tomorrow(api: Api) -> None:
    bq = Booqable(api)
    applied = apply(api, "booqable-shortage-limit")
    assert applied == {
        "order": applied["order"],
        "product": CHAIR,
        "starts_at": "2025-01-30T09:00:00Z",  # the day after the clock's, 09:00
        "stops_at": "2025-02-01T09:00:00Z",
        "quantity": 10,
        "stock_count": 8,
        "shortage_limit": 2,
        "planned": 10,
        "plannable": 0,
    }
    order = bq.get(f"/orders/{applied['order']}").json()["data"]["attributes"]
    assert order["status"] == "reserved"
    assert order["tag_list"] == ["sandbox-scenario"]
    figures = level(bq, CHAIR, applied["starts_at"], applied["stops_at"])
    assert (figures["location_available"], figures["location_plannable"]) == (-2, 0)


def test_a_further_booking_of_one_over_an_overlapping_period_is_blocking(api: Api) -> None:
    bq = Booqable(api)
    apply(api, "booqable-shortage-limit")
    other = reserved_order(bq, "2025-01-31T12:00:00Z", "2025-02-03T12:00:00Z")
    response = bq.book(other, product(id=CHAIR, quantity=1), confirm_shortage=True)
    assert response.status_code == 422
    meta = response.json()["errors"][0]["meta"]
    assert meta["warning"] == []
    assert [(b["reason"], b["item_id"], b["shortage"]) for b in meta["blocking"]] == [
        ("shortage", CHAIR, 3)
    ]


def test_outside_the_period_the_product_is_free(api: Api) -> None:
    bq = Booqable(api)
    apply(api, "booqable-shortage-limit")
    after = reserved_order(bq, "2025-02-01T09:00:00Z", "2025-02-02T09:00:00Z")
    assert bq.book(after, product(id=CHAIR, quantity=8)).status_code == 201


def test_a_product_and_period_of_ones_own(api: Api) -> None:
    bq = Booqable(api)
    starts, stops = "2025-03-01T10:07:00Z", "2025-03-01T18:00:00Z"
    applied = apply(
        api, "booqable-shortage-limit", product=PROJECTOR, starts_at=starts, stops_at=stops
    )
    assert applied["starts_at"] == "2025-03-01T10:00:00Z"  # Booqable's quarter-hour rounding
    assert (applied["quantity"], applied["stock_count"], applied["shortage_limit"]) == (3, 1, 2)
    order = bq.get(f"/orders/{applied['order']}").json()["data"]["attributes"]
    assert order["starts_at"].startswith("2025-03-01T10:00:00")


def test_without_a_shortage_limit_the_stock_is_filled(api: Api) -> None:
    bq = Booqable(api)
    applied = apply(api, "booqable-shortage-limit", product=TENT)
    assert (applied["quantity"], applied["shortage_limit"], applied["plannable"]) == (7, 0, 0)
    other = reserved_order(bq, applied["starts_at"], applied["stops_at"])
    response = bq.book(other, product(id=TENT, quantity=1), confirm_shortage=True)
    assert response.status_code == 422


def test_what_others_hold_counts_and_a_second_run_books_nothing(api: Api) -> None:
    bq = Booqable(api)
    mine = reserved_order(bq, "2025-01-30T09:00:00Z", "2025-01-30T18:00:00Z")
    assert bq.book(mine, product(id=CHAIR, quantity=3)).status_code == 201
    first = apply(api, "booqable-shortage-limit")
    assert (first["quantity"], first["planned"]) == (7, 10)
    again = apply(api, "booqable-shortage-limit")
    assert (again["order"], again["quantity"], again["plannable"]) == (None, 0, 0)
