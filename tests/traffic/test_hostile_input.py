"""What clients can throw at the QA plane: odd headers, odd bodies, odd patterns, odd sizes."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.traffic.actions import FaultError, action_from_header
from booking_sandbox.traffic.journal import BYTE_BUDGET
from booking_sandbox.traffic.patterns import matches
from tests.conftest import Api
from tests.korus.conftest import TOKEN
from tests.traffic.conftest import Vendors

KEY = {"Authorization": "Bearer demo-api-key"}


def test_a_long_fault_header_is_refused_before_parsing() -> None:
    with pytest.raises(FaultError, match="longer than 1024"):
        action_from_header("status=1" + " " * 60_000 + "x")
    with pytest.raises(FaultError, match="cannot read 'x'"):
        action_from_header("status=503;" + " " * 900 + "x")  # short enough: read, and refused


def test_a_trailing_separator_is_forgiven() -> None:
    assert action_from_header("status=503;").status == 503


@pytest.mark.parametrize(
    "header", ['{"status": ' + "[" * 3000, '{"status": NaN}', "{" + '"a":' * 600 + "1"]
)
def test_hostile_json_in_the_fault_header_is_a_400(vendors: Vendors, header: str) -> None:
    response = vendors.booqable.get("/products", headers={"X-Sandbox-Fault": header})
    assert response.status_code == 400
    assert "X-Sandbox-Fault" in response.json()["errors"][0]["detail"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [("application/json", b"[" * 5000), ("application/json", b"\xff"), ("text/plain", b"{}")],
)
def test_a_token_body_nobody_can_read_is_the_vendors_400(
    api: Api, content_type: str, body: bytes
) -> None:
    # No namespace header: the journal has to read the body to find the client's namespace.
    response = api.client.post(
        "/api/v1/auth/token", content=body, headers={"Content-Type": content_type}
    )
    assert response.status_code == 400
    assert response.json()["success"] is False


@pytest.mark.parametrize("query", ["limit=²", "status=²", "limit=٣", "status=5²x"])
def test_digits_are_ascii_digits(api: Api, query: str) -> None:
    assert api.get(f"/_sandbox/requests?{query}").status_code == 422


def test_wildcards_match_in_linear_time() -> None:
    assert not matches("*a*a*a*a*a*a*a*a*b", "a" * 5000)
    assert matches("*a*a*b", "xxaxxaxxb")
    assert not matches("a*a", "a")
    assert matches("/api/*/orders/*", "/api/4/orders/x")


def test_a_pathological_rule_still_answers(vendors: Vendors) -> None:
    vendors.fault(match={"path": "*a*a*a*a*a*a*a*b"}, action={"status": 503})
    assert vendors.booqable.get("/" + "a" * 300).status_code == 404
    count = vendors.api.post("/_sandbox/requests/count", json={"path": "*a*a*a*a*a*a*a*b"})
    assert count.json() == {"count": 0}


def test_secret_names_are_read_as_the_vendor_reads_them(vendors: Vendors) -> None:
    form = "grant_type=client_credentials&client_id=demo-client&client%5Fsecret=demo-secret"
    vendors.api.post(
        TOKEN, content=form, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    raw = '{"client_id":"demo-partner","client\\u005fsecret":"demo-secret"}'
    vendors.api.post(
        "/api/v1/auth/token", content=raw, headers={"Content-Type": "application/json"}
    )
    korus, pont = vendors.journal()
    assert korus["request"]["body"].endswith("client%5Fsecret=***")
    assert pont["request"]["body"] == '{"client_id":"demo-partner","client\\u005fsecret":"***"}'


def test_a_body_that_is_not_utf8_is_masked_too(vendors: Vendors) -> None:
    body = b"grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret&x=\xff"
    vendors.api.post(
        TOKEN, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    [entry] = vendors.journal()
    assert entry["request"]["encoding"] == "base64"
    assert base64.b64decode(entry["request"]["body"]) == body.replace(b"demo-secret", b"***")


def test_an_uncut_body_ending_badly_is_kept_whole(vendors: Vendors) -> None:
    body = b'{"data":{"type":"orders"}}\xff'
    vendors.booqable.request(
        "POST", "/orders", content=body, headers={"Content-Type": "application/json"}
    )
    [entry] = vendors.journal()
    assert (entry["request"]["encoding"], entry["request"]["truncated"]) == ("base64", False)
    assert base64.b64decode(entry["request"]["body"]) == body


def test_a_secret_cut_by_the_body_limit_stays_masked(vendors: Vendors) -> None:
    padding = "p" * (16 * 1024 - 60)
    raw = f'{{"client_id":"demo-partner","pad":"{padding}","client_secret":"demo-secret"}}'
    vendors.api.post(
        "/api/v1/auth/token", content=raw, headers={"Content-Type": "application/json"}
    )
    [entry] = vendors.journal()
    assert entry["request"]["truncated"] is True
    assert "demo-se" not in entry["request"]["body"]
    assert entry["request"]["body"].endswith('"client_secret":"***"')


def test_query_strings_are_masked(vendors: Vendors) -> None:
    vendors.booqable.get("/products?api_key=demo-api-key&page[size]=1")
    [entry] = vendors.journal()
    assert entry["query"] == "api_key=***&page[size]=1"


def test_head_answers_are_journaled_without_a_body(vendors: Vendors) -> None:
    vendors.booqable.request("HEAD", "/products")
    [entry] = vendors.journal()
    assert (entry["status"], entry["response"]["body"], entry["response"]["body_bytes"]) == (
        200,
        None,
        0,
    )


def test_body_bytes_is_the_whole_body_even_unread(vendors: Vendors) -> None:
    big = b'{"pad":"' + b"x" * 200_000 + b'"}'
    vendors.pont.post(
        "/bookings/create",
        content=big,
        headers={"Content-Type": "application/json", "X-Sandbox-Fault": "status=503"},
    )
    [entry] = vendors.journal()
    assert entry["request"]["body_bytes"] == len(big)


def test_a_refused_request_to_a_new_namespace_is_still_journaled(api: Api) -> None:
    name = f"{api.namespace}-fresh"
    answer = api.get(
        "/api/v1/products", headers={"Authorization": "Bearer junk", "X-Sandbox-Namespace": name}
    )
    assert answer.status_code == 401
    assert name not in api.get("/_sandbox/namespaces").json()["namespaces"]  # still not made
    fresh = Api(api.client, name)
    [entry] = fresh.get("/_sandbox/requests").json()["requests"]
    assert (entry["status"], entry["request"]["headers"]["authorization"]) == (401, "Bearer ***")


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as client:
        yield client


def test_the_journal_keeps_to_its_byte_budget(client: TestClient) -> None:
    big = "x" * 15_000
    for _ in range(400):
        client.post(
            "/api/boomerang/customers",
            content='{"pad":"' + big + '"}',
            headers={**KEY, "Content-Type": "application/json"},
        )
    found = client.get("/_sandbox/requests").json()
    kept = found["requests"]
    assert sum(len(e["request"]["body"]) + len(e["response"]["body"]) for e in kept) <= BYTE_BUDGET
    assert len(kept) < 400
    assert found["dropped"] == 400 - len(kept)


def test_a_refused_scenario_keeps_the_journal_waiting(api: Api) -> None:
    name = f"{api.namespace}-ghost"
    headers = {"Authorization": "Bearer junk", "X-Sandbox-Namespace": name}
    api.get("/api/v1/products", headers=headers)
    ghost = Api(api.client, name)
    assert ghost.post("/_sandbox/scenarios/korus-sold-out", json={"session": 5}).status_code == 422
    assert name not in api.get("/_sandbox/namespaces").json()["namespaces"]
    assert [e["status"] for e in ghost.get("/_sandbox/requests").json()["requests"]] == [401]
