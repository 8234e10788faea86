"""The QA plane's limits: the journal counts and caps every byte it keeps (headers, path and
query included), and fault rules have a size and a number per namespace."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.traffic.faults import MAX_RULES
from booking_sandbox.traffic.journal import (
    BYTE_BUDGET,
    HEADER_VALUE_LIMIT,
    HEADERS_LIMIT,
    TEXT_LIMIT,
)
from booking_sandbox.traffic.patterns import MAX_PATTERN, MAX_WILDCARDS
from tests.conftest import Api

KEY = {"Authorization": "Bearer demo-api-key"}
LOCATIONS = "/api/boomerang/locations"
CUT = "\u2026"


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as client:
        yield client


def _entries(client: TestClient) -> dict[str, Any]:
    found: dict[str, Any] = client.get("/_sandbox/requests").json()
    return found


def _kept(entry: dict[str, Any]) -> int:
    """The strings an entry shows: what the journal has to keep for it."""
    size = len(entry["path"]) + len(entry["query"])
    for message in (entry["request"], entry["response"]):
        size += len(message["body"] or "")
        size += sum(len(k) + len(v) for k, v in message["headers"].items())
    return size


# ----- the journal ------------------------------------------------------------------------


def test_headers_count_against_the_journals_byte_budget(client: TestClient) -> None:
    # 28 KiB of headers a request, under every cap: 200 of them are more than the budget.
    big = {f"X-Pad-{i}": "h" * 7 * 1024 for i in range(4)}
    for _ in range(200):
        assert client.get(LOCATIONS, headers={**KEY, **big}).status_code == 200
    found = _entries(client)
    kept = found["requests"]
    assert found["dropped"] == 200 - len(kept) > 0
    assert sum(_kept(e) for e in kept) <= BYTE_BUDGET
    assert client.app.state.qa.journal("default").bytes <= BYTE_BUDGET  # type: ignore[attr-defined]


def test_a_huge_header_is_kept_cut_and_says_so(client: TestClient) -> None:
    for _ in range(20):
        client.get(LOCATIONS, headers={**KEY, "X-Trace": "t" * 1024 * 1024})
    found = _entries(client)
    assert found["dropped"] == 0
    for entry in found["requests"]:
        request = entry["request"]
        assert request["headers"]["x-trace"] == "t" * HEADER_VALUE_LIMIT + CUT
        assert request["truncated_headers"] == ["x-trace"]
        assert request["omitted_headers"] == 0
        assert entry["response"]["truncated_headers"] == []
    assert client.app.state.qa.journal("default").bytes < 20 * (HEADERS_LIMIT + 16 * 1024)  # type: ignore[attr-defined]


def test_a_messages_headers_are_capped_as_a_whole(client: TestClient) -> None:
    many = {f"X-Pad-{i}": "h" * HEADER_VALUE_LIMIT for i in range(10)}
    client.get(LOCATIONS, headers={**KEY, **many})
    [entry] = _entries(client)["requests"]
    request = entry["request"]
    assert request["omitted_headers"] > 0
    assert len(request["truncated_headers"]) == 1  # the one that met the end of the budget
    shown = sum(len(k) + len(v) for k, v in request["headers"].items())
    assert shown <= HEADERS_LIMIT + len(CUT)


def test_a_cut_secret_header_stays_masked(client: TestClient) -> None:
    client.get(LOCATIONS, headers={"Authorization": "Bearer " + "s" * 50_000})
    [entry] = _entries(client)["requests"]
    assert entry["request"]["headers"]["authorization"] == "Bearer ***"
    assert entry["request"]["truncated_headers"] == ["authorization"]


def test_a_long_query_and_path_are_kept_cut(client: TestClient) -> None:
    client.get(f"{LOCATIONS}?q={'x' * 50_000}", headers=KEY)
    client.get(f"/api/boomerang/{'p' * 50_000}", headers=KEY)
    first, second = _entries(client)["requests"]
    assert first["query"] == ("q=" + "x" * 50_000)[:TEXT_LIMIT] + CUT
    assert second["path"] == f"/api/boomerang/{'p' * 50_000}"[:TEXT_LIMIT] + CUT


def test_a_huge_fault_header_is_refused_and_journaled_cut(client: TestClient) -> None:
    header = "status=503" + " " * 1024 * 1024
    response = client.get(LOCATIONS, headers={**KEY, "X-Sandbox-Fault": header})
    assert response.status_code == 400
    assert "X-Sandbox-Fault" in response.text
    assert len(response.content) < 1024
    [entry] = _entries(client)["requests"]
    assert entry["request"]["truncated_headers"] == ["x-sandbox-fault"]


# ----- fault rules ------------------------------------------------------------------------

RULE = {"match": {"path": "/api/boomerang/*"}, "action": {"status": 503}}


def test_a_namespace_holds_at_most_max_rules(api: Api) -> None:
    for _ in range(MAX_RULES):
        assert api.post("/_sandbox/faults", json=RULE).status_code == 201
    refused = api.post("/_sandbox/faults", json=RULE)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "too_many_faults"
    assert str(MAX_RULES) in error["message"]
    assert error["details"][0]["path"] == "$"
    assert len(api.get("/_sandbox/faults").json()["faults"]) == MAX_RULES
    assert api.delete("/_sandbox/faults/fault-1").status_code == 200
    assert api.post("/_sandbox/faults", json=RULE).status_code == 201  # room again


@pytest.mark.parametrize("field", ["path", "operation", "method"])
def test_a_pattern_longer_than_the_limit_is_a_422_naming_it(api: Api, field: str) -> None:
    at_limit = {"match": {field: "/" * MAX_PATTERN}, "action": {"status": 503}}
    accepted = api.post("/_sandbox/faults", json=at_limit)
    if field == "operation":  # past the size check, but no operation has that name
        assert accepted.status_code == 422, accepted.text
        assert "is no operation" in accepted.json()["error"]["details"][0]["message"]
    else:
        assert accepted.status_code == 201, accepted.text
    over = {"match": {field: "/" * (MAX_PATTERN + 1)}, "action": {"status": 503}}
    response = api.post("/_sandbox/faults", json=over)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_body"
    assert error["details"] == [
        {"path": f"$.match.{field}", "message": f"is longer than {MAX_PATTERN} characters"}
    ]
    assert len(api.get("/_sandbox/faults").json()["faults"]) == (field != "operation")


@pytest.mark.parametrize(
    ("rule", "path"),
    [
        ({"match": {"path": "*a" * 1_000_000}, "action": {"status": 503}}, "$.match.path"),
        ({"match": {"vendor": "v" * 1_000_000}, "action": {"status": 503}}, "$.match.vendor"),
        ({"match": {}, "action": {"status": 503, "k" * 1_000_000: 1}}, "$.action"),
        ({"action": {"disconnect": "d" * 1_000_000}}, "$.action.disconnect"),
    ],
)
def test_a_huge_rule_is_refused_without_quoting_it(
    api: Api, rule: dict[str, Any], path: str
) -> None:
    response = api.post("/_sandbox/faults", json=rule)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["path"] == path
    assert len(response.content) < 1024  # the schema's messages would have quoted a megabyte
    assert api.get("/_sandbox/faults").json() == {"faults": []}


def test_a_journal_filter_longer_than_the_limit_is_a_422(api: Api) -> None:
    listed = api.get("/_sandbox/requests", params={"path": "*a" * MAX_PATTERN})
    assert listed.status_code == 422
    assert listed.json()["error"]["code"] == "invalid_filter"
    assert listed.json()["error"]["details"][0]["path"] == "query.path"
    counted = api.post("/_sandbox/requests/count", json={"operation": "*" * 1_000_000})
    assert counted.status_code == 422
    assert counted.json()["error"]["details"][0]["path"] == "$.operation"
    assert len(counted.content) < 1024


def test_a_pattern_with_too_many_wildcards_is_a_422(api: Api) -> None:
    allowed = "/" + "a*" * MAX_WILDCARDS
    rule = {"match": {"path": allowed}, "action": {"status": 503}}
    assert api.post("/_sandbox/faults", json=rule).status_code == 201
    rule = {"match": {"operation": allowed + "*"}, "action": {"status": 503}}
    response = api.post("/_sandbox/faults", json=rule)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["path"] == "$.match.operation"
    listed = api.get("/_sandbox/requests", params={"path": allowed + "*"})
    assert listed.status_code == 422
    assert listed.json()["error"]["code"] == "invalid_filter"
    counted = api.post("/_sandbox/requests/count", json={"operation": allowed + "*"})
    assert counted.status_code == 422
    assert counted.json()["error"]["details"][0]["path"] == "$.operation"
    assert api.get("/_sandbox/requests", params={"path": allowed}).status_code == 200
