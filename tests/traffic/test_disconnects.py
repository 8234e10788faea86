"""Disconnect faults as a real HTTP client sees them, against the real server."""

from __future__ import annotations

import http.client
import json
import uuid
from typing import Any

import pytest

from booking_sandbox.testing.live import LiveServer
from tests.pontcentral.conftest import seed_request

pytestmark = pytest.mark.live
KEY = {"Authorization": "Bearer demo-api-key"}


class Raw:
    """One namespace of the live server, over http.client (no retries, no pooling)."""

    def __init__(self, server: LiveServer) -> None:
        self.port = server.port
        self.namespace = f"t-{uuid.uuid4().hex[:12]}"

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            payload = None if body is None else json.dumps(body)
            sent = {"X-Sandbox-Namespace": self.namespace, **(headers or {})}
            if payload is not None:
                sent["Content-Type"] = "application/json"
            connection.request(method, path, body=payload, headers=sent)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def json(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        status, data = self.call(method, path, body, headers)
        assert status < 300, data
        return json.loads(data)

    def pont_token(self) -> str:
        body = {"client_id": "demo-partner", "client_secret": "demo-secret"}
        token: str = self.json("POST", "/api/v1/auth/token", body)["data"]["access_token"]
        return token


@pytest.fixture
def raw(live_server: LiveServer) -> Raw:
    return Raw(live_server)


def test_reset_is_a_tcp_reset(raw: Raw) -> None:
    with pytest.raises(ConnectionResetError):
        raw.call(
            "GET", "/api/boomerang/products", headers={**KEY, "X-Sandbox-Fault": "disconnect=reset"}
        )


def test_empty_closes_before_any_byte(raw: Raw) -> None:
    with pytest.raises(http.client.RemoteDisconnected):
        raw.call(
            "GET", "/api/boomerang/products", headers={**KEY, "X-Sandbox-Fault": "disconnect=empty"}
        )


def test_malformed_sends_half_the_real_answer(raw: Raw) -> None:
    whole = raw.call("GET", "/api/boomerang/products", headers=KEY)[1]
    with pytest.raises(http.client.IncompleteRead) as caught:
        raw.call(
            "GET",
            "/api/boomerang/products",
            headers={**KEY, "X-Sandbox-Fault": "disconnect=malformed"},
        )
    assert caught.value.partial == whole[: len(whole) // 2]


def test_a_reset_or_empty_write_never_reaches_the_vendor(raw: Raw) -> None:
    token = raw.pont_token()
    auth = {"Authorization": f"Bearer {token}"}
    for kind in ("reset", "empty"):
        rule = {
            "match": {"operation": "pontcentral.booking-create"},
            "action": {"disconnect": kind},
        }
        raw.json("POST", "/_sandbox/faults", rule)
        with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected)):
            raw.call("POST", "/api/v1/bookings/create", seed_request(), auth)
        raw.call("DELETE", "/_sandbox/faults")
    assert raw.json("GET", "/api/v1/bookings", **auth)["bookings"] == []
    journal = raw.json("GET", "/_sandbox/requests?operation=pontcentral.booking-create")
    assert [(e["status"], e["fault"]["action"]) for e in journal["requests"]] == [
        (None, {"disconnect": "reset"}),
        (None, {"disconnect": "empty"}),
    ]


def test_a_malformed_write_did_the_work(raw: Raw) -> None:
    token = raw.pont_token()
    auth = {"Authorization": f"Bearer {token}", "X-Sandbox-Fault": "disconnect=malformed"}
    with pytest.raises(http.client.IncompleteRead):
        raw.call("POST", "/api/v1/bookings/create", seed_request(), auth)
    bookings = raw.json("GET", "/api/v1/bookings", Authorization=f"Bearer {token}")["bookings"]
    assert len(bookings) == 1  # the client never heard, the vendor booked: retry with care
    [entry] = raw.json("GET", "/_sandbox/requests?operation=pontcentral.booking-create")["requests"]
    assert entry["status"] == 200
    assert entry["fault"] == {"rule": None, "action": {"disconnect": "malformed"}}


def test_the_server_stays_healthy_after_disconnects(raw: Raw) -> None:
    for kind in ("reset", "empty", "malformed"):
        with pytest.raises((ConnectionError, http.client.HTTPException)):
            raw.call(
                "GET",
                "/api/boomerang/locations",
                headers={**KEY, "X-Sandbox-Fault": f"disconnect={kind}"},
            )
    assert raw.call("GET", "/_sandbox/health")[0] == 200
    assert raw.call("GET", "/api/boomerang/locations", headers=KEY)[0] == 200


def test_empty_stays_empty_after_a_large_upload(raw: Raw) -> None:
    # Unread request bytes would turn the close into a reset: the fault drains them first.
    big = {"pad": "x" * 300_000}
    with pytest.raises(http.client.RemoteDisconnected):
        raw.call(
            "POST", "/api/boomerang/orders", big, {**KEY, "X-Sandbox-Fault": "disconnect=empty"}
        )


def test_malformed_breaks_an_answer_without_a_body(raw: Raw) -> None:
    headers = {**KEY, "X-Sandbox-Fault": "disconnect=malformed"}
    with pytest.raises(http.client.HTTPException):  # a status line cut short
        raw.call("HEAD", "/api/boomerang/products", headers=headers)
