"""The namespace clock follows the system clock (faked here with freezegun) until frozen."""

from __future__ import annotations

from freezegun import freeze_time
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant


def test_clock_follows_system_time_from_now_or_from_start_time() -> None:
    with freeze_time("2026-11-22T08:00:00Z") as wall:
        plain = TestClient(create_app(Settings()))
        shifted = TestClient(create_app(Settings(start_time=parse_instant("2025-01-29T07:55:53Z"))))
        assert plain.get("/_sandbox/clock").json()["now"] == "2026-11-22T08:00:00Z"
        assert shifted.get("/_sandbox/clock").json()["now"] == "2025-01-29T07:55:53Z"
        wall.tick(30)
        assert plain.get("/_sandbox/clock").json()["now"] == "2026-11-22T08:00:30Z"
        assert shifted.get("/_sandbox/clock").json()["now"] == "2025-01-29T07:56:23Z"
        shifted.put("/_sandbox/clock", json={"frozen": True})
        wall.tick(600)
        assert shifted.get("/_sandbox/clock").json()["now"] == "2025-01-29T07:56:23Z"
        # A namespace created later starts at the start time too: reproducible per CI job.
        late = shifted.get("/_sandbox/clock", headers={"X-Sandbox-Namespace": "late"}).json()
        assert late["now"] == "2025-01-29T07:55:53Z"
