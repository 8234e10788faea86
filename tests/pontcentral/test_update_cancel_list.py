"""Update (release and re-create in one step), cancel (restore stock), list and detail."""

from __future__ import annotations

from typing import Any

import pytest

from tests.pontcentral.conftest import Partner
from tests.pontcentral.test_bookings import people, slot_stock

EIFFEL = "TOUR-EIFFEL-SKIP-LINE"


def booked(pc: Partner, **changes: Any) -> str:
    response = pc.book(**changes)
    assert response.status_code == 200, response.text
    number: str = response.json()["booking"]["bookingNumber"]
    return number


def test_update_moves_the_booking_to_another_day(pc: Partner) -> None:
    number = booked(pc)
    response = pc.put(
        f"/bookings/{number}",
        json={"items": [{"productCode": EIFFEL, "reservationDateTime": "2026-03-26T10:00:00"}]},
    )
    assert response.status_code == 200, response.text
    assert response.json()["booking"]["items"][0]["reservationDate"] == "2026-03-26"
    assert slot_stock(pc, EIFFEL, "2026-03-25", "10:00") == 50
    assert slot_stock(pc, EIFFEL, "2026-03-26", "10:00") == 47
    assert len(pc.allocations()) == 1


def test_update_resizes_within_what_the_booking_already_holds(pc: Partner) -> None:
    number = booked(pc, quantities=people(48))
    # 50 places: growing from 48 to 50 must not count the booking's own 48 against it.
    response = pc.put(
        f"/bookings/{number}", json={"items": [{"productCode": EIFFEL, "quantities": people(50)}]}
    )
    assert response.status_code == 200, response.text
    assert slot_stock(pc, EIFFEL, "2026-03-25", "10:00") == 0
    assert (
        pc.put(
            f"/bookings/{number}",
            json={"items": [{"productCode": EIFFEL, "quantities": people(5)}]},
        ).status_code
        == 200
    )
    assert slot_stock(pc, EIFFEL, "2026-03-25", "10:00") == 45


def test_a_failed_update_leaves_the_booking_byte_identical(pc: Partner) -> None:
    number = booked(pc, quantities=people(10))
    booked(pc, reservationDateTime="2026-03-26T10:00:00", quantities=people(45))
    before = pc.get(f"/bookings/{number}").content
    listed_before = pc.get("/bookings", params={"bookingNumber": number}).content
    allocations = pc.allocations()
    pc.api.post("/_sandbox/clock/advance", json={"seconds": 60})  # updatedAt would show it
    response = pc.put(
        f"/bookings/{number}",
        json={
            "customerNote": "should not be saved",
            "items": [{"productCode": EIFFEL, "reservationDateTime": "2026-03-26T10:00:00"}],
        },
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "CONFLICT"
    assert pc.get(f"/bookings/{number}").content == before
    assert pc.get("/bookings", params={"bookingNumber": number}).content == listed_before
    assert pc.allocations() == allocations


def test_update_replaces_metadata_and_merges_the_customer(pc: Partner) -> None:
    number = booked(pc)
    pc.api.post("/_sandbox/clock/advance", json={"seconds": 3600})
    response = pc.put(
        f"/bookings/{number}",
        json={
            "customer": {"phone": "+33700000000"},
            "guests": [{"firstName": "Ann"}],
            "payments": [{"method": "VOUCHER", "amount": 230, "reference": "v-2"}],
            "resellerNote": None,
        },
    )
    assert response.status_code == 200, response.text
    booking = response.json()["booking"]
    assert booking["customer"] == {
        "title": "Mr",
        "firstName": "John",
        "lastName": "Doe",
        "phone": "+33700000000",
        "email": "[email protected]",
    }
    assert booking["guests"] == [{"title": None, "firstName": "Ann", "lastName": None, "age": None}]
    assert booking["payments"] == [
        {"method": "VOUCHER", "amount": 230, "currency": "EUR", "reference": "v-2"}
    ]
    assert booking["resellerNote"] is None
    assert booking["resellerReference"] == "RS-TRAVELMATE-9912"  # not named: unchanged
    listed = pc.get("/bookings").json()["bookings"][0]
    assert listed["createdAt"] == "2026-03-20T11:00:00.000+01:00"
    assert listed["updatedAt"] == "2026-03-20T12:00:00.000+01:00"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (
            {"items": [{"productCode": "TOUR-SEINE-CRUISE", "quantities": people(1)}]},
            404,
            "NOT_FOUND",
        ),
        ({"items": [{"productCode": EIFFEL}, {"productCode": EIFFEL}]}, 422, "VALIDATION_ERROR"),
        ({"items": [{"reservationDateTime": "2026-03-26T10:00:00"}]}, 422, "VALIDATION_ERROR"),
        ({"items": [{"productCode": EIFFEL, "quantities": []}]}, 422, "VALIDATION_ERROR"),
        (
            {"items": [{"productCode": EIFFEL, "reservationDateTime": "2026-03-19T10:00:00"}]},
            409,
            "CONFLICT",
        ),
        ({"guests": "none"}, 422, "VALIDATION_ERROR"),
    ],
)
def test_update_errors_change_nothing(
    pc: Partner, body: dict[str, Any], status: int, code: str
) -> None:
    number = booked(pc)
    before = pc.get("/bookings", params={"bookingNumber": number}).content
    pc.api.post("/_sandbox/clock/advance", json={"seconds": 60})
    response = pc.put(f"/bookings/{number}", json=body)
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    assert pc.get("/bookings", params={"bookingNumber": number}).content == before


def test_cancel_restores_stock_and_the_slot_can_be_booked_again(pc: Partner) -> None:
    number = booked(pc, quantities=people(50))
    assert pc.book(quantities=people(1)).status_code == 409
    response = pc.delete(f"/bookings/{number}")
    assert response.status_code == 200
    assert response.text == (
        f'{{"requestStatus":{{"success":true,"message":"Booking #{number} has been canceled"}}}}'
    )
    assert pc.get(f"/bookings/{number}").json()["booking"]["status"] == "canceled"
    assert slot_stock(pc, EIFFEL, "2026-03-25", "10:00") == 50
    assert pc.book(quantities=people(50)).status_code == 200


def test_cancelling_twice_is_a_stable_conflict(pc: Partner) -> None:
    number = booked(pc)
    assert pc.delete(f"/bookings/{number}").status_code == 200
    again = [pc.delete(f"/bookings/{number}") for _ in range(2)]
    assert [r.status_code for r in again] == [409, 409]
    assert again[0].content == again[1].content
    assert again[0].json()["error"]["message"] == f"Booking #{number} is already canceled"
    update = pc.put(f"/bookings/{number}", json={"customerNote": "x"})
    assert update.status_code == 409


def test_other_partners_bookings_are_forbidden(pc: Partner, other: Partner) -> None:
    number = booked(pc)
    forbidden = {"code": "FORBIDDEN", "message": "Partner and Booking do not match"}
    for response in (
        other.get(f"/bookings/{number}"),
        other.put(f"/bookings/{number}", json={}),
        other.delete(f"/bookings/{number}"),
    ):
        assert (response.status_code, response.json()["error"]) == (403, forbidden)
    assert other.get("/bookings").json()["bookings"] == []
    assert pc.get(f"/bookings/{number}").json()["booking"]["status"] == "created"


def test_list_filters_and_pages_newest_first(pc: Partner) -> None:
    numbers = [booked(pc, quantities=people(1)) for _ in range(5)]
    pc.delete(f"/bookings/{numbers[1]}")
    everything = pc.get("/bookings").json()
    assert [b["bookingNumber"] for b in everything["bookings"]] == numbers[::-1]
    page = pc.get("/bookings", params={"page": 2, "limit": 2}).json()
    assert [b["bookingNumber"] for b in page["bookings"]] == [numbers[2], numbers[1]]
    assert page["pagination"] == {
        "page": 2,
        "limit": 2,
        "total": 5,
        "totalPages": 3,
        "hasNextPage": True,
        "hasPreviousPage": True,
    }
    canceled = pc.get("/bookings", params={"status": "canceled"}).json()["bookings"]
    assert [b["bookingNumber"] for b in canceled] == [numbers[1]]
    one = pc.get("/bookings", params={"bookingNumber": numbers[3]}).json()["bookings"]
    assert [b["bookingNumber"] for b in one] == [numbers[3]]
    empty = pc.get("/bookings", params={"status": "pending"}).json()
    assert empty["bookings"] == []
    assert empty["pagination"]["totalPages"] == 1


@pytest.mark.parametrize(
    ("params", "field", "rule"),
    [
        ({"status": "cancelled"}, "status", "enum"),
        ({"page": 0}, "page", "min"),
        ({"limit": "ten"}, "limit", "number"),
        ({"page": "1.5"}, "page", "withoutDecimals"),
    ],
)
def test_list_query_errors(pc: Partner, params: dict[str, Any], field: str, rule: str) -> None:
    response = pc.get("/bookings", params=params)
    assert response.status_code == 422
    [detail] = response.json()["error"]["details"]
    assert (detail["field"], detail["rule"]) == (field, rule)


def test_detail_of_an_unknown_booking(pc: Partner) -> None:
    response = pc.get("/bookings/PC0000AAA")
    assert response.status_code == 404
    assert response.json()["error"] == {"code": "NOT_FOUND", "message": "Booking not found"}


def test_bookings_survive_state_export_and_import(pc: Partner) -> None:
    number = booked(pc)
    exported = pc.api.get("/_sandbox/state").json()
    assert pc.api.post("/_sandbox/reset", json={}).status_code == 200
    assert pc.get(f"/bookings/{number}").status_code == 401  # the token is gone too
    assert pc.api.put("/_sandbox/state", json=exported).status_code == 200
    assert pc.get(f"/bookings/{number}").json()["booking"]["bookingNumber"] == number
    assert pc.delete(f"/bookings/{number}").status_code == 200
    assert slot_stock(pc, EIFFEL, "2026-03-25", "10:00") == 50
