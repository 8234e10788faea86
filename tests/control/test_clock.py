"""`/_sandbox/clock`: read, set, freeze, advance by seconds or ISO 8601 duration."""

from __future__ import annotations

from unittest.mock import ANY

import pytest

from booking_sandbox.timefmt import parse_instant
from tests.conftest import START, Api


def freeze(api: Api, now: str = "2025-01-29T08:00:00Z") -> None:
    r = api.put("/_sandbox/clock", json={"now": now, "frozen": True})
    assert r.status_code == 200, r.text
    assert r.json() == {"now": now, "frozen": True}


def test_clock_starts_at_start_time_and_follows_real_time(api: Api) -> None:
    body = api.get("/_sandbox/clock").json()
    assert body["frozen"] is False
    elapsed = parse_instant(body["now"]) - parse_instant(START)
    assert 0 <= elapsed.total_seconds() < 600


def test_frozen_clock_stands_still_and_advances_on_request(api: Api) -> None:
    freeze(api)
    assert api.get("/_sandbox/clock").json()["now"] == "2025-01-29T08:00:00Z"
    r = api.post("/_sandbox/clock/advance", json={"seconds": 90})
    assert r.json() == {"now": "2025-01-29T08:01:30Z", "frozen": True}
    r = api.post("/_sandbox/clock/advance", json={"duration": "PT16M"})
    assert r.json()["now"] == "2025-01-29T08:17:30Z"
    r = api.post("/_sandbox/clock/advance", json={"duration": "P1DT2H0.5S"})
    assert r.json()["now"] == "2025-01-30T10:17:30.500000Z"


def test_set_keeps_mode_and_unfreeze_resumes_from_there(api: Api) -> None:
    freeze(api)
    r = api.put("/_sandbox/clock", json={"now": "2026-03-20T11:00:00+01:00"})
    assert r.json() == {"now": "2026-03-20T10:00:00Z", "frozen": True}
    r = api.put("/_sandbox/clock", json={"frozen": False})
    body = r.json()
    assert body["frozen"] is False
    assert (
        0
        <= (parse_instant(body["now"]) - parse_instant("2026-03-20T10:00:00Z")).total_seconds()
        < 60
    )


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/_sandbox/clock/advance", {}),
        ("post", "/_sandbox/clock/advance", {"seconds": -1}),
        ("post", "/_sandbox/clock/advance", {"seconds": "10"}),
        ("post", "/_sandbox/clock/advance", {"seconds": 1, "duration": "PT1S"}),
        ("post", "/_sandbox/clock/advance", {"duration": "P1Y"}),
        ("post", "/_sandbox/clock/advance", {"duration": "PT"}),
        ("post", "/_sandbox/clock/advance", {"duration": "P"}),
        ("post", "/_sandbox/clock/advance", {"duration": "P1DT"}),
        ("post", "/_sandbox/clock/advance", {"duration": "PT\u0665M"}),
        ("post", "/_sandbox/clock/advance", {"minutes": 5}),
        ("post", "/_sandbox/clock/advance", [1]),
        ("put", "/_sandbox/clock", {}),
        ("put", "/_sandbox/clock", {"now": "yesterday"}),
        ("put", "/_sandbox/clock", {"frozen": "yes"}),
    ],
)
def test_invalid_clock_bodies_get_422_with_details(
    api: Api, method: str, path: str, body: object
) -> None:
    before = api.get("/_sandbox/clock").json()["now"]
    r = api.request(method.upper(), path, json=body)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "invalid_body"
    assert error["details"]
    assert all({"path", "message"} <= set(d) for d in error["details"])
    assert api.get("/_sandbox/clock").json()["now"] >= before


def test_malformed_json_gets_400(api: Api) -> None:
    r = api.post(
        "/_sandbox/clock/advance",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_json"
    r = api.put("/_sandbox/clock", content=b"")
    assert r.status_code == 400


def test_advancing_past_the_clock_range_is_a_clear_422(api: Api) -> None:
    freeze(api, "8999-12-31T00:00:00Z")
    r = api.post("/_sandbox/clock/advance", json={"duration": "P2D"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "clock_out_of_range"
    assert "1900-01-01T00:00:00Z to 8999-12-31T23:59:59.999999Z" in r.json()["error"]["message"]
    assert api.get("/_sandbox/clock").json()["now"] == "8999-12-31T00:00:00Z"  # unmoved
    r = api.post("/_sandbox/clock/advance", json={"duration": "P9999999D"})
    assert r.json()["error"]["code"] == "clock_out_of_range"


@pytest.mark.parametrize(
    "now",
    [
        "9999-12-31T23:00:00Z",
        "9000-01-01T00:00:00Z",
        "1899-12-31T23:59:59Z",
        "0001-01-02T00:00:00Z",
    ],
)
def test_a_clock_the_vendors_cannot_serve_is_refused(api: Api, now: str) -> None:
    """Vendors add windows and lifetimes of years to `now`: near datetime's own end of time
    Pont Central's availabilities overflowed. The clock keeps nine centuries of margin."""
    r = api.put("/_sandbox/clock", json={"now": now})
    assert r.status_code == 422
    error = r.json()["error"]
    assert (error["code"], error["details"][0]["path"]) == ("clock_out_of_range", "$.now")
    state = api.get("/_sandbox/state").json()
    state["clock"]["now"] = now
    r = api.put("/_sandbox/state", json=state)
    assert r.status_code == 422
    assert r.json()["error"]["details"] == [{"path": "$.clock.now", "message": ANY}]


@pytest.mark.parametrize("now", ["1900-01-01T00:00:00Z", "8999-12-31T23:00:00Z"])
def test_every_vendor_answers_at_the_edges_of_the_clock(api: Api, now: str) -> None:
    """What overflowed at 9999-12-31T23:00Z, served at either end of the accepted range."""
    assert api.put("/_sandbox/clock", json={"now": now, "frozen": True}).status_code == 200
    token = api.post(
        "/api/v1/auth/token", json={"client_id": "demo-partner", "client_secret": "demo-secret"}
    )
    assert token.status_code == 200
    auth = {"Authorization": f"Bearer {token.json()['data']['access_token']}"}
    r = api.post("/api/v1/availabilities", json={"productCode": "PROD-001"}, headers=auth)
    assert r.status_code == 200, r.text
    for name in ("pontcentral-last-place", "korus-expiring-reservation", "korus-sold-out"):
        r = api.post(f"/_sandbox/scenarios/{name}", json={})
        assert r.status_code in (200, 409), r.text
        assert api.post("/_sandbox/reset").status_code == 200
        assert api.put("/_sandbox/clock", json={"now": now, "frozen": True}).status_code == 200


def test_instants_outside_the_utc_range_are_422(api: Api) -> None:
    r = api.put("/_sandbox/clock", json={"now": "0001-01-01T00:00:00+01:00"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_body"


def test_a_running_clock_at_the_end_of_its_range_saturates(api: Api) -> None:
    r = api.put("/_sandbox/clock", json={"now": "8999-12-31T23:59:59.999999Z", "frozen": False})
    assert r.status_code == 200
    assert api.get("/_sandbox/clock").json()["now"] == "8999-12-31T23:59:59.999999Z"


@pytest.mark.parametrize(
    "raw",
    [
        b'{"seconds": NaN}',
        b'{"seconds": Infinity}',
        b'{"seconds": 1e400}',
        b'{"seconds": ' + b"9" * 5000 + b"}",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"seconds": 1}\xff',
    ],
)
def test_json_that_python_would_half_accept_is_400(api: Api, raw: bytes) -> None:
    r = api.post(
        "/_sandbox/clock/advance", content=raw, headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_json"
