"""The namespace cap: configurable, and idle namespaces make room instead of a lock-out."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.options import from_sources
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant

BOOQABLE = {"Authorization": "Bearer demo-api-key"}


class Wall:
    """The machine's time, moved by the test."""

    def __init__(self) -> None:
        self.now = parse_instant("2026-03-20T10:00:00Z")

    def __call__(self) -> datetime:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _touch(client: TestClient, name: str) -> int:
    return client.get("/_sandbox/clock", headers={"X-Sandbox-Namespace": name}).status_code


def test_idle_namespaces_are_evicted_least_recently_used_first() -> None:
    wall = Wall()
    app = create_app(Settings(max_namespaces=3, namespace_idle=60, wall=wall))
    with TestClient(app) as client:
        assert _touch(client, "a") == _touch(client, "b") == 200  # with default: 3
        refused = client.get("/_sandbox/clock", headers={"X-Sandbox-Namespace": "c"})
        assert refused.status_code == 429  # nobody idle yet
        assert refused.json()["error"]["code"] == "too_many_namespaces"
        client.post(
            "/_sandbox/faults",
            json={"action": {"status": 503}},
            headers={"X-Sandbox-Namespace": "a"},
        )
        wall.wait(61)
        # Vendor traffic counts as use: `a` stays, `b` is the least recently used.
        r = client.get("/api/boomerang/orders", headers={**BOOQABLE, "X-Sandbox-Namespace": "a"})
        assert r.status_code == 503  # (a's fault rule)
        assert _touch(client, "c") == 200
        assert client.get("/_sandbox/namespaces").json()["namespaces"] == ["a", "c", "default"]
        metrics = client.get("/_sandbox/metrics").text
        assert "sandbox_namespaces_evicted_total 1\n" in metrics
        wall.wait(61)
        assert _touch(client, "b") == 200  # b comes back fresh, in a's place (older than c)
        assert client.get("/_sandbox/namespaces").json()["namespaces"] == ["b", "c", "default"]
        # An evicted namespace's fault rules and journal went with it.
        assert client.get("/_sandbox/faults", headers={"X-Sandbox-Namespace": "a"}).json() == {
            "faults": []
        }


def test_default_is_never_evicted() -> None:
    wall = Wall()
    app = create_app(Settings(max_namespaces=2, namespace_idle=0, wall=wall))
    with TestClient(app) as client:
        wall.wait(3600)
        assert _touch(client, "a") == 200
        assert _touch(client, "b") == 200  # evicts a, not the older default
        assert client.get("/_sandbox/namespaces").json()["namespaces"] == ["b", "default"]


def test_a_state_import_at_the_cap_evicts_too() -> None:
    wall = Wall()
    app = create_app(Settings(max_namespaces=2, namespace_idle=10, wall=wall))
    with TestClient(app) as client:
        state = client.get("/_sandbox/state").json()
        assert _touch(client, "a") == 200
        other = {"X-Sandbox-Namespace": "b"}
        assert client.put("/_sandbox/state", json=state, headers=other).status_code == 429
        wall.wait(11)
        assert client.put("/_sandbox/state", json=state, headers=other).status_code == 200
        assert client.get("/_sandbox/namespaces").json()["namespaces"] == ["b", "default"]


def test_the_cap_and_the_idle_time_are_settings() -> None:
    assert (Settings().max_namespaces, Settings().namespace_idle) == (1000, 600.0)
    given = from_sources(["--max-namespaces", "5", "--namespace-idle", "1.5"])
    assert (given.max_namespaces, given.namespace_idle) == (5, 1.5)
    env = from_sources([], {"SANDBOX_MAX_NAMESPACES": "7", "SANDBOX_NAMESPACE_IDLE": "0"})
    assert (env.max_namespaces, env.namespace_idle) == (7, 0.0)
    for bad in (["--max-namespaces", "0"], ["--namespace-idle", "-1"], ["--namespace-idle", "inf"]):
        with pytest.raises(SystemExit):
            from_sources(bad)
