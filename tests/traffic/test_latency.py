"""Latency faults: the delay each rule draws, seeded per namespace (no timing assertions)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings

KEY = {"Authorization": "Bearer demo-api-key"}


@pytest.fixture
def delays(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The seconds each fault slept, recorded instead of waited."""
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr("booking_sandbox.traffic.middleware.sleep", sleep)
    return slept


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as client:
        yield client


def _run(client: TestClient, latency: object, requests: int = 10) -> list[int]:
    client.post("/_sandbox/reset")
    client.post("/_sandbox/faults", json={"action": {"latency_ms": latency}})
    return [
        client.get("/api/boomerang/locations", headers=KEY).status_code for _ in range(requests)
    ]


def test_a_fixed_latency_delays_the_real_answer(client: TestClient, delays: list[float]) -> None:
    assert _run(client, 600, requests=2) == [200, 200]
    assert delays == [0.6, 0.6]


def test_a_uniform_latency_draws_within_its_bounds(client: TestClient, delays: list[float]) -> None:
    _run(client, {"distribution": "uniform", "min": 100, "max": 300})
    assert all(0.1 <= d <= 0.3 for d in delays)
    assert len(set(delays)) == 10


def test_a_lognormal_latency_replays_after_reset(client: TestClient, delays: list[float]) -> None:
    latency = {"distribution": "lognormal", "median": 200, "sigma": 0.5}
    _run(client, latency)
    first = list(delays)
    delays.clear()
    _run(client, latency)
    assert delays == first
    assert all(d > 0 for d in first)


def test_latency_goes_with_a_status(client: TestClient, delays: list[float]) -> None:
    client.post("/_sandbox/faults", json={"action": {"status": 504, "latency_ms": 1500}})
    assert client.get("/api/boomerang/locations", headers=KEY).status_code == 504
    assert delays == [1.5]


def test_the_header_latency_applies_once(client: TestClient, delays: list[float]) -> None:
    client.get("/api/boomerang/locations", headers={**KEY, "X-Sandbox-Fault": "latency_ms=250"})
    client.get("/api/boomerang/locations", headers=KEY)
    assert delays == [0.25]
