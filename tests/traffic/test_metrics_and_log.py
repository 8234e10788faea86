"""`GET /_sandbox/metrics` (Prometheus text) and the structured access log."""

from __future__ import annotations

import json
import logging
import re
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.options import from_sources
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from tests.conftest import Api
from tests.korus.conftest import Client, login, seed_item
from tests.traffic.conftest import KORUS_SEED_MOMENT

KEY = {"Authorization": "Bearer demo-api-key"}
SAMPLE = re.compile(r"^([a-z_]+)(\{[^}]*\})? (\S+)$")


def samples(text: str) -> dict[str, float]:
    found = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        assert match, f"not a Prometheus sample: {line!r}"
        found[f"{match[1]}{match[2] or ''}"] = float(match[3])
    return found


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(start_time=parse_instant(KORUS_SEED_MOMENT))
    with TestClient(create_app(settings)) as client:
        yield client


def test_requests_latency_and_faults_are_counted(client: TestClient) -> None:
    client.get("/api/boomerang/locations", headers=KEY)
    client.get("/api/boomerang/locations", headers=KEY)
    client.get("/api/boomerang/locations", headers={**KEY, "X-Sandbox-Fault": "status=503"})
    client.get("/api/v1/products")
    response = client.get("/_sandbox/metrics")
    assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    found = samples(response.text)
    ok = 'sandbox_requests_total{vendor="booqable",operation="booqable.locations",status="200"}'
    assert found[ok] == 2
    assert found[ok.replace("200", "503")] == 1
    assert (
        found[
            'sandbox_requests_total{vendor="pontcentral",operation="pontcentral.products",status="401"}'
        ]
        == 1
    )
    assert found['sandbox_request_duration_seconds_count{vendor="booqable"}'] == 3
    assert found['sandbox_request_duration_seconds_bucket{vendor="booqable",le="+Inf"}'] == 3
    assert found['sandbox_faults_fired_total{vendor="booqable",kind="status"}'] == 1
    assert "# TYPE sandbox_request_duration_seconds histogram" in response.text


def test_buckets_are_cumulative(client: TestClient) -> None:
    for _ in range(3):
        client.get("/api/boomerang/locations", headers=KEY)
    found = samples(client.get("/_sandbox/metrics").text)
    buckets = [
        v for k, v in found.items() if k.startswith("sandbox_request_duration_seconds_bucket")
    ]
    assert buckets == sorted(buckets)


def test_live_holds_follow_reservations_and_expiry(api: Api) -> None:
    api.put("/_sandbox/clock", json={"now": KORUS_SEED_MOMENT, "frozen": True})
    korus = Client(api, login(api)["access_token"])
    before = samples(api.get("/_sandbox/metrics").text).get('sandbox_live_holds{vendor="korus"}', 0)
    made = korus.post("/v1/booking/reservations/_bulk", json={"items": [seed_item(2)]})
    assert made.json()["failedReservations"] == [], made.text
    held = samples(api.get("/_sandbox/metrics").text)['sandbox_live_holds{vendor="korus"}']
    assert held >= before + 4  # two tickets (day and show) of two units each
    api.post("/_sandbox/clock/advance", json={"duration": "PT16M"})  # past expiresAt
    after = samples(api.get("/_sandbox/metrics").text)['sandbox_live_holds{vendor="korus"}']
    assert after == held - 4


def test_metrics_are_server_wide(api: Api) -> None:
    other = Api(api.client, f"{api.namespace}-other")
    assert re.findall(r"^sandbox_namespaces \d+$", api.get("/_sandbox/metrics").text, re.M)
    assert samples(other.get("/_sandbox/metrics").text)["sandbox_namespaces"] >= 1


WALL = datetime(2026, 3, 20, 10, 0, 0, 123456, tzinfo=UTC)
RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "sandbox.access"]


@pytest.fixture
def logged(caplog: pytest.LogCaptureFixture) -> Iterator[TestClient]:
    """An app with the access log on, a fixed wall clock and the Korus seed's sandbox time."""
    settings = Settings(
        access_log=True, wall=lambda: WALL, start_time=parse_instant(KORUS_SEED_MOMENT)
    )
    with (
        TestClient(create_app(settings), raise_server_exceptions=False) as client,
        caplog.at_level(logging.INFO, logger="sandbox.access"),
    ):
        yield client


def test_each_vendor_request_logs_one_json_line(
    logged: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    logged.get("/api/boomerang/locations", headers={**KEY, "X-Sandbox-Namespace": "n1"})
    [line] = access_lines(caplog)
    assert line == {
        # The machine's clock, RFC 3339 in UTC: what log shippers order lines by.
        "time": "2026-03-20T10:00:00.123Z",
        "plane": "vendor",
        "namespace": "n1",
        # The namespace's clock, which time travel moves (the journal's `at`).
        "namespace_time": KORUS_SEED_MOMENT,
        "vendor": "booqable",
        "operation": "booqable.locations",
        "method": "GET",
        "path": "/api/boomerang/locations",
        "status": 200,
        "duration_ms": line["duration_ms"],
        "fault": None,
    }
    assert list(line)[:2] == ["time", "plane"]


def test_the_namespace_time_follows_time_travel_and_the_wall_time_does_not(
    logged: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    logged.post("/_sandbox/clock/advance", json={"duration": "PT1H"})
    logged.get("/api/boomerang/locations", headers={**KEY, "X-Sandbox-Fault": "status=503"})
    advance, vendor = access_lines(caplog)
    assert advance["namespace_time"] == KORUS_SEED_MOMENT  # read when the call came
    assert vendor["namespace_time"] == "2025-01-29T08:55:53Z"
    assert advance["time"] == vendor["time"] == "2026-03-20T10:00:00.123Z"
    assert (vendor["status"], vendor["fault"]) == (
        503,
        {"rule": None, "action": {"status": 503}},
    )


def test_control_plane_calls_are_logged_and_marked(
    logged: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    logged.get("/_sandbox/clock", headers={"X-Sandbox-Namespace": "n2"})
    logged.post("/_sandbox/faults", json={"match": {"operation": "nope"}})
    logged.get("/_sandbox/clock", headers={"X-Sandbox-Namespace": "not valid!"})
    logged.get("/no/vendor/here")
    clock, fault, invalid, unknown = access_lines(caplog)
    assert clock == {
        "time": "2026-03-20T10:00:00.123Z",
        "plane": "control",
        "namespace": "n2",
        "namespace_time": KORUS_SEED_MOMENT,
        "vendor": None,
        "operation": "clock",
        "method": "GET",
        "path": "/_sandbox/clock",
        "status": 200,
        "duration_ms": clock["duration_ms"],
        "fault": None,
    }
    assert (fault["namespace"], fault["operation"], fault["status"]) == ("default", "faults", 422)
    assert (invalid["namespace"], invalid["namespace_time"], invalid["status"]) == (None, None, 400)
    # What no vendor owns is answered by the app's own handlers, in the control plane's envelope.
    assert (unknown["plane"], unknown["operation"], unknown["status"]) == ("control", None, 404)


def test_a_control_call_that_fails_is_logged_as_a_500(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(request: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("booking_sandbox.control.handlers.get_clock", broken)
    app = create_app(Settings(access_log=True))
    with (
        TestClient(app, raise_server_exceptions=False) as client,
        caplog.at_level(logging.INFO, logger="sandbox.access"),
    ):
        assert client.get("/_sandbox/clock").status_code == 500
    [line] = access_lines(caplog)
    assert (line["plane"], line["operation"], line["status"]) == ("control", "clock", 500)


def test_the_wall_time_is_rfc3339_utc_with_milliseconds() -> None:
    from booking_sandbox.traffic.access import wall_time

    paris = timezone(timedelta(hours=1))
    assert wall_time(datetime(2026, 3, 20, 11, 0, 0, tzinfo=paris)) == "2026-03-20T10:00:00.000Z"
    assert wall_time(WALL) == "2026-03-20T10:00:00.123Z"
    assert RFC3339_UTC.match(wall_time(datetime.now(UTC)))


def test_the_access_log_is_off_by_default(
    client: TestClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def formatted(*args: object, **kwargs: object) -> str:
        raise AssertionError("a line was formatted with the access log off")

    # Off means nothing per request: no record, and no line formatted to be dropped later.
    monkeypatch.setattr("booking_sandbox.traffic.access.json", SimpleNamespace(dumps=formatted))
    with caplog.at_level(logging.INFO, logger="sandbox.access"):
        client.get("/api/boomerang/locations", headers=KEY)
        client.get("/_sandbox/clock")
        client.get("/no/vendor/here")
    assert [r for r in caplog.records if r.name == "sandbox.access"] == []
    assert from_sources([], env={}).access_log is False


def test_flags_and_environment_set_the_journal_and_the_log() -> None:
    settings = from_sources(["--journal-size", "5", "--access-log", "off"], env={})
    assert (settings.journal_size, settings.access_log) == (5, False)
    settings = from_sources([], env={"SANDBOX_JOURNAL_SIZE": "0", "SANDBOX_ACCESS_LOG": "json"})
    assert (settings.journal_size, settings.access_log) == (0, True)
    assert from_sources([], env={}).journal_size == 1000


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["--journal-size", "-1"], {}),
        ([], {"SANDBOX_JOURNAL_SIZE": "many"}),
        ([], {"SANDBOX_ACCESS_LOG": "xml"}),
    ],
)
def test_bad_journal_or_log_settings_are_refused(argv: list[str], env: dict[str, str]) -> None:
    with pytest.raises(SystemExit):
        from_sources(argv, env=env)


@pytest.mark.live
def test_the_console_script_writes_json_access_lines_at_info() -> None:
    from booking_sandbox.testing.live import LiveServer

    server = LiveServer("--log-level", "info", "--access-log", "json")
    try:
        server.wait_healthy()
        request = urllib.request.Request(f"{server.url}/api/boomerang/locations", headers=KEY)
        with urllib.request.urlopen(request, timeout=5) as answer:
            assert answer.status == 200
    finally:
        server.stop()
    lines = [json.loads(x) for x in server.stderr.splitlines() if x.startswith("{")]
    vendor = [x for x in lines if x["plane"] == "vendor"]
    assert [(x["vendor"], x["operation"], x["status"]) for x in vendor] == [
        ("booqable", "booqable.locations", 200)
    ]
    assert all(RFC3339_UTC.match(x["time"]) for x in lines)
    # The health checks that waited for the server are there too, as the control plane's.
    health = [x for x in lines if x["plane"] == "control"]
    assert health
    assert {(x["operation"], x["path"], x["status"]) for x in health} == {
        ("health", "/_sandbox/health", 200)
    }
    assert "GET /api/boomerang/locations HTTP/1.1" not in server.stderr  # not uvicorn's line too
