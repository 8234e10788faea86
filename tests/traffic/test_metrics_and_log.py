"""`GET /_sandbox/metrics` (Prometheus text) and the structured access log."""

from __future__ import annotations

import json
import logging
import re
import urllib.request
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings, from_sources
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


def test_each_vendor_request_logs_one_json_line(caplog: pytest.LogCaptureFixture) -> None:
    with (
        TestClient(create_app(Settings(access_log=True))) as client,
        caplog.at_level(logging.INFO, logger="sandbox.access"),
    ):
        client.get("/api/boomerang/locations", headers={**KEY, "X-Sandbox-Namespace": "n1"})
        client.get("/_sandbox/clock")  # the control plane is not vendor traffic
    [record] = [r for r in caplog.records if r.name == "sandbox.access"]
    line = json.loads(record.getMessage())
    assert line == {
        "namespace": "n1",
        "vendor": "booqable",
        "operation": "booqable.locations",
        "method": "GET",
        "path": "/api/boomerang/locations",
        "status": 200,
        "duration_ms": line["duration_ms"],
        "fault": None,
    }


def test_the_access_log_is_off_by_default(
    client: TestClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def formatted(*args: object, **kwargs: object) -> str:
        raise AssertionError("a line was formatted with the access log off")

    # Off means nothing per request: no record, and no line formatted to be dropped later.
    monkeypatch.setattr("booking_sandbox.traffic.middleware.json", SimpleNamespace(dumps=formatted))
    with caplog.at_level(logging.INFO, logger="sandbox.access"):
        client.get("/api/boomerang/locations", headers=KEY)
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
    assert [(x["vendor"], x["operation"], x["status"]) for x in lines] == [
        ("booqable", "booqable.locations", 200)
    ]
    assert "GET /api/boomerang/locations HTTP/1.1" not in server.stderr  # not uvicorn's line too
