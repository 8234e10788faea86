"""Create, update and cancel: stock taken from every linked resource, all or nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.pontcentral.conftest import Partner, seed_request

ADULTS = [{"label": "adult", "quantity": 1, "price": 45}]


def people(n: int) -> list[dict[str, Any]]:
    return [{"label": "adult", "quantity": n, "price": 45}]


def slot_stock(pc: Partner, product: str, date: str, time: str, quantity: int = 1) -> int:
    response = pc.post(
        "/availabilities",
        json={"productCode": product, "startDateTime": date, "quantity": quantity},
    )
    assert response.status_code == 200, response.text
    for day in response.json()["availabilities"]:
        if day["allDay"]:
            return int(day["stockAvailable"])
        for entry in day["times"]:
            if entry["time"] == time:
                return int(entry["stockAvailable"])
    raise AssertionError(f"{product} has no slot {date} {time}")


def test_seed_booking_takes_its_tickets(pc: Partner) -> None:
    assert slot_stock(pc, "TOUR-EIFFEL-SKIP-LINE", "2026-03-25", "10:00") == 50
    response = pc.book()
    assert response.status_code == 200, response.text
    assert response.json()["booking"]["status"] == "created"
    assert slot_stock(pc, "TOUR-EIFFEL-SKIP-LINE", "2026-03-25", "10:00") == 47


def test_a_booking_takes_every_linked_resource(pc: Partner) -> None:
    # PROD-001 holds the guide (15) 0-120 min and the entrance (30) 30-90 min.
    assert (
        pc.book(
            productCode="PROD-001", reservationDateTime="2026-03-25T09:00:00", quantities=people(14)
        ).status_code
        == 200
    )
    pools = {a["pool"]: a for a in pc.allocations()}
    guide = pools["pontcentral:resource:RES-GUIDE-EN"]
    entrance = pools["pontcentral:resource:RES-EIFFEL-ENTRANCE"]
    # Europe/Paris is UTC+1 in March: 09:00 local is 08:00Z.
    assert guide["interval"] == {"start": "2026-03-25T08:00:00Z", "end": "2026-03-25T10:00:00Z"}
    assert entrance["interval"] == {
        "start": "2026-03-25T08:30:00Z",
        "end": "2026-03-25T09:30:00Z",
    }
    assert guide["quantity"] == entrance["quantity"] == 14
    assert slot_stock(pc, "PROD-001", "2026-03-25", "09:00") == 1


def test_two_tours_sharing_a_guide_conflict(pc: Partner) -> None:
    assert (
        pc.book(
            productCode="PROD-001", reservationDateTime="2026-03-25T09:00:00", quantities=people(10)
        ).status_code
        == 200
    )
    # Montmartre at 10:00 needs the same guide while PROD-001 still has it (until 11:00).
    assert slot_stock(pc, "TOUR-MONTMARTRE-WALK", "2026-03-25", "10:00") == 5
    clash = pc.book(
        productCode="TOUR-MONTMARTRE-WALK",
        reservationDateTime="2026-03-25T10:00:00",
        quantities=people(6),
    )
    assert clash.status_code == 409
    assert clash.json() == {
        "success": False,
        "error": {"code": "CONFLICT", "message": "Resource not available for requested slot"},
    }
    later = pc.book(
        productCode="TOUR-MONTMARTRE-WALK",
        reservationDateTime="2026-03-25T11:00:00",
        quantities=people(15),
    )
    assert later.status_code == 200


def test_capacity_is_exact(pc: Partner) -> None:
    assert pc.book(quantities=people(48)).status_code == 200
    assert pc.book(quantities=people(3)).status_code == 409
    assert pc.book(quantities=people(2)).status_code == 200
    assert slot_stock(pc, "TOUR-EIFFEL-SKIP-LINE", "2026-03-25", "10:00") == 0


def test_a_failed_multi_item_booking_takes_nothing(pc: Partner) -> None:
    body = seed_request()
    body["items"].append(
        {
            "productCode": "TOUR-CATACOMBS-VIP",
            "reservationDateTime": "2026-03-25T18:00:00",
            "quantities": people(3),
        }  # the VIP access takes 2
    )
    response = pc.post("/bookings/create", json=body)
    assert response.status_code == 409
    assert pc.allocations() == []
    assert pc.get("/bookings").json()["bookings"] == []
    assert slot_stock(pc, "TOUR-EIFFEL-SKIP-LINE", "2026-03-25", "10:00") == 50


def test_one_booking_number_for_all_items(pc: Partner) -> None:
    body = seed_request()
    body["items"].append(
        {
            "productCode": "TOUR-SEINE-CRUISE",
            "reservationDateTime": "2026-03-25T14:00:00",
            "quantities": [{"label": "adult", "quantity": 2, "price": 35}],
        }
    )
    booking = pc.post("/bookings/create", json=body).json()["booking"]
    assert [i["productCode"] for i in booking["items"]] == [
        "TOUR-EIFFEL-SKIP-LINE",
        "TOUR-SEINE-CRUISE",
    ]
    assert [i["resource"]["code"] for i in booking["items"]] == [
        "RES-EIFFEL-1000",
        "RES-SEINE-BOAT",
    ]
    owners = {a["owner"] for a in pc.allocations()}
    assert owners == {booking["bookingNumber"]}
    listed = pc.get("/bookings").json()["bookings"][0]
    assert [i["id"] for i in listed["items"]] == [1, 2]


@pytest.mark.parametrize(
    ("product", "when"),
    [
        ("TOUR-EIFFEL-SKIP-LINE", "2026-03-19T10:00:00"),  # yesterday
        ("TOUR-SEINE-CRUISE", "2026-03-20T11:00:00"),  # today, but 11:00 Paris is 10:00Z: now
        ("TOUR-EIFFEL-SKIP-LINE", "2026-03-25T11:00:00"),  # no 11:00 start
        ("TOUR-EIFFEL-SKIP-LINE", "2026-03-25T10:00:30"),  # not a start time
        ("TOUR-CATACOMBS-VIP", "2026-03-23T18:00:00"),  # a Monday: the tour does not run
        ("TOUR-SEINE-NIGHT", "2026-02-27T22:30:00"),  # before the season opens
        ("TOUR-EIFFEL-SKIP-LINE", "2027-01-04T10:00:00"),  # after the schedule ends
        ("TOUR-ORSAY-AFTERHOURS", "2026-03-26T19:00:00"),  # its only resource is inactive
    ],
)
def test_slots_the_product_does_not_offer_conflict(pc: Partner, product: str, when: str) -> None:
    response = pc.book(productCode=product, reservationDateTime=when, quantities=ADULTS)
    assert response.status_code == 409, response.text
    assert response.json()["error"]["message"] == "Resource not available for requested slot"
    assert pc.allocations() == []


def test_later_today_and_offsets_are_bookable(pc: Partner) -> None:
    today = pc.book(
        productCode="TOUR-SEINE-CRUISE",
        reservationDateTime="2026-03-20T14:00:00",
        quantities=ADULTS,
    )
    assert today.status_code == 200
    # An explicit offset is converted to the product's zone: 09:00Z is 10:00 in Paris.
    offset = pc.book(reservationDateTime="2026-03-25T09:00:00Z")
    assert offset.status_code == 200
    assert offset.json()["booking"]["items"][0]["reservationTime"] == "10:00"


def test_all_day_products_book_a_date(pc: Partner) -> None:
    response = pc.book(
        productCode="PROD-002", reservationDateTime="2026-03-20T16:45:00", quantities=ADULTS
    )
    assert response.status_code == 200
    item = response.json()["booking"]["items"][0]
    assert (item["reservationDate"], item["reservationTime"]) == ("2026-03-20", "00:00")
    assert slot_stock(pc, "PROD-002", "2026-03-20", "00:00") == 499


def test_partner_and_product_must_match(pc: Partner, other: Partner) -> None:
    forbidden = {"code": "FORBIDDEN", "message": "Partner and Product do not match"}
    response = pc.book(partnerId=43)
    assert (response.status_code, response.json()["error"]) == (403, forbidden)
    response = pc.book(productCode="LIS-ALFAMA-WALK", reservationDateTime="2026-03-25T10:00:00")
    assert (response.status_code, response.json()["error"]) == (403, forbidden)
    response = other.book()  # partner 43 sending the seed (partnerId 42)
    assert (response.status_code, response.json()["error"]) == (403, forbidden)


@pytest.mark.parametrize("product", ["NO-SUCH-TOUR", "TOUR-VERSAILLES-DAY"])
def test_unknown_or_retired_products_are_not_found(pc: Partner, product: str) -> None:
    response = pc.book(productCode=product)
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "NOT_FOUND",
        "message": f"Product {product} not found",
    }
