"""POST /api/v1/auth/token and the Bearer check every other endpoint makes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from tests.conftest import ROOT, Api
from tests.pontcentral.conftest import SEED_MOMENT, Partner, at_seed_moment, token_for


def test_token_is_valid_48_hours_of_sandbox_time(pc: Partner) -> None:
    assert pc.get("/products").status_code == 200
    pc.api.post("/_sandbox/clock/advance", json={"seconds": 172_800})
    assert pc.get("/products").status_code == 200  # up to and including expires_at
    pc.api.post("/_sandbox/clock/advance", json={"seconds": 1})
    expired = pc.get("/products")
    assert expired.status_code == 401
    assert expired.json()["error"]["code"] == "UNAUTHORIZED"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"client_id": "demo-partner", "client_secret": "wrong"}, 401, "AUTHENTICATION_FAILED"),
        ({"client_id": "nobody", "client_secret": "demo-secret"}, 401, "AUTHENTICATION_FAILED"),
        (
            {"client_id": "inactive-partner", "client_secret": "inactive-secret"},
            403,
            "PARTNER_INACTIVE",
        ),
        ({"client_id": "demo-partner"}, 400, "INVALID_REQUEST"),
        ({"client_id": 42, "client_secret": "demo-secret"}, 400, "INVALID_REQUEST"),
        ({}, 400, "INVALID_REQUEST"),
    ],
)
def test_token_errors(api: Api, body: dict[str, object], status: int, code: str) -> None:
    response = api.post("/api/v1/auth/token", json=body)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json()["success"] is False
    assert response.json()["error"]["code"] == code


def test_inactive_partner_gets_no_token_even_with_the_right_secret(api: Api) -> None:
    response = api.post(
        "/api/v1/auth/token",
        json={"client_id": "inactive-partner", "client_secret": "inactive-secret"},
    )
    assert response.json()["error"] == {
        "code": "PARTNER_INACTIVE",
        "message": "Partner account is inactive",
    }


def test_form_encoded_credentials_are_accepted(api: Api) -> None:
    response = api.post(
        "/api/v1/auth/token",
        content=b"client_id=demo-partner&client_secret=demo-secret",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200
    assert response.json()["data"]["token_type"] == "Bearer"


def test_malformed_json_is_invalid_json(api: Api) -> None:
    response = api.post(
        "/api/v1/auth/token",
        content=b'{"client_id": ',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_JSON"


@pytest.mark.parametrize(
    "authorization", [None, "Bearer", "Bearer pcpa_MQ.bm9wZQ", "Basic ZGVtbzpkZW1v", "pcpa_MQ.x"]
)
def test_every_endpoint_wants_a_valid_bearer_token(api: Api, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    calls = [
        ("GET", "/api/v1/products"),
        ("GET", "/api/v1/products/PROD-001"),
        ("POST", "/api/v1/availabilities"),
        ("POST", "/api/v1/bookings/create"),
        ("GET", "/api/v1/bookings"),
        ("GET", "/api/v1/bookings/PC2236PAQ"),
        ("PUT", "/api/v1/bookings/PC2236PAQ"),
        ("DELETE", "/api/v1/bookings/PC2236PAQ"),
    ]
    for method, path in calls:
        response = api.request(method, path, headers=headers, json={})
        assert response.status_code == 401, (method, path)
        assert response.json() == {
            "success": False,
            "error": {
                "code": "UNAUTHORIZED",
                "message": "Unauthorized - Partner not authenticated",
            },
        }


def test_a_token_works_only_in_the_namespace_that_issued_it(pc: Partner) -> None:
    elsewhere = pc.get("/products", headers={"X-Sandbox-Namespace": f"{pc.api.namespace}-b"})
    assert elsewhere.status_code == 401


def test_tokens_are_seeded_per_namespace(api: Api) -> None:
    at_seed_moment(api)
    first = token_for(api)
    assert first.startswith("pcpa_MQ.")
    assert token_for(api).startswith("pcpa_Mg.")  # base64("2"): the token table's next id


def test_a_bound_client_works_in_its_namespace_without_the_header(tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", fixtures)
    path = fixtures / "pontcentral.json"
    doc = json.loads(path.read_text("utf-8"))
    doc["partners"][1]["namespace"] = "lisbon-ci"  # other-partner, id 43
    path.write_text(json.dumps(doc), "utf-8")
    settings = Settings(fixtures=fixtures, start_time=parse_instant(SEED_MOMENT))
    with TestClient(create_app(settings)) as client:
        bound = client.post(
            "/api/v1/auth/token",
            json={"client_id": "other-partner", "client_secret": "other-secret"},
        ).json()["data"]["access_token"]
        unbound = client.post(
            "/api/v1/auth/token",
            json={"client_id": "demo-partner", "client_secret": "demo-secret"},
        ).json()["data"]["access_token"]
        # Both are the first token of their namespace: only the namespace tells them apart.
        assert bound.startswith("pcpa_MQ.")
        assert unbound.startswith("pcpa_MQ.")
        for token, partner_product in ((bound, "LIS-ALFAMA-WALK"), (unbound, "PROD-001")):
            response = client.get(
                f"/api/v1/products/{partner_product}", headers={"Authorization": f"Bearer {token}"}
            )
            assert response.status_code == 200, response.text
        spaces = client.get("/_sandbox/namespaces").json()
        assert {"lisbon-ci", "default"} <= set(spaces["namespaces"])


def test_a_sandbox_failure_is_the_vendors_500_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from booking_sandbox.vendors.pontcentral import products

    async def broken(call: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(products, "list_products", broken)
    app = create_app(Settings(start_time=parse_instant(SEED_MOMENT)))
    with TestClient(app, raise_server_exceptions=False) as client:
        token = client.post(
            "/api/v1/auth/token",
            json={"client_id": "demo-partner", "client_secret": "demo-secret"},
        ).json()["data"]["access_token"]
        response = client.get("/api/v1/products", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 500
    assert response.text == (
        '{"success":false,"error":{"code":"INTERNAL_SERVER_ERROR","message":"Server error"}}'
    )
