"""Faults, the request journal, scenarios, magic values and metrics through `SandboxClient`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx2 as httpx
import pytest

from booking_sandbox.testing import SandboxClient, SandboxError

T0 = datetime(2025, 1, 29, 8, 0, tzinfo=UTC)
TOKEN_PATH = "/realms/korusticket/protocol/openid-connect/token"
CREDENTIALS = {
    "grant_type": "client_credentials",
    "client_id": "demo-client",
    "client_secret": "demo-secret",
}


def korus_token(sandbox: SandboxClient) -> httpx.Response:
    return httpx.post(sandbox.vendor_url(TOKEN_PATH), data=CREDENTIALS, headers=sandbox.headers)


def test_fault_rules_add_list_get_remove_clear(booking_sandbox: SandboxClient) -> None:
    faults = booking_sandbox.faults
    rule = faults.add(status=503, retry_after=2, vendor="korus", method="POST", times=1)
    assert rule["id"] == "fault-1"
    assert rule["match"] == {"vendor": "korus", "method": "POST"}
    assert rule["action"] == {"status": 503, "retry_after": 2}
    assert (rule["times"], rule["fired"]) == (1, 0)
    slow = faults.add(
        latency_ms={"distribution": "uniform", "min": 1, "max": 2},
        match={"vendor": "booqable"},  # raw dicts and keywords merge
        path="/api/4/*",
        probability=0.5,
    )
    assert slow["id"] == "fault-2"
    assert slow["match"] == {"vendor": "booqable", "path": "/api/4/*"}
    assert slow["action"] == {"latency_ms": {"distribution": "uniform", "min": 1, "max": 2}}
    assert (slow["times"], slow["probability"]) == (None, 0.5)
    assert faults.list() == [rule, slow]
    assert faults.get("fault-2") == slow
    assert booking_sandbox.with_namespace(f"{booking_sandbox.namespace}-n").faults.list() == []

    faults.remove("fault-1")
    assert [r["id"] for r in faults.list()] == ["fault-2"]
    for call in (faults.get, faults.remove):
        with pytest.raises(SandboxError) as caught:
            call("fault-1")
        assert (caught.value.status, caught.value.code) == (404, "fault_not_found")

    faults.add(action={"disconnect": "reset"}, operation="korus.reservations-bulk")
    assert faults.clear() == 2
    assert faults.list() == []


def test_fault_misuse(booking_sandbox: SandboxClient) -> None:
    with pytest.raises(TypeError, match="needs an action"):
        booking_sandbox.faults.add(vendor="korus")
    with pytest.raises(SandboxError) as caught:
        booking_sandbox.faults.add(status=200)  # a fault answers 400..599
    assert (caught.value.status, caught.value.code) == (422, "invalid_body")
    assert caught.value.details
    with pytest.raises(SandboxError) as caught:
        booking_sandbox.faults.add(status=503, vendor="nobody")
    assert caught.value.code == "invalid_body"


def test_reset_drops_faults_and_journal(booking_sandbox: SandboxClient) -> None:
    booking_sandbox.faults.add(status=503, vendor="korus")
    assert korus_token(booking_sandbox).status_code == 503
    booking_sandbox.reset()
    assert booking_sandbox.faults.list() == []
    assert booking_sandbox.requests() == []
    assert korus_token(booking_sandbox).status_code == 200


def test_a_retry_after_one_korus_outage_is_seen_in_the_journal(
    booking_sandbox: SandboxClient,
) -> None:
    booking_sandbox.clock.freeze(T0)
    rule = booking_sandbox.faults.add(status=503, vendor="korus", path=TOKEN_PATH, times=1)
    assert korus_token(booking_sandbox).status_code == 503
    booking_sandbox.clock.advance(60)
    second = korus_token(booking_sandbox)
    assert second.status_code == 200, second.text

    assert booking_sandbox.count(vendor="korus", status=503) == 1
    assert booking_sandbox.count(vendor="korus", status="5xx") == 1
    assert booking_sandbox.count(vendor="korus", status="503") == 1  # as `requests()` takes it
    assert len(booking_sandbox.requests(vendor="korus", status="503")) == 1
    assert booking_sandbox.count(vendor="korus", method="POST", path=TOKEN_PATH) == 2
    assert booking_sandbox.count(vendor="booqable") == 0
    assert booking_sandbox.count(since=T0 + timedelta(seconds=30)) == 1
    assert booking_sandbox.count(since="2025-01-29T08:00:30Z") == 1

    first, retry = booking_sandbox.requests(vendor="korus")
    assert (first["status"], retry["status"]) == (503, 200)
    assert first["fault"]["rule"] == rule["id"]
    assert retry["fault"] is None
    assert first["at"] == "2025-01-29T08:00:00Z"
    assert (first["method"], first["path"]) == ("POST", TOKEN_PATH)
    assert "demo-secret" not in (retry["request"]["body"] or "")  # secrets are masked
    assert [e["id"] for e in booking_sandbox.requests(since=T0 + timedelta(seconds=30))] == [
        retry["id"]
    ]
    assert len(booking_sandbox.requests(limit=1)) == 1
    page = booking_sandbox.journal(vendor="korus")
    assert (page["total"], page["dropped"], page["requests"]) == (2, 0, [first, retry])

    assert "# TYPE" in booking_sandbox.metrics()
    assert booking_sandbox.clear_requests() == 2
    assert booking_sandbox.requests() == []
    assert booking_sandbox.count() == 0


def test_journal_filter_errors(booking_sandbox: SandboxClient) -> None:
    with pytest.raises(SandboxError) as caught:
        booking_sandbox.count(status="6xx")
    assert (caught.value.status, caught.value.code) == (422, "invalid_body")


SCENARIOS = {
    "korus-sold-out",
    "korus-expiring-reservation",
    "booqable-shortage-limit",
    "pontcentral-last-place",
}


def test_scenarios_list_and_apply(booking_sandbox: SandboxClient) -> None:
    listed = {s["name"]: s for s in booking_sandbox.scenarios()}
    assert set(listed) >= SCENARIOS
    assert listed["korus-sold-out"]["vendor"] == "korus"
    assert isinstance(listed["korus-sold-out"]["parameters"], dict)

    booking_sandbox.clock.freeze("2025-01-29T07:55:53Z")  # the Korus seeds' moment
    applied = booking_sandbox.scenario("korus-sold-out")
    assert applied["scenario"] == "korus-sold-out"
    assert applied["namespace"] == booking_sandbox.namespace
    assert applied["vendor"] == "korus"
    assert applied["applied"]


def test_scenario_errors(booking_sandbox: SandboxClient) -> None:
    with pytest.raises(SandboxError) as caught:
        booking_sandbox.scenario("no-such-scenario")
    assert (caught.value.status, caught.value.code) == (404, "scenario_not_found")
    with pytest.raises(SandboxError) as caught:
        booking_sandbox.scenario("korus-sold-out", no_such_parameter=1)
    assert (caught.value.status, caught.value.code) == (422, "invalid_body")
    assert caught.value.details


def test_magic_values(booking_sandbox: SandboxClient) -> None:
    magic = booking_sandbox.magic()
    assert magic
    for entry in magic:
        assert {"vendor", "operation", "field", "value", "effect"} <= set(entry)
