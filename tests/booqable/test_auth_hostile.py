"""Hostile credentials (review of issue 15): every one is the vendor's refusal, never a 500,
and none can grow the server's memory without end."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable import ratelimit
from tests.booqable.conftest import API_KEY, JSONAPI, Booqable
from tests.booqable.signed import HS256
from tests.conftest import START, Api

ORDERS = "/orders?page%5Bsize%5D=1"
CLIENT, SECRET = "demo-oauth-client", "demo-oauth-secret"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unauthorized(bq: Booqable, bearer: str) -> str:
    r = bq.get(ORDERS, headers={"Authorization": f"Bearer {bearer}"})
    assert r.status_code == 401, r.text
    assert r.headers["content-type"] == JSONAPI
    detail: str = r.json()["errors"][0]["detail"]
    return detail


def test_deeply_nested_jwt_parts_are_not_a_server_error(bq: Booqable) -> None:
    """json.loads raises RecursionError, not ValueError, past ~1000 levels."""
    deep = b64url(b"[" * 3000 + b"]" * 3000)
    header = b64url(json.dumps({"alg": "HS256", "kid": HS256, "kind": "single_use"}).encode())
    deep_claims = b64url(b'{"a":' * 3000 + b"1" + b"}" * 3000)
    for bearer in (f"{deep}.{deep}.c2ln", f"{header}.{deep_claims}.c2ln"):
        assert unauthorized(bq, bearer) == "You are not authenticated"


def test_non_json_numbers_in_a_jwt_are_not_a_token(bq: Booqable) -> None:
    header = b64url(json.dumps({"alg": "HS256", "kid": HS256, "kind": "single_use"}).encode())
    claims = b64url(b'{"iat": NaN, "exp": Infinity}')
    assert unauthorized(bq, f"{header}.{claims}.c2ln") == "You are not authenticated"


def test_lone_surrogates_in_oauth_parameters_are_refused(api: Api) -> None:
    """A JSON body may carry `\\ud800`, which UTF-8 cannot encode."""

    def post(**params: str) -> tuple[int, str]:
        doc = json.dumps({"client_id": CLIENT, **params}).encode()  # \ud800 stays escaped
        headers = {"Content-Type": "application/json"}
        r = api.post("/api/4/oauth/token", content=doc, headers=headers)
        return r.status_code, r.json()["error"]

    assert post(grant_type="client_credentials", client_secret="\ud800") == (
        401,
        "invalid_client",
    )
    for grant, name in (("refresh_token", "refresh_token"), ("authorization_code", "code")):
        params = {"grant_type": grant, "client_secret": SECRET, name: "\ud800"}
        assert post(**params) == (400, "invalid_grant")


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(start_time=parse_instant(START))
    with TestClient(create_app(settings), raise_server_exceptions=False) as found:
        yield found


def test_garbage_bearers_cannot_grow_the_rate_counters(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process: the counters are internal. A frozen clock never ends the window."""
    monkeypatch.setattr(ratelimit, "MAX_BUCKETS", 4)
    api = Api(client, "rate-flood")
    assert api.put("/_sandbox/clock", json={"frozen": True}).status_code == 200
    bq = Booqable(api, "/api/4")
    assert bq.get(ORDERS).status_code == 200  # the namespace exists: strangers count in it
    for i in range(10):
        bearer = f"garbage-{i}-" + "x" * (5000 if i % 2 else 0)
        r = bq.get(ORDERS, headers={"Authorization": f"Bearer {bearer}"})
        assert r.status_code == 401
        assert r.headers["x-ratelimit-remaining"] == "9999"  # counted: its first request
    space = client.app.state.sandbox.namespaces.peek("rate-flood")  # type: ignore[attr-defined]
    counts = space.derived["booqable.rate"].counts
    assert len(counts) == 4
    assert max(map(len, counts)) <= 71  # `sha256:` and 64 hex digits for a long one
    assert counts[API_KEY] == 1
    # A credential kept keeps counting.
    assert bq.get(ORDERS).headers["x-ratelimit-remaining"] == "9998"


def test_a_routing_error_carries_the_request_id_and_runtime(bq: Booqable) -> None:
    """Rails' RequestId and Runtime middleware wrap the router: a 404 for no route too."""
    for path in ("/no_such_things", "/.json"):
        r = bq.get(path, headers={"X-Request-Id": "trace-1"})
        assert r.status_code == 404
        assert r.headers["x-request-id"] == "trace-1"
        assert "x-runtime" in r.headers


def test_an_empty_id_before_json_is_still_a_json_path(bq: Booqable) -> None:
    """`/orders/.json` reaches the show route with the id `.json`; its 404 is plain JSON as
    every answer to a `.json` path."""
    r = bq.get("/orders/.json")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/json; charset=utf-8"
