"""Edges a real integrator or a fuzzer reaches: DST, calendar limits, odd numbers and strings,
stale tokens, state import, trailing slashes. Each came from a review and would fail without
its fix."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from tests.conftest import Api
from tests.pontcentral.conftest import Partner, at_seed_moment, seed_request, token_for
from tests.pontcentral.test_bookings import people, slot_stock


def test_an_all_day_booking_on_the_spring_dst_day_keeps_to_its_day(pc: Partner) -> None:
    # 2026-03-29 has 23 hours in Paris: 1440 elapsed minutes would reach 01:00 on the 30th.
    day = pc.book(productCode="P811C6RV", reservationDateTime="2026-03-29", quantities=people(200))
    assert day.status_code == 200
    assert slot_stock(pc, "P811C6RV", "2026-03-30", "00:00") == 200
    assert (
        pc.book(
            productCode="P811C6RV", reservationDateTime="2026-03-30", quantities=people(200)
        ).status_code
        == 200
    )
    [allocation, _] = pc.allocations()
    assert allocation["interval"] == {
        "start": "2026-03-28T23:00:00Z",
        "end": "2026-03-29T22:00:00Z",
    }


def test_a_timed_slot_lasts_its_minutes_across_the_autumn_change(pc: Partner) -> None:
    # 2026-10-25: 03:00 CEST becomes 02:00 CET. The 22:30 night cruise of the 24th (150 min)
    # ends at 01:00 local, before the change; a Saturday, so it runs.
    assert (
        pc.book(
            productCode="TOUR-SEINE-NIGHT",
            reservationDateTime="2026-10-24T22:30:00",
            quantities=people(1),
        ).status_code
        == 200
    )
    [allocation] = pc.allocations()
    assert allocation["interval"] == {
        "start": "2026-10-24T20:30:00Z",
        "end": "2026-10-24T23:00:00Z",
    }


@pytest.mark.parametrize(
    "when", ["9999-12-31T10:00:00-14:00", "0001-01-01T00:30:00+14:00", "2026-02-30T10:00:00"]
)
def test_impossible_instants_are_validation_errors(pc: Partner, when: str) -> None:
    response = pc.book(reservationDateTime=when)
    assert response.status_code == 422
    [detail] = response.json()["error"]["details"]
    assert (detail["field"], detail["rule"]) == ("items.0.reservationDateTime", "date")


def test_the_last_day_of_the_calendar_is_no_500(pc: Partner) -> None:
    for body in (
        {"startDateTime": "9999-12-31", "endDateTime": "9999-12-31"},
        {"endDateTime": "9999-12-31T00:00:00"},
        {"startDateTime": "9999-12-31T23:00:00"},
        {"startDateTime": "0001-01-01T00:00:00+14:00"},
    ):
        response = pc.post("/availabilities", json={"productCode": "PROD-001", **body})
        assert response.status_code in (200, 400), (body, response.text)
    # The clock itself stops at the end of year 8999 (tests/control/test_clock.py).
    pc.api.put("/_sandbox/clock", json={"now": "8999-12-31T23:59:59Z", "frozen": True})
    token = pc.api.post(
        "/api/v1/auth/token", json={"client_id": "demo-partner", "client_secret": "demo-secret"}
    )
    assert token.status_code == 200
    assert token.json()["data"]["expires_at"] == "9000-01-02T23:59:59.000Z"
    late = Partner(pc.api, token.json()["data"]["access_token"])
    assert late.post("/availabilities", json={"productCode": "PROD-001"}).status_code == 200


@pytest.mark.parametrize(
    ("price", "written"),
    [
        (0.000001, "0.000001"),
        (1.5e-7, "1.5e-7"),
        (10**30, "1e+30"),
        (75.0, "75"),
        (12345678901234567890, "12345678901234567000"),
        (0.1, "0.1"),
    ],
)
def test_numbers_are_written_as_javascript_writes_them(
    pc: Partner, price: float, written: str
) -> None:
    quantities = [{"label": "adult", "quantity": 1, "price": price}]
    response = pc.book(quantities=quantities)
    assert response.status_code == 200, response.text
    assert f'"quantity":1,"price":{written}}}' in response.text


def test_a_lone_surrogate_survives_state_export_and_import(pc: Partner) -> None:
    raw = json.dumps(seed_request()).replace('"John"', '"Jo\\ud800"', 1)
    created = pc.post(
        "/bookings/create", content=raw.encode(), headers={"Content-Type": "application/json"}
    )
    assert created.status_code == 200
    exported = pc.api.get("/_sandbox/state")
    assert exported.status_code == 200
    assert "Jo\\ud800" in exported.text
    json_type = {"Content-Type": "application/json"}
    imported = pc.api.put("/_sandbox/state", content=exported.content, headers=json_type)
    assert imported.status_code == 200
    assert pc.api.get("/_sandbox/state").content == exported.content


def test_a_token_from_before_a_reset_never_authenticates_another_partner(api: Api) -> None:
    at_seed_moment(api)
    old = token_for(api)  # partner 42
    assert api.post("/_sandbox/reset", json={}).status_code == 200
    at_seed_moment(api)
    new = token_for(api, "other-partner", "other-secret")  # partner 43, the same seeded draws
    assert old != new
    stale = api.get("/api/v1/products", headers={"Authorization": f"Bearer {old}"})
    assert stale.status_code == 401


def test_a_failed_create_leaves_no_trace_not_even_in_the_ids(pc: Partner) -> None:
    before = pc.api.get("/_sandbox/state").json()
    assert pc.book(quantities=people(51)).status_code == 409
    assert pc.api.get("/_sandbox/state").json() == before


def test_an_update_cannot_empty_the_first_name(pc: Partner) -> None:
    number = pc.book().json()["booking"]["bookingNumber"]
    for value in (None, ""):
        response = pc.put(f"/bookings/{number}", json={"customer": {"firstName": value}})
        assert response.status_code == 422
        assert response.json()["error"]["details"][0]["field"] == "customer.firstName"
    assert pc.get(f"/bookings/{number}").json()["booking"]["customer"]["firstName"] == "John"


def test_more_than_100_items_is_a_validation_error(pc: Partner) -> None:
    body = seed_request()
    body["items"] = body["items"] * 101
    response = pc.post("/bookings/create", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["details"] == [
        {
            "field": "items",
            "message": "The items field must not have more than 100 items",
            "rule": "array.maxLength",
        }
    ]


def broken(state: dict[str, Any], how: str) -> dict[str, Any]:
    records = state["vendors"]["pontcentral"]
    number = next(iter(records["bookings"]))
    if how == "shape":
        records["bookings"][number] = {"foo": 1}
    elif how == "token":
        next(iter(records["tokens"].values()))["expiresAt"] = "garbage"
    elif how == "partial":
        del records["tokenSeq"]
    elif how == "product":
        records["bookings"][number]["items"][0]["productCode"] = "NOPE"
    elif how == "allocation":
        records["bookings"][number]["items"][0]["allocations"] = ["alloc-999"]
    elif how == "vendor":
        state["vendors"]["nobody"] = {}
    return state


@pytest.mark.parametrize("how", ["shape", "token", "partial", "product", "allocation", "vendor"])
def test_an_inconsistent_vendor_state_is_refused(pc: Partner, how: str) -> None:
    pc.book()
    state = pc.api.get("/_sandbox/state").json()
    response = pc.api.put("/_sandbox/state", json=broken(state, how))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["path"].startswith("$.vendors.")
    assert pc.get("/bookings").status_code == 200  # the namespace is as it was


@pytest.mark.parametrize(
    "path", ["/api/v1/bookings/", "/api/v1/availabilities/", "/api/v1/products/%2F"]
)
def test_trailing_slashes_get_the_vendors_404(pc: Partner, path: str) -> None:
    response = pc.api.request("GET", path, headers={"Authorization": f"Bearer {pc.token}"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


def test_a_bad_token_creates_no_namespace(api: Api) -> None:
    name = f"{api.namespace}-junk"
    response = api.get(
        "/api/v1/products", headers={"Authorization": "Bearer junk", "X-Sandbox-Namespace": name}
    )
    assert response.status_code == 401
    assert name not in api.get("/_sandbox/namespaces").json()["namespaces"]


@pytest.mark.parametrize("when", ["9999-12-31T23:30:00Z", "9999-12-31T22:59:59+00:00"])
def test_instants_whose_local_date_is_past_9999_conflict(pc: Partner, when: str) -> None:
    assert pc.book(reservationDateTime=when).status_code == 409
    number = pc.book().json()["booking"]["bookingNumber"]
    moved = pc.put(
        f"/bookings/{number}",
        json={"items": [{"productCode": "TOUR-EIFFEL-SKIP-LINE", "reservationDateTime": when}]},
    )
    assert moved.status_code == 409


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("partnerId", 10**400),
        ("quantity", 10**400),
        ("price", 10**400),
        ("quantity", "٣"),
        ("partnerId", "٤٢"),
        ("price", "1_000"),
    ],
)
def test_numbers_javascript_would_not_read_are_refused(pc: Partner, field: str, value: Any) -> None:
    line = {"label": "adult", "quantity": 1, "price": 75}
    body = seed_request(quantities=[line])
    if field == "partnerId":
        body["partnerId"] = value
    else:
        line[field] = value
    response = pc.post("/bookings/create", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["rule"] == "number"


def test_availability_quantity_past_a_double_is_refused(pc: Partner) -> None:
    response = pc.post("/availabilities", json={"productCode": "PROD-001", "quantity": 10**400})
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("params", "field", "rule"),
    [
        ("page=1&page=2", "page", "number"),
        ("status=created&status=canceled", "status", "enum"),
        ("bookingNumber=PC1&bookingNumber=PC2", "bookingNumber", "string"),
    ],
)
def test_a_repeated_query_key_is_an_array_and_refused(
    pc: Partner, params: str, field: str, rule: str
) -> None:
    response = pc.get(f"/bookings?{params}")
    assert response.status_code == 422
    [detail] = response.json()["error"]["details"]
    assert (detail["field"], detail["rule"]) == (field, rule)


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("application/json", 200),
        ("application/json; charset=utf-8", 200),
        ("Application/JSON", 200),
        ("application/ld+json", 200),
        ("text/plain", 400),
        (None, 400),
    ],
)
def test_the_body_is_read_by_its_content_type(
    pc: Partner, content_type: str | None, status: int
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    raw = json.dumps(seed_request()).encode()
    response = pc.post("/bookings/create", content=raw, headers=headers)
    assert response.status_code == status, response.text
    if status == 400:  # not read at all: every required field is missing
        assert response.json()["error"]["message"].startswith("Missing required fields: partnerId")


def test_form_credentials_in_any_case(api: Api) -> None:
    response = api.post(
        "/api/v1/auth/token",
        content=b"client_id=demo-partner&client_secret=demo-secret",
        headers={"Content-Type": "Application/X-WWW-Form-Urlencoded; charset=UTF-8"},
    )
    assert response.status_code == 200


def test_bodies_over_a_megabyte_are_refused(pc: Partner) -> None:
    response = pc.book(customerNote="x" * (1024 * 1024))
    assert response.status_code == 413
    assert response.json()["error"] == {
        "code": "INVALID_REQUEST",
        "message": "Request entity too large",
    }
    assert pc.allocations() == []


def test_the_namespace_limit_is_a_429_in_the_vendors_envelope() -> None:
    settings = Settings(max_namespaces=1, start_time=parse_instant("2026-03-20T10:00:00Z"))
    with TestClient(create_app(settings)) as client:
        response = client.post(
            "/api/v1/auth/token",
            json={"client_id": "demo-partner", "client_secret": "demo-secret"},
            headers={"X-Sandbox-Namespace": "second"},  # `default` already exists
        )
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "TOO_MANY_REQUESTS"


def engine_inconsistency(state: dict[str, Any], how: str) -> dict[str, Any]:
    records = state["vendors"]["pontcentral"]
    first, second = list(records["bookings"].values())
    allocations = {a["id"]: a for a in state["inventory"]["allocations"]}
    if how == "shared":
        second["items"][0]["allocations"] = first["items"][0]["allocations"]
    elif how == "released":
        allocations[first["items"][0]["allocations"][0]]["status"] = "released"
    elif how == "canceled-holding":
        first["status"] = "canceled"
    elif how == "partner":
        first["partnerId"] = 43
    return state


@pytest.mark.parametrize("how", ["shared", "released", "canceled-holding", "partner"])
def test_records_must_match_what_the_engine_holds(pc: Partner, how: str) -> None:
    pc.book()
    pc.book(reservationDateTime="2026-03-26T10:00:00")
    state = pc.api.get("/_sandbox/state").json()
    response = pc.api.put("/_sandbox/state", json=engine_inconsistency(state, how))
    assert response.status_code == 422, response.text
    assert "$.vendors.pontcentral.bookings" in response.json()["error"]["details"][0]["path"]
