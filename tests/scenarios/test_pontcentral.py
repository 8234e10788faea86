"""pontcentral-last-place, observed through the Pont Central API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.pontcentral import availability
from tests.conftest import Api
from tests.pontcentral.conftest import SEED_MOMENT, Partner, seed_request, token_for
from tests.scenarios.conftest import apply, refused

ORSAY = "TOUR-ORSAY-AFTERHOURS"  # active, but its only resource is not


@pytest.fixture
def pc(api: Api) -> Partner:
    api.put("/_sandbox/clock", json={"now": SEED_MOMENT, "frozen": True})
    return Partner(api, token_for(api))


def one_place(pc: Partner, code: str, when: str) -> Any:
    quantities = [{"label": "adult", "quantity": 1, "price": 1}]
    body = seed_request(productCode=code, reservationDateTime=when, quantities=quantities)
    return pc.post("/bookings/create", json=body)


def stock(pc: Partner, code: str, when: str) -> int:
    body = {"productCode": code, "startDateTime": when, "endDateTime": when}
    [day] = pc.post("/availabilities", json=body).json()["availabilities"]
    return int(day["times"][0]["stockAvailable"])


def test_last_place_leaves_one_place_in_seed_002s_slot(pc: Partner) -> None:
    applied = apply(pc.api, "pontcentral-last-place")
    assert applied == {
        "product": "TOUR-EIFFEL-SKIP-LINE",
        "slot": "2026-03-25T10:00:00",
        "timezone": "Europe/Paris",
        "partner": 42,
        "bookings": applied["bookings"],
        "booked": 49,
        "left": 1,
    }
    [number] = applied["bookings"]
    booking = pc.get(f"/bookings/{number}").json()["booking"]  # a real booking of partner 42
    assert booking["resellerReference"] == "sandbox-scenario:pontcentral-last-place"
    assert stock(pc, "TOUR-EIFFEL-SKIP-LINE", "2026-03-25T10:00:00") == 1


def test_after_last_place_one_booking_succeeds_and_the_next_is_409(pc: Partner) -> None:
    apply(pc.api, "pontcentral-last-place")
    first = one_place(pc, "TOUR-EIFFEL-SKIP-LINE", "2026-03-25T10:00:00")
    assert first.status_code == 200, first.text
    second = one_place(pc, "TOUR-EIFFEL-SKIP-LINE", "2026-03-25T10:00:00")
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "CONFLICT"
    assert one_place(pc, "TOUR-EIFFEL-SKIP-LINE", "2026-03-26T10:00:00").status_code == 200


def test_every_linked_resource_and_its_offsets_count(pc: Partner) -> None:
    # PROD-001 at 09:00 takes the English guide (15) 09:00-11:00 and the entrance (30)
    # 09:30-10:30; the Montmartre walk at 10:00 shares the guide from 10:00 to 11:30.
    applied = apply(
        pc.api, "pontcentral-last-place", product="PROD-001", slot="2026-03-25T09:00:00"
    )
    assert (applied["booked"], applied["left"]) == (14, 1)
    assert one_place(pc, "TOUR-MONTMARTRE-WALK", "2026-03-25T10:00:00").status_code == 200
    assert one_place(pc, "PROD-001", "2026-03-25T09:00:00").status_code == 409


def test_places_already_taken_count_and_a_second_run_books_nothing(pc: Partner) -> None:
    assert pc.book().status_code == 200  # seed 002's request: 3 places at 10:00
    first = apply(pc.api, "pontcentral-last-place")
    assert (first["booked"], first["left"]) == (46, 1)
    again = apply(pc.api, "pontcentral-last-place")
    assert (again["bookings"], again["booked"], again["left"]) == ([], 0, 1)


def test_the_partner_that_owns_the_product_books(pc: Partner) -> None:
    applied = apply(
        pc.api, "pontcentral-last-place", product="LIS-TRAM-28", slot="2026-03-25T11:00"
    )
    assert applied["partner"] == 43
    assert (applied["booked"], applied["left"]) == (11, 1)  # the Lisbon guide (12) is the least
    assert pc.get("/bookings").json()["bookings"] == []  # partner 42 sees none of them


def test_a_full_slot_cannot_be_left_with_one_place(pc: Partner) -> None:
    apply(pc.api, "pontcentral-last-place", product="TOUR-CATACOMBS-VIP", slot="2026-03-25T18:00")
    assert one_place(pc, "TOUR-CATACOMBS-VIP", "2026-03-25T18:00:00").status_code == 200
    response = pc.api.post(
        "/_sandbox/scenarios/pontcentral-last-place",
        json={"product": "TOUR-CATACOMBS-VIP", "slot": "2026-03-25T18:00"},
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "scenario_failed"


def test_without_a_slot_past_seed_002s_the_next_slot_is_taken(pc: Partner) -> None:
    pc.api.put("/_sandbox/clock", json={"now": "2026-04-01T12:00:00Z"})
    applied = apply(pc.api, "pontcentral-last-place")
    assert applied["slot"] == "2026-04-02T10:00:00"
    assert applied["left"] == 1


def test_a_product_without_active_resources_is_unavailable(pc: Partner) -> None:
    error = refused(
        pc.api, "pontcentral-last-place", {"product": ORSAY}, 409, "scenario_unavailable"
    )
    assert error["message"] == f"{ORSAY} has no active resource: Pont Central offers no slot of it"
    state = pc.api.get("/_sandbox/state").json()
    for resource in state["catalogs"]["pontcentral"]["resources"]:
        if resource["code"] == "RES-EIFFEL-1000":
            resource["active"] = False
    assert pc.api.put("/_sandbox/state", json=state).status_code == 200
    refused(pc.api, "pontcentral-last-place", {}, 409, "scenario_unavailable")


def test_a_vendor_failure_fails_the_scenario_with_the_vendors_500(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A bug planted inside the vendor's availability read (scenarios bypass fault rules), so
    # in this process only: no live-server variant.
    def broken(*args: object) -> None:
        raise RuntimeError("planted")

    monkeypatch.setattr(availability, "_range", broken)
    app = create_app(Settings(start_time=parse_instant(SEED_MOMENT)))
    with TestClient(app, raise_server_exceptions=False) as client:
        error = refused(Api(client, "broken"), "pontcentral-last-place", {}, 409, "scenario_failed")
    assert error["message"] == (
        "the scenario stopped at step 'availability': POST /api/v1/availabilities answered 500"
        " (made before it: POST /api/v1/auth/token -> 200)"
    )
    [detail] = error["details"]
    assert json.loads(detail["message"]) == {
        "success": False,
        "error": {"code": "INTERNAL_SERVER_ERROR", "message": "Server error"},
    }
