"""Fault rules: each vendor's own envelope, matching, `times`, seeded `probability`, scoping."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.pontcentral.conftest import seed_request
from tests.traffic.conftest import Vendors

KORUS_503 = (
    '{"@context":"\\/contexts\\/Error","@id":"\\/errors\\/503","@type":"Error",'
    '"title":"An error occurred","detail":"Service Unavailable","status":503,'
    '"type":"\\/errors\\/503","description":"Service Unavailable"}'
)
PONT_503 = (
    '{"success":false,"error":{"code":"SERVICE_UNAVAILABLE","message":"Service Unavailable"}}'
)
BOOQABLE_503 = (
    '{"errors":[{"code":"service_unavailable","status":"503","title":"Service Unavailable",'
    '"detail":"We\'re temporarily offline for maintenance. Please try again later."}]}'
)


def test_a_status_fault_answers_in_each_vendors_own_envelope(vendors: Vendors) -> None:
    vendors.fault(action={"status": 503})
    korus = vendors.korus.get("/v1/ticketing/catalogs")
    assert (korus.status_code, korus.text) == (503, KORUS_503)
    assert korus.headers["content-type"] == "application/problem+json; charset=utf-8"
    pont = vendors.pont.get("/products")
    assert (pont.status_code, pont.text) == (503, PONT_503)
    booqable = vendors.booqable.get("/products")
    assert (booqable.status_code, booqable.text) == (503, BOOQABLE_503)
    assert booqable.headers["content-type"] == "application/vnd.api+json; charset=utf-8"


def test_the_token_endpoints_fault_in_their_own_envelopes(vendors: Vendors) -> None:
    vendors.fault(match={"operation": "*token"}, action={"status": 503})
    keycloak = vendors.api.post(
        "/realms/korusticket/protocol/openid-connect/token",
        data={"grant_type": "client_credentials", "client_id": "demo-client"},
    )
    assert keycloak.status_code == 503
    assert keycloak.json() == {
        "error": "temporarily_unavailable",
        "error_description": "Service Unavailable",
    }
    pont = vendors.api.post("/api/v1/auth/token", json={"client_id": "demo-partner"})
    assert (pont.status_code, pont.text) == (503, PONT_503)


def test_other_statuses_keep_each_vendors_words(vendors: Vendors) -> None:
    vendors.fault(action={"status": 500})
    assert vendors.pont.get("/products").json() == {
        "success": False,
        "error": {"code": "INTERNAL_SERVER_ERROR", "message": "Server error"},
    }
    assert vendors.booqable.get("/products").json()["errors"][0] == {
        "code": "internal_server_error",
        "status": "500",
        "title": "Internal Server Error",
        "detail": "We had a problem with our server. Try again later.",
    }
    assert vendors.korus.get("/v1/ticketing/catalogs").json()["detail"] == "Internal Server Error"


def test_retry_after_is_sent_in_whole_seconds(vendors: Vendors) -> None:
    vendors.fault(action={"status": 429, "retry_after": 1.5})
    response = vendors.pont.get("/products")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "2"
    assert response.json()["error"]["code"] == "TOO_MANY_REQUESTS"


def test_a_faulted_write_changes_nothing(vendors: Vendors) -> None:
    before = vendors.state()
    vendors.fault(match={"operation": "pontcentral.booking-create"}, action={"status": 503})
    assert vendors.pont.post("/bookings/create", json=seed_request()).status_code == 503
    assert vendors.state() == before
    vendors.api.delete("/_sandbox/faults")
    assert vendors.pont.post("/bookings/create", json=seed_request()).json()["success"] is True


def test_times_counts_down_and_removes_the_rule(vendors: Vendors) -> None:
    rule = vendors.fault(action={"status": 502}, times=2)
    assert (rule["times"], rule["fired"]) == (2, 0)
    statuses = [vendors.pont.get("/products").status_code for _ in range(3)]
    assert statuses == [502, 502, 200]
    assert vendors.api.get("/_sandbox/faults").json() == {"faults": []}


def test_the_first_matching_rule_wins(vendors: Vendors) -> None:
    vendors.fault(match={"path": "/api/v1/products"}, action={"status": 502})
    vendors.fault(match={"vendor": "pontcentral"}, action={"status": 503})
    assert vendors.pont.get("/products").status_code == 502
    assert vendors.pont.get("/bookings").status_code == 503
    assert vendors.booqable.get("/products").status_code == 200
    rules = vendors.api.get("/_sandbox/faults").json()["faults"]
    assert [r["fired"] for r in rules] == [1, 1]


@pytest.mark.parametrize(
    ("match", "hit", "missed"),
    [
        ({"vendor": "booqable"}, ("booqable", "/products"), ("pont", "/products")),
        ({"method": "post"}, ("pont", "/bookings/create"), ("pont", "/products")),
        ({"path": "/api/v1/bookings*"}, ("pont", "/bookings"), ("pont", "/products")),
        ({"path": "/api/*/products"}, ("booqable", "/products"), ("booqable", "/bundles")),
        (
            {"operation": "korus.catalog*"},
            ("korus", "/v1/ticketing/catalogs"),
            ("pont", "/products"),
        ),
        (
            {"operation": "booqable.products"},
            ("booqable", "/products"),
            ("booqable", "/products/x"),
        ),
    ],
)
def test_a_match_picks_its_requests(
    vendors: Vendors, match: dict[str, str], hit: tuple[str, str], missed: tuple[str, str]
) -> None:
    vendors.fault(match=match, action={"status": 418})
    clients = {"korus": vendors.korus, "pont": vendors.pont, "booqable": vendors.booqable}
    body = seed_request() if hit[1] == "/bookings/create" else None
    hit_response = clients[hit[0]].request("POST" if body else "GET", hit[1], json=body)
    assert hit_response.status_code == 418
    assert clients[missed[0]].get(missed[1]).status_code != 418


def test_the_control_plane_is_never_faulted(vendors: Vendors) -> None:
    vendors.fault(action={"status": 503})
    assert vendors.api.get("/_sandbox/clock").status_code == 200
    assert vendors.api.get("/_sandbox/faults").status_code == 200


def _chaos(api: Api) -> list[int]:
    api.post("/_sandbox/reset")
    api.post("/_sandbox/faults", json={"action": {"status": 503}, "probability": 0.5})
    key = {"Authorization": "Bearer demo-api-key"}
    return [api.get("/api/boomerang/locations", headers=key).status_code for _ in range(24)]


def test_a_chaos_run_replays_draw_for_draw(api: Api) -> None:
    first = _chaos(api)
    assert set(first) == {200, 503}  # both outcomes occur
    assert _chaos(api) == first  # the namespace's generator starts again at reset
    other = Api(api.client, f"{api.namespace}-b")
    assert _chaos(other) != first  # another namespace draws from its own generator


def test_probability_zero_never_fires(vendors: Vendors) -> None:
    rule = vendors.fault(action={"status": 503}, probability=0)
    assert all(vendors.pont.get("/products").status_code == 200 for _ in range(5))
    assert vendors.api.get(f"/_sandbox/faults/{rule['id']}").json()["fired"] == 0


def test_a_fault_stays_in_its_namespace(vendors: Vendors) -> None:
    vendors.fault(action={"status": 503})
    other = Api(vendors.api.client, f"{vendors.api.namespace}-other")
    key = {"Authorization": "Bearer demo-api-key"}
    assert other.get("/api/boomerang/products", headers=key).status_code == 200
    assert vendors.booqable.get("/products").status_code == 503


def test_reset_drops_the_faults_and_the_journal(vendors: Vendors) -> None:
    vendors.fault(action={"status": 503})
    vendors.pont.get("/products")
    assert vendors.api.post("/_sandbox/reset").status_code == 200
    assert vendors.api.get("/_sandbox/faults").json() == {"faults": []}
    assert vendors.journal() == []


def test_a_state_import_keeps_the_faults_and_the_journal(vendors: Vendors) -> None:
    vendors.fault(action={"status": 503})
    vendors.pont.get("/products")
    state = vendors.api.get("/_sandbox/state").json()
    assert vendors.api.put("/_sandbox/state", json=state).status_code == 200
    assert len(vendors.api.get("/_sandbox/faults").json()["faults"]) == 1
    assert len(vendors.journal()) == 1


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("status=503", 503),
        ("status=429; retry_after=3", 429),
        ("status=502,latency_ms=1", 502),
        ('{"status": 504}', 504),
        ("latency_ms=1", 200),
        ("latency_ms=uniform:1:2", 200),
    ],
)
def test_the_fault_header_applies_to_one_request(
    vendors: Vendors, header: str, status: int
) -> None:
    response = vendors.booqable.get("/products", headers={"X-Sandbox-Fault": header})
    assert response.status_code == status
    assert vendors.booqable.get("/products").status_code == 200
    [entry, _] = vendors.journal()
    assert entry["fault"]["rule"] is None
    if status == 429:
        assert response.headers["retry-after"] == "3"
        assert entry["fault"]["action"] == {"status": 429, "retry_after": 3}


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("status=200", "X-Sandbox-Fault.status: must be an error status (400 to 599)"),
        ("status=abc", "X-Sandbox-Fault.status: must be an integer"),
        ("disconnect=later", "X-Sandbox-Fault.disconnect: must be one of reset, empty, malformed"),
        ("nonsense", "X-Sandbox-Fault: cannot read 'nonsense' (key=value)"),
        ("colour=red", "X-Sandbox-Fault.colour: is not an action field"),
        ("{not json", "X-Sandbox-Fault: is not valid JSON"),
        (
            "latency_ms=gauss:1:2",
            "X-Sandbox-Fault.latency_ms.distribution: must be 'uniform' or 'lognormal'",
        ),
    ],
)
def test_a_bad_fault_header_is_the_vendors_400(vendors: Vendors, header: str, message: str) -> None:
    pont = vendors.pont.get("/products", headers={"X-Sandbox-Fault": header})
    assert pont.status_code == 400
    assert pont.json() == {
        "success": False,
        "error": {"code": "INVALID_REQUEST", "message": message},
    }
    korus = vendors.korus.get("/v1/ticketing/catalogs", headers={"X-Sandbox-Fault": header})
    assert (korus.status_code, korus.json()["detail"]) == (400, message)
    booqable = vendors.booqable.get("/products", headers={"X-Sandbox-Fault": header})
    assert booqable.status_code == 400
    assert booqable.json()["errors"][0]["detail"] == message


def test_rules_are_listed_read_and_removed_one_by_one(vendors: Vendors) -> None:
    first = vendors.fault(match={"vendor": "korus", "method": "get"}, action={"latency_ms": 5})
    second = vendors.fault(
        action={"latency_ms": {"distribution": "lognormal", "median": 20, "sigma": 0.5}},
        times=3,
        probability=0.25,
    )
    assert first == {
        "id": "fault-1",
        "match": {"vendor": "korus", "method": "GET"},
        "action": {"latency_ms": 5},
        "times": None,
        "probability": 1.0,
        "fired": 0,
    }
    assert second["id"] == "fault-2"
    assert second["action"]["latency_ms"] == {
        "distribution": "lognormal",
        "median": 20.0,
        "sigma": 0.5,
    }
    api = vendors.api
    assert api.get("/_sandbox/faults").json() == {"faults": [first, second]}
    assert api.get("/_sandbox/faults/fault-2").json() == second
    assert api.delete("/_sandbox/faults/fault-1").json() == {"deleted": 1}
    missing = api.get("/_sandbox/faults/fault-1")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "fault_not_found"
    assert api.delete("/_sandbox/faults/fault-1").status_code == 404
    assert api.delete("/_sandbox/faults").json() == {"deleted": 1}


@pytest.mark.parametrize(
    ("rule", "path"),
    [
        ({"action": {"status": 200}}, "$.action.status"),
        ({"action": {"status": 503, "disconnect": "reset"}}, "$.action"),
        ({"action": {"retry_after": 2}}, "$.action"),
        ({"action": {}}, "$.action"),
        ({"action": {"latency_ms": {"distribution": "uniform", "min": 9, "max": 1}}}, None),
        ({"action": {"latency_ms": -1}}, "$.action.latency_ms"),
        ({"action": {"status": 503}, "times": 0}, "$.times"),
        ({"action": {"status": 503}, "probability": 1.5}, "$.probability"),
        ({"action": {"status": 503}, "match": {"vendor": "acme"}}, "$.match.vendor"),
        ({"action": {"status": 503}, "match": {"colour": "red"}}, "$.match"),
        ({"match": {}}, "$"),
    ],
)
def test_a_bad_rule_is_a_422_naming_the_field(
    api: Api, rule: dict[str, Any], path: str | None
) -> None:
    response = api.post("/_sandbox/faults", json=rule)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_body"
    if path is not None:
        assert any(d["path"] == path for d in error["details"]), error
    assert api.get("/_sandbox/faults").json() == {"faults": []}
