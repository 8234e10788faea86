"""The request journal: what went over the wire, masked, bounded, filtered and counted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.traffic.journal import BODY_LIMIT
from tests.conftest import Api
from tests.korus.conftest import TOKEN
from tests.pontcentral.conftest import seed_request
from tests.traffic.conftest import KORUS_SEED_MOMENT, Vendors


def test_an_entry_holds_the_exchange_as_sent_and_answered(vendors: Vendors) -> None:
    raw = json.dumps(seed_request(), separators=(",", ":"))
    sent = vendors.pont.post(
        "/bookings/create?lang=fr",
        content=raw,
        headers={"Content-Type": "application/json", "X-Trace": "t-1"},
    )
    [entry] = vendors.journal()
    assert {k: entry[k] for k in ("id", "at", "vendor", "operation", "method", "path")} == {
        "id": entry["id"],
        "at": KORUS_SEED_MOMENT,  # the namespace's (frozen) clock, not the machine's
        "vendor": "pontcentral",
        "operation": "pontcentral.booking-create",
        "method": "POST",
        "path": "/api/v1/bookings/create",
    }
    assert entry["query"] == "lang=fr"
    assert entry["status"] == sent.status_code
    assert entry["fault"] is None
    assert entry["duration_ms"] >= 0
    request = entry["request"]
    assert request["body"] == raw
    assert (request["body_bytes"], request["truncated"], request["encoding"]) == (
        len(raw),
        False,
        "utf-8",
    )
    assert request["headers"]["x-trace"] == "t-1"
    assert request["headers"]["authorization"] == "Bearer ***"
    response = entry["response"]
    assert response["body"] == sent.text
    assert response["headers"]["content-type"] == sent.headers["content-type"]
    assert response["body_bytes"] == len(sent.content)


def test_secrets_are_masked(vendors: Vendors) -> None:
    vendors.api.post(
        TOKEN,
        data={
            "grant_type": "client_credentials",
            "client_id": "demo-client",
            "client_secret": "demo-secret",
        },
    )
    vendors.api.post(
        "/api/v1/auth/token", json={"client_id": "demo-partner", "client_secret": "demo-secret"}
    )
    keycloak, pont = vendors.journal()
    assert keycloak["request"]["body"] == (
        "grant_type=client_credentials&client_id=demo-client&client_secret=***"
    )
    assert '"access_token":"***"' in keycloak["response"]["body"]
    assert '"refresh_token":"***"' in keycloak["response"]["body"]
    assert pont["request"]["body"] == '{"client_id":"demo-partner","client_secret":"***"}'
    assert '"access_token":"***"' in pont["response"]["body"]
    text = json.dumps(vendors.journal())
    assert "demo-secret" not in text
    assert vendors.korus.token not in text
    assert vendors.pont.token not in text


def test_basic_credentials_keep_their_scheme_only(vendors: Vendors) -> None:
    vendors.api.post(
        TOKEN, data={"grant_type": "client_credentials"}, auth=("demo-client", "demo-secret")
    )
    [entry] = vendors.journal()
    assert entry["request"]["headers"]["authorization"] == "Basic ***"


def test_a_long_body_is_cut_and_says_so(vendors: Vendors) -> None:
    note = "x" * (2 * BODY_LIMIT)
    vendors.pont.post("/bookings/create", json=seed_request(customerNote=note))
    [entry] = vendors.journal()
    request = entry["request"]
    assert request["truncated"] is True
    assert request["body_bytes"] > 2 * BODY_LIMIT
    assert len(request["body"]) == BODY_LIMIT


def test_faulted_requests_are_journaled_with_their_fault(vendors: Vendors) -> None:
    rule = vendors.fault(match={"vendor": "booqable"}, action={"status": 503}, times=1)
    vendors.booqable.get("/products")
    vendors.booqable.get("/products")
    faulted, normal = vendors.journal()
    assert faulted["fault"] == {"rule": rule["id"], "action": {"status": 503}}
    assert faulted["status"] == 503
    assert (normal["fault"], normal["status"]) == (None, 200)


@pytest.fixture
def traffic(vendors: Vendors) -> Vendors:
    """Six requests over the three vendors: three answered 200, one 404, two 401."""
    vendors.korus.get("/v1/ticketing/catalogs")
    vendors.pont.get("/products")
    vendors.pont.get("/products/NOPE")
    vendors.booqable.get("/products")
    vendors.api.get("/api/boomerang/products", headers={"Authorization": "Bearer wrong"})
    vendors.api.get("/api/v1/products")
    return vendors


@pytest.mark.parametrize(
    ("filters", "paths"),
    [
        (
            {"vendor": "pontcentral"},
            ["/api/v1/products", "/api/v1/products/NOPE", "/api/v1/products"],
        ),
        ({"status": "401"}, ["/api/boomerang/products", "/api/v1/products"]),
        (
            {"status": "4xx"},
            ["/api/v1/products/NOPE", "/api/boomerang/products", "/api/v1/products"],
        ),
        (
            {"path": "/api/*/products"},
            [
                "/api/v1/products",
                "/api/boomerang/products",
                "/api/boomerang/products",
                "/api/v1/products",
            ],
        ),
        ({"operation": "pontcentral.product"}, ["/api/v1/products/NOPE"]),
        ({"operation": "korus.*"}, ["/v1/ticketing/catalogs"]),
        ({"method": "get", "vendor": "korus"}, ["/v1/ticketing/catalogs"]),
        ({"vendor": "booqable", "limit": "1"}, ["/api/boomerang/products"]),
    ],
)
def test_filters_pick_entries(traffic: Vendors, filters: dict[str, str], paths: list[str]) -> None:
    assert [e["path"] for e in traffic.journal(**filters)] == paths
    body: dict[str, Any] = {k: v for k, v in filters.items() if k != "limit"}
    if body.get("status", "").isdigit():
        body["status"] = int(body["status"])
    if "limit" not in filters:
        count = traffic.api.post("/_sandbox/requests/count", json=body)
        assert count.json() == {"count": len(paths)}


def test_since_reads_the_sandbox_clock(traffic: Vendors) -> None:
    assert len(traffic.journal(since=KORUS_SEED_MOMENT)) == 6
    traffic.api.post("/_sandbox/clock/advance", json={"seconds": 60})
    traffic.pont.get("/products")
    later = traffic.journal(since="2025-01-29T07:56:00Z")
    assert [e["at"] for e in later] == ["2025-01-29T07:56:53Z"]
    count = traffic.api.post("/_sandbox/requests/count", json={"since": "2025-01-29T07:56:00Z"})
    assert count.json() == {"count": 1}


def test_delete_empties_the_journal(traffic: Vendors) -> None:
    assert traffic.api.delete("/_sandbox/requests").json() == {"deleted": 6}
    assert traffic.api.get("/_sandbox/requests").json() == {
        "requests": [],
        "total": 0,
        "dropped": 0,
    }


@pytest.mark.parametrize(
    "query",
    [
        {"colour": "red"},
        {"vendor": "acme"},
        {"status": "abc"},
        {"status": "700"},
        {"since": "yesterday"},
        {"limit": "0"},
        {"limit": "1000001"},
        {"limit": "9" * 5000},
        {"method": ""},
    ],
)
def test_a_bad_filter_is_a_422(api: Api, query: dict[str, str]) -> None:
    response = api.get("/_sandbox/requests", params=query)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_filter"


def test_a_repeated_filter_is_a_422(api: Api) -> None:
    response = api.get("/_sandbox/requests?vendor=korus&vendor=booqable")
    assert response.status_code == 422


@pytest.mark.parametrize("body", [{"status": "abc"}, {"colour": "red"}, {"status": True}])
def test_a_bad_count_body_is_a_422(api: Api, body: dict[str, Any]) -> None:
    assert api.post("/_sandbox/requests/count", json=body).status_code == 422


def test_the_control_plane_and_bad_namespaces_stay_out(vendors: Vendors) -> None:
    vendors.api.get("/_sandbox/clock")
    bad = vendors.booqable.get("/products", headers={"X-Sandbox-Namespace": "no spaces"})
    assert bad.status_code == 400
    assert vendors.journal() == []


def test_unknown_vendor_paths_are_journaled_without_operation(vendors: Vendors) -> None:
    vendors.pont.get("/nothing-here")
    [entry] = vendors.journal()
    assert (entry["operation"], entry["status"]) == (None, 404)


def test_a_namespace_sees_only_its_own_requests(vendors: Vendors) -> None:
    vendors.pont.get("/products")
    other = Api(vendors.api.client, f"{vendors.api.namespace}-other")
    assert other.get("/_sandbox/requests").json()["requests"] == []


@pytest.fixture
def small_journal() -> Iterator[TestClient]:
    settings = Settings(start_time=parse_instant(KORUS_SEED_MOMENT), journal_size=3)
    with TestClient(create_app(settings)) as client:
        yield client


def test_the_journal_is_a_bounded_ring(small_journal: TestClient) -> None:
    key = {"Authorization": "Bearer demo-api-key"}
    for _ in range(5):
        small_journal.get("/api/boomerang/locations", headers=key)
    found = small_journal.get("/_sandbox/requests").json()
    assert [e["id"] for e in found["requests"]] == [3, 4, 5]
    assert (found["total"], found["dropped"]) == (3, 2)


def test_a_journal_of_size_zero_keeps_nothing() -> None:
    settings = Settings(journal_size=0)
    with TestClient(create_app(settings)) as client:
        client.get("/api/boomerang/locations", headers={"Authorization": "Bearer demo-api-key"})
        assert client.get("/_sandbox/requests").json()["requests"] == []
