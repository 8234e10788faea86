"""A fourth vendor is one `Vendor` object: registered in-process, it is routed, faulted,
journaled, measured, reset, exported and given scenarios like the three real ones, with
nothing else in the server changed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core import calls
from booking_sandbox.core.headers import NAMESPACE_HEADER
from booking_sandbox.core.namespace import DEFAULT
from booking_sandbox.core.runtime import Sandbox, sandbox_of
from booking_sandbox.core.scenario import Context, Params, Scenario
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors import VENDORS, Vendor

PREFIX = "/fake/"


class FakeError(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


def envelope(kind: str, status: int) -> Response:
    return JSONResponse({"fake": {"kind": kind, "status": status}}, status_code=status)


async def open_call(request: Request) -> calls.Call:
    sandbox = sandbox_of(request)
    space = sandbox.namespaces.get(request.headers.get(NAMESPACE_HEADER, DEFAULT))
    return calls.Call(request, sandbox, space, space.clock.now())


def answer(request: Request, exc: Exception) -> Response | None:
    return envelope("refused", exc.status) if isinstance(exc, FakeError) else None


async def list_items(call: calls.Call) -> Response:
    return JSONResponse(call.space.state_of("fake").get("items", []))


async def add_item(call: calls.Call) -> Response:
    body = await call.request.json()
    if not isinstance(body, dict) or not body.get("name"):
        raise FakeError(422)
    item = {"id": call.space.ids.uuid4(), "name": body["name"]}
    call.space.state_of("fake").setdefault("items", []).append(item)
    return JSONResponse(item, status_code=201)


async def boom(call: calls.Call) -> Response:
    raise RuntimeError("a bug in the fake vendor")


def by_method(**handlers: calls.Endpoint) -> calls.Endpoint:
    async def dispatch(request: Request) -> Response:
        return await handlers[request.method](request)

    return dispatch


def routes() -> list[BaseRoute]:
    return [
        Route(
            "/fake/items",
            by_method(
                GET=calls.endpoint(open_call, list_items, answer),
                POST=calls.endpoint(open_call, add_item, answer),
            ),
            methods=["GET", "POST"],
            name="fake.items",
        ),
        Route("/fake/boom", calls.endpoint(open_call, boom, answer), name="fake.boom"),
    ]


def namespace_hint(sandbox: Sandbox, request: Request, body: bytes) -> str:
    return request.headers.get(NAMESPACE_HEADER, DEFAULT)


async def seed_items(context: Context, params: Params) -> dict[str, Any]:
    count = params.integer("count", 2, 1, 10)
    params.check()
    for n in range(count):
        await context.caller.ok("add", "POST", "/fake/items", json_body={"name": f"seeded {n}"})
    return {"items": count}


FAKE = Vendor(
    name="fake",
    section="fake",  # no such fixture section: it has no pools
    owns=lambda path: path.startswith(PREFIX),
    routes=routes,
    pools=lambda doc: [],
    bindings=lambda doc: {},
    problems=lambda doc: [],
    namespace_hint=namespace_hint,
    fault_response=lambda request, status, detail: envelope("fault", status),
    route_error=lambda request, status, allow: envelope("route", status),
    server_error=lambda request: envelope("bug", 500),
    scenarios=(
        Scenario("fake-items", "fake", "Adds items.", {"count": "how many (2)"}, seed_items),
    ),
    magic=({"vendor": "fake", "operation": "fake.items", "field": "name", "value": "x"},),
)


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(start_time=parse_instant("2025-01-29T07:55:53Z"))
    app = create_app(settings, vendors=(*VENDORS, FAKE))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_it_is_routed_and_answers_unknown_paths_and_bugs_in_its_own_envelope(
    client: TestClient,
) -> None:
    made = client.post("/fake/items", json={"name": "first"})
    assert made.status_code == 201
    assert client.get("/fake/items").json() == [made.json()]
    assert client.post("/fake/items", json={}).json() == {
        "fake": {"kind": "refused", "status": 422}
    }
    assert client.get("/fake/nowhere").json() == {"fake": {"kind": "route", "status": 404}}
    assert client.delete("/fake/items").json() == {"fake": {"kind": "route", "status": 405}}
    bug = client.get("/fake/boom")
    assert (bug.status_code, bug.json()) == (500, {"fake": {"kind": "bug", "status": 500}})
    # The real vendors are untouched beside it.
    assert client.get("/api/v1/nowhere").json()["error"]["code"] == "NOT_FOUND"


def test_it_is_faulted_by_rule_and_by_header(client: TestClient) -> None:
    rule = {"match": {"path": "/fake/*"}, "action": {"status": 503}, "times": 1}
    assert client.post("/_sandbox/faults", json=rule).status_code == 201
    faulted = client.get("/fake/items")
    assert (faulted.status_code, faulted.json()["fake"]["kind"]) == (503, "fault")
    assert client.get("/fake/items").status_code == 200  # `times` ran out
    by_header = client.get("/fake/items", headers={"X-Sandbox-Fault": "status=429"})
    assert by_header.json() == {"fake": {"kind": "fault", "status": 429}}
    fired = client.get("/_sandbox/metrics").text
    assert 'sandbox_faults_fired_total{vendor="fake",kind="status"} 2' in fired


def test_it_is_journaled_measured_and_listed(client: TestClient) -> None:
    client.post("/fake/items", json={"name": "journaled"})
    found = client.get("/_sandbox/requests", params={"vendor": "fake"}).json()["requests"]
    assert [(e["vendor"], e["operation"], e["status"]) for e in found] == [
        ("fake", "fake.items", 201)
    ]
    assert found[0]["request"]["body"] == '{"name":"journaled"}'
    metrics = client.get("/_sandbox/metrics").text
    assert 'sandbox_requests_total{vendor="fake",operation="fake.items",status="201"} 1' in metrics
    assert 'sandbox_live_holds{vendor="fake"} 0' in metrics
    assert "fake" in client.get("/_sandbox/health").json()["vendors"]
    assert FAKE.magic[0] in client.get("/_sandbox/magic").json()["magic"]


def test_it_is_reset_and_exported_with_its_namespace(client: TestClient) -> None:
    client.post("/fake/items", json={"name": "kept"})
    exported = client.get("/_sandbox/state").json()
    assert [i["name"] for i in exported["vendors"]["fake"]["items"]] == ["kept"]
    assert client.post("/_sandbox/reset", json={}).status_code == 200
    assert client.get("/fake/items").json() == []
    after = client.get("/_sandbox/requests", params={"vendor": "fake"}).json()["requests"]
    assert [e["method"] for e in after] == ["GET"]  # the journal went with the reset
    imported = client.put("/_sandbox/state", json=exported)
    assert imported.status_code == 200, imported.text
    assert [i["name"] for i in client.get("/fake/items").json()] == ["kept"]


def test_its_scenarios_are_listed_and_applied(client: TestClient) -> None:
    listed = client.get("/_sandbox/scenarios").json()["scenarios"]
    assert listed[-1]["name"] == "fake-items"
    applied = client.post("/_sandbox/scenarios/fake-items", json={"count": 3})
    assert applied.status_code == 200, applied.text
    assert applied.json()["vendor"] == "fake"
    assert [i["name"] for i in client.get("/fake/items").json()] == [
        "seeded 0",
        "seeded 1",
        "seeded 2",
    ]
    refused = client.post("/_sandbox/scenarios/fake-items", json={"count": 99})
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "invalid_body")
