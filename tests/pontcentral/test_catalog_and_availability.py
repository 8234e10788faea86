"""Products (the partner's own, active, newest first) and live availabilities."""

from __future__ import annotations

from typing import Any

import pytest

from tests.pontcentral.conftest import Partner
from tests.pontcentral.test_bookings import people


def codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [p["productCode"] for p in response.json()["products"]]


def test_products_are_the_partners_active_ones_newest_first(pc: Partner, other: Partner) -> None:
    assert codes(pc.get("/products")) == [
        "PROD-004",
        "PROD-003",
        "TOUR-ORSAY-AFTERHOURS",
        "TOUR-SEINE-NIGHT",
        "TOUR-CATACOMBS-VIP",
        "TOUR-MONTMARTRE-WALK",
        "P811C6RV",
        "TOUR-SEINE-CRUISE",
        "TOUR-EIFFEL-SKIP-LINE",
        "PROD-002",
        "PROD-001",
    ]  # TOUR-VERSAILLES-DAY (id 9) is retired
    assert codes(other.get("/products")) == ["LIS-TRAM-28", "LIS-ALFAMA-WALK"]


def test_product_pages(pc: Partner) -> None:
    third = pc.get("/products", params={"page": 3, "limit": 3})
    assert codes(third) == ["P811C6RV", "TOUR-SEINE-CRUISE", "TOUR-EIFFEL-SKIP-LINE"]
    assert third.json()["pagination"] == {
        "page": 3,
        "limit": 3,
        "total": 11,
        "totalPages": 4,
        "hasNextPage": True,
        "hasPreviousPage": True,
    }
    beyond = pc.get("/products", params={"page": 5, "limit": 3})
    assert codes(beyond) == []


@pytest.mark.parametrize("code", ["LIS-ALFAMA-WALK", "TOUR-VERSAILLES-DAY", "NOPE"])
def test_products_of_others_retired_or_unknown_are_not_found(pc: Partner, code: str) -> None:
    response = pc.get(f"/products/{code}")
    assert response.status_code == 404
    assert response.json()["error"] == {"code": "NOT_FOUND", "message": f"Product {code} not found"}


def availabilities(pc: Partner, **body: Any) -> list[dict[str, Any]]:
    response = pc.post("/availabilities", json=body)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["availabilities"]
    return found


def test_times_follow_the_schedule_and_the_stock(pc: Partner) -> None:
    pc.book(
        productCode="TOUR-CATACOMBS-VIP",
        reservationDateTime="2026-03-24T18:00:00",
        quantities=people(2),
    )
    days = availabilities(
        pc,
        productCode="TOUR-CATACOMBS-VIP",
        startDateTime="2026-03-23",
        endDateTime="2026-03-25",
        quantity=1,
    )
    # Monday the 23rd does not run; Tuesday's only slot is sold out.
    assert [(d["date"], d["available"], d["stockAvailable"], d["times"]) for d in days] == [
        ("2026-03-24", False, 0, [{"time": "18:00", "stockAvailable": 0}]),
        ("2026-03-25", True, 2, [{"time": "18:00", "stockAvailable": 2}]),
    ]
    assert days[0]["stockTotal"] == 2


def test_quantity_decides_available(pc: Partner) -> None:
    pc.book(
        productCode="TOUR-SEINE-CRUISE",
        reservationDateTime="2026-03-25T14:00:00",
        quantities=people(118),
    )
    [day] = availabilities(
        pc, productCode="TOUR-SEINE-CRUISE", startDateTime="2026-03-25", quantity=3
    )
    assert day["times"] == [
        {"time": "11:00", "stockAvailable": 120},
        {"time": "14:00", "stockAvailable": 2},
        {"time": "16:30", "stockAvailable": 120},
    ]
    assert (day["available"], day["stockAvailable"]) == (True, 120)
    [tight] = availabilities(
        pc,
        productCode="TOUR-SEINE-CRUISE",
        startDateTime="2026-03-25T12:00:00",
        endDateTime="2026-03-25T15:00:00",
        quantity=3,
    )
    assert tight["times"] == [{"time": "14:00", "stockAvailable": 2}]
    assert tight["available"] is False


def test_default_ranges(pc: Partner) -> None:
    # Only a start: to the end of that day. Only an end: from the start of that day.
    only_start = availabilities(
        pc, productCode="TOUR-SEINE-CRUISE", startDateTime="2026-03-25T12:00:00"
    )
    assert [(d["date"], [t["time"] for t in d["times"]]) for d in only_start] == [
        ("2026-03-25", ["14:00", "16:30"])
    ]
    only_end = availabilities(
        pc, productCode="TOUR-SEINE-CRUISE", endDateTime="2026-03-25T12:00:00"
    )
    assert [(d["date"], [t["time"] for t in d["times"]]) for d in only_end] == [
        ("2026-03-25", ["11:00"])
    ]
    # Nothing: today (past slots left out) and the six days after.
    week = availabilities(pc, productCode="TOUR-SEINE-CRUISE")
    assert [d["date"] for d in week] == [f"2026-03-{d}" for d in range(20, 27)]
    assert [t["time"] for t in week[0]["times"]] == ["14:00", "16:30"]  # 11:00 is now


def test_all_day_and_overnight_products(pc: Partner) -> None:
    days = availabilities(
        pc,
        productCode="PROD-002",
        startDateTime="2026-03-19",
        endDateTime="2026-03-21",
        quantity=None,
    )
    assert [(d["date"], d["allDay"], d["times"], d["stockAvailable"]) for d in days] == [
        ("2026-03-20", True, [], 500),
        ("2026-03-21", True, [], 500),
    ]
    assert days[0]["prices"] == [{"label": "Adult", "value": 60}, {"label": "Child", "value": 30}]
    # The night cruise leaves at 22:30 and its boat is busy past midnight (sameDay false).
    pc.book(
        productCode="TOUR-SEINE-NIGHT",
        reservationDateTime="2026-03-27T22:30:00",
        quantities=people(80),
    )
    [friday, saturday] = availabilities(
        pc, productCode="TOUR-SEINE-NIGHT", startDateTime="2026-03-27", endDateTime="2026-03-28"
    )
    assert (friday["available"], saturday["available"]) == (False, True)


@pytest.mark.parametrize(
    ("body", "status", "code", "message"),
    [
        (
            {"productCode": "PROD-001", "startDateTime": "tomorrow"},
            400,
            "INVALID_REQUEST",
            "Invalid date format",
        ),
        (
            {"productCode": "PROD-001", "startDateTime": "2026-03-25", "endDateTime": "2026-03-24"},
            400,
            "INVALID_REQUEST",
            "Invalid date range: endDateTime is before startDateTime",
        ),
        (
            {"productCode": "PROD-001", "startDateTime": "2026-03-25", "endDateTime": "2027-03-26"},
            400,
            "INVALID_REQUEST",
            "Invalid date range: at most 366 days",
        ),
        (
            {"productCode": "TOUR-ORSAY-AFTERHOURS"},
            400,
            "INVALID_REQUEST",
            "No active resources configured for this product",
        ),
        ({"productCode": "LIS-ALFAMA-WALK"}, 404, "NOT_FOUND", "Product LIS-ALFAMA-WALK not found"),
        (
            {"productCode": "PROD-001", "quantity": 0},
            422,
            "VALIDATION_ERROR",
            "Request validation failed",
        ),
        ({"productCode": ["PROD-001"]}, 422, "VALIDATION_ERROR", "Request validation failed"),
    ],
)
def test_availability_errors(
    pc: Partner, body: dict[str, Any], status: int, code: str, message: str
) -> None:
    response = pc.post("/availabilities", json=body)
    assert response.status_code == status
    assert {k: response.json()["error"][k] for k in ("code", "message")} == {
        "code": code,
        "message": message,
    }
