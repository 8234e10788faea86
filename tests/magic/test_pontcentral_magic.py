"""Pont Central magic values: a reseller reference that yields the vendor's 409, one its 500."""

from __future__ import annotations

from typing import Any

import pytest

from booking_sandbox.vendors.pontcentral import magic
from tests.magic.conftest import whole_state
from tests.pontcentral.conftest import Partner, seed_request

EIFFEL = "TOUR-EIFFEL-SKIP-LINE"
CONFLICT = {
    "success": False,
    "error": {"code": "CONFLICT", "message": "Resource not available for requested slot"},
}
SERVER_ERROR = {
    "success": False,
    "error": {"code": "INTERNAL_SERVER_ERROR", "message": "Server error"},
}
ANSWERS = [("SANDBOX-409", 409, CONFLICT), ("SANDBOX-500", 500, SERVER_ERROR)]


def people(n: int) -> list[dict[str, Any]]:
    return [{"label": "adult", "quantity": n, "price": 45}]


def booked(pc: Partner, **changes: Any) -> dict[str, Any]:
    response = pc.book(**changes)
    assert response.status_code == 200, response.text
    booking: dict[str, Any] = response.json()["booking"]
    return booking


def test_the_values_are_the_tables() -> None:
    assert magic.CONFLICT_REFERENCE == "SANDBOX-409"
    assert magic.SERVER_ERROR_REFERENCE == "SANDBOX-500"


@pytest.mark.parametrize(("reference", "status", "answer"), ANSWERS)
def test_create_answers_the_magic_error_and_changes_nothing(
    pc: Partner, reference: str, status: int, answer: dict[str, Any]
) -> None:
    before = whole_state(pc.api)  # ids included: no booking number or row id is spent
    response = pc.book(resellerReference=reference)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == answer
    assert whole_state(pc.api) == before
    assert pc.allocations() == []
    assert pc.get("/bookings").json()["bookings"] == []


@pytest.mark.parametrize(("reference", "status", "answer"), ANSWERS)
def test_the_next_booking_is_the_one_made_without_the_refusal(
    pc: Partner, reference: str, status: int, answer: dict[str, Any]
) -> None:
    saved = pc.api.get("/_sandbox/state").json()
    assert pc.book(resellerReference=reference).status_code == status
    made = booked(pc)
    # Back to before the refused request, then the same booking: the same number and row id.
    assert pc.api.put("/_sandbox/state", json=saved).status_code == 200
    again = booked(pc)
    assert again["bookingNumber"] == made["bookingNumber"]
    assert again == made


def test_a_multi_item_magic_booking_takes_nothing(pc: Partner) -> None:
    body = seed_request(resellerReference="SANDBOX-409")
    body["items"].append(
        {
            "productCode": "TOUR-SEINE-CRUISE",
            "reservationDateTime": "2026-03-25T14:00:00",
            "quantities": [{"label": "adult", "quantity": 2, "price": 35}],
        }
    )
    before = whole_state(pc.api)
    assert pc.post("/bookings/create", json=body).json() == CONFLICT
    assert whole_state(pc.api) == before


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"customer": None}, 400, "INVALID_REQUEST"),  # a missing required field
        ({"quantities": [{"label": "adult", "quantity": 0, "price": 45}]}, 422, "VALIDATION_ERROR"),
        ({"partnerId": 43}, 403, "FORBIDDEN"),
        ({"productCode": "NOPE"}, 404, "NOT_FOUND"),
    ],
)
@pytest.mark.parametrize("reference", ["SANDBOX-409", "SANDBOX-500"])
def test_checks_of_the_request_come_first(
    pc: Partner, reference: str, changes: dict[str, Any], status: int, code: str
) -> None:
    response = pc.book(resellerReference=reference, **changes)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


@pytest.mark.parametrize(("reference", "status", "answer"), ANSWERS)
def test_update_answers_the_magic_error_and_leaves_the_booking(
    pc: Partner, reference: str, status: int, answer: dict[str, Any]
) -> None:
    number = booked(pc)["bookingNumber"]
    detail = pc.get(f"/bookings/{number}").content
    before = whole_state(pc.api)
    pc.api.post("/_sandbox/clock/advance", json={"seconds": 60})  # updatedAt would show it
    response = pc.put(
        f"/bookings/{number}",
        json={
            "items": [
                {
                    "productCode": EIFFEL,
                    "reservationDateTime": "2026-03-26T10:00:00",
                    "quantities": people(5),
                }
            ],
            "customer": {"firstName": "Jane"},
            "resellerReference": reference,
        },
    )
    assert response.status_code == status
    assert response.json() == answer
    assert pc.get(f"/bookings/{number}").content == detail
    after = whole_state(pc.api)
    assert after == before


def test_update_checks_come_first(pc: Partner) -> None:
    number = booked(pc)["bookingNumber"]
    invalid = pc.put(
        f"/bookings/{number}",
        json={
            "items": [{"productCode": EIFFEL, "quantities": people(0)}],
            "resellerReference": "SANDBOX-500",
        },
    )
    assert (invalid.status_code, invalid.json()["error"]["code"]) == (422, "VALIDATION_ERROR")
    missing = pc.put(
        f"/bookings/{number}",
        json={"items": [{"productCode": "PROD-001"}], "resellerReference": "SANDBOX-500"},
    )
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "NOT_FOUND")
    assert pc.delete(f"/bookings/{number}").status_code == 200
    canceled = pc.put(f"/bookings/{number}", json={"resellerReference": "SANDBOX-500"})
    assert canceled.json() == {
        "success": False,
        "error": {
            "code": "CONFLICT",
            "message": f"Booking #{number} is canceled and cannot be updated",
        },
    }


@pytest.mark.parametrize(
    "reference", ["SANDBOX-410", "sandbox-409", "SANDBOX-4090", " SANDBOX-500", "SANDBOX_500"]
)
def test_near_misses_book_normally(pc: Partner, reference: str) -> None:
    booking = booked(pc, resellerReference=reference)
    assert booking["resellerReference"] == reference
    number = booking["bookingNumber"]
    updated = pc.put(f"/bookings/{number}", json={"resellerReference": f"{reference}!"})
    assert updated.status_code == 200
    assert updated.json()["booking"]["resellerReference"] == f"{reference}!"


def test_only_the_reseller_reference_counts(pc: Partner) -> None:
    booking = booked(pc, resellerNote="SANDBOX-409", resellerSource="SANDBOX-500")
    assert (booking["resellerNote"], booking["resellerSource"]) == ("SANDBOX-409", "SANDBOX-500")


def test_after_a_refused_update_the_next_one_goes_through(pc: Partner) -> None:
    number = booked(pc)["bookingNumber"]
    refused = pc.put(f"/bookings/{number}", json={"resellerReference": "SANDBOX-409"})
    assert refused.status_code == 409
    moved = pc.put(f"/bookings/{number}", json={"customerNote": "late arrival"})
    assert moved.status_code == 200
    assert moved.json()["booking"]["resellerReference"] == "RS-TRAVELMATE-9912"
    assert moved.json()["booking"]["customerNote"] == "late arrival"
