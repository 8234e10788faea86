"""Rules a client reads in the vendor's docs (issue 16): a date alone books a timed product,
the empty product code is a 400, and `limit` is "max 100" as VineJS enforces it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.pontcentral.conftest import Partner, compact, seed_request
from tests.pontcentral.test_bookings import people, slot_stock

# PROD-001 starts at 09:00 and 14:00 and takes the English guide (15 places) for 120 minutes.
TOUR = "PROD-001"
DAY = "2026-03-25"


DATE_ONLY = "00:00"  # what a date-only item reads back, whichever start time it holds


def booked_time(response: Any, index: int = 0) -> tuple[str, str]:
    assert response.status_code == 200, response.text
    item = response.json()["booking"]["items"][index]
    return item["reservationDate"], item["reservationTime"]


# ----- reservationDateTime: a date alone on a timed product ------------------------------


def test_a_date_alone_books_the_first_start_time_of_the_day(pc: Partner) -> None:
    response = pc.book(productCode=TOUR, reservationDateTime=DAY, quantities=people(2))
    assert booked_time(response) == (DAY, DATE_ONLY)
    number = response.json()["booking"]["bookingNumber"]
    detail = pc.get(f"/bookings/{number}").json()["booking"]["items"][0]
    assert (detail["reservationDate"], detail["reservationTime"]) == (DAY, DATE_ONLY)
    assert slot_stock(pc, TOUR, DAY, "09:00") == 13
    assert slot_stock(pc, TOUR, DAY, "14:00") == 15


def test_a_date_alone_skips_the_start_times_that_cannot_take_the_item(pc: Partner) -> None:
    full = pc.book(productCode=TOUR, reservationDateTime=f"{DAY}T09:00:00", quantities=people(14))
    assert booked_time(full) == (DAY, "09:00")
    # One place is left at 09:00: two people go to 14:00, one still fits at 09:00.
    two = pc.book(productCode=TOUR, reservationDateTime=DAY, quantities=people(2))
    assert booked_time(two) == (DAY, DATE_ONLY)
    assert slot_stock(pc, TOUR, DAY, "14:00") == 13
    one = pc.book(productCode=TOUR, reservationDateTime=DAY, quantities=people(1))
    assert booked_time(one) == (DAY, DATE_ONLY)
    assert slot_stock(pc, TOUR, DAY, "09:00") == 0


def test_a_date_alone_today_skips_the_start_times_already_past(pc: Partner) -> None:
    # The clock is 10:00Z, 11:00 in Paris: the cruise's 11:00 is no longer bookable.
    cruise = "TOUR-SEINE-CRUISE"
    before = slot_stock(pc, cruise, "2026-03-20", "14:00")
    response = pc.book(productCode=cruise, reservationDateTime="2026-03-20", quantities=people(1))
    assert booked_time(response) == ("2026-03-20", DATE_ONLY)
    assert slot_stock(pc, cruise, "2026-03-20", "14:00") == before - 1


def test_date_only_items_of_one_request_fit_beside_each_other(pc: Partner) -> None:
    item = {"productCode": TOUR, "reservationDateTime": DAY, "quantities": people(10)}
    response = pc.post("/bookings/create", json=seed_request(items=[item, item]))
    assert booked_time(response, 0) == booked_time(response, 1) == (DAY, DATE_ONLY)
    assert slot_stock(pc, TOUR, DAY, "09:00") == 5
    assert slot_stock(pc, TOUR, DAY, "14:00") == 5


@pytest.mark.parametrize(
    ("product", "day", "size"),
    [
        (TOUR, DAY, 16),  # no start time has 16 places
        ("TOUR-CATACOMBS-VIP", "2026-03-23", 1),  # a Monday: the tour does not run
        ("TOUR-EIFFEL-SKIP-LINE", "2026-03-19", 1),  # yesterday
    ],
)
def test_a_date_with_no_start_time_to_be_had_conflicts(
    pc: Partner, product: str, day: str, size: int
) -> None:
    response = pc.book(productCode=product, reservationDateTime=day, quantities=people(size))
    assert response.status_code == 409, response.text
    assert response.json()["error"]["message"] == "Resource not available for requested slot"
    assert pc.allocations() == []


def test_an_update_to_a_date_alone_books_that_days_first_start_time(pc: Partner) -> None:
    response = pc.book(
        productCode=TOUR, reservationDateTime=f"{DAY}T14:00:00", quantities=people(3)
    )
    number = response.json()["booking"]["bookingNumber"]
    moved = pc.put(
        f"/bookings/{number}",
        json={"items": [{"productCode": TOUR, "reservationDateTime": "2026-03-26"}]},
    )
    assert booked_time(moved) == ("2026-03-26", DATE_ONLY)
    assert slot_stock(pc, TOUR, DAY, "14:00") == 15
    assert slot_stock(pc, TOUR, "2026-03-26", "09:00") == 12


def test_an_update_to_the_date_a_row_has_keeps_its_start_time(pc: Partner) -> None:
    response = pc.book(
        productCode=TOUR, reservationDateTime=f"{DAY}T14:00:00", quantities=people(3)
    )
    number = response.json()["booking"]["bookingNumber"]
    kept = pc.put(
        f"/bookings/{number}",
        json={
            "items": [{"productCode": TOUR, "reservationDateTime": DAY, "quantities": people(5)}]
        },
    )
    assert booked_time(kept) == (DAY, "14:00")  # the row is kept as it was, time and all
    assert slot_stock(pc, TOUR, DAY, "14:00") == 10
    assert slot_stock(pc, TOUR, DAY, "09:00") == 15


# ----- GET /api/v1/products/ (empty code) -------------------------------------------------


def test_an_empty_product_code_is_the_documented_400(pc: Partner) -> None:
    response = pc.api.get("/api/v1/products/", headers={"Authorization": f"Bearer {pc.token}"})
    assert response.status_code == 400
    expected = {
        "success": False,
        "error": {"code": "INVALID_REQUEST", "message": "Missing product code"},
    }
    assert response.content == compact(expected).encode()


def test_an_empty_product_code_still_needs_a_token(pc: Partner) -> None:
    assert pc.api.get("/api/v1/products/").status_code == 401


def test_other_methods_on_the_empty_product_code_are_unknown_routes(pc: Partner) -> None:
    response = pc.api.post("/api/v1/products/", headers={"Authorization": f"Bearer {pc.token}"})
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Cannot POST:/api/v1/products/"


# ----- limit: "max 100" -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/products", "/bookings"])
@pytest.mark.parametrize("limit", [101, "1000"])
def test_a_limit_over_100_is_refused_as_vinejs_refuses_it(
    pc: Partner, path: str, limit: int | str
) -> None:
    response = pc.get(path, params={"limit": limit})
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "VALIDATION_ERROR",
        "message": "Request validation failed",
        "details": [
            {
                "field": "limit",
                "message": "The limit field must not be greater than 100",
                "rule": "max",
            }
        ],
    }


@pytest.mark.parametrize("path", ["/products", "/bookings"])
def test_a_limit_of_100_is_served(pc: Partner, path: str) -> None:
    response = pc.get(path, params={"limit": 100})
    assert response.status_code == 200
    assert response.json()["pagination"]["limit"] == 100
