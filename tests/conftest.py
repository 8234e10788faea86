"""One suite, two transports: API tests run in-process (ASGI) and against the real server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from hypothesis import settings as hypothesis_settings
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.testing.live import LiveServer
from booking_sandbox.timefmt import parse_instant

# No deadline: a loaded machine must not fail a property test on time alone. Example counts
# stay at Hypothesis's defaults, or at what a test's own @settings chooses.
hypothesis_settings.register_profile("sandbox", deadline=None)
# CI must not fail on an example drawn for the first time: derandomised there, random locally.
hypothesis_settings.register_profile(
    "ci", hypothesis_settings.get_profile("sandbox"), derandomize=True, database=None
)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "sandbox")

ROOT = Path(__file__).resolve().parents[1]
# The Korus seeds' own moment: the bundled fixtures are meant to be used from there.
START = "2025-01-29T07:55:53Z"


@pytest.hookimpl(tryfirst=True)  # before -m selects: `-m "not slow"` leaves live tests out
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A live test starts the console script and talks HTTP to it: slow by construction."""
    for item in items:
        if item.get_closest_marker("live") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    server = LiveServer("--start-time", START)
    try:
        server.wait_healthy()
        yield server
    finally:
        server.stop()


class Verbs:
    """get/post/put/delete over one `request` method."""

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        raise NotImplementedError

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)


class Api(Verbs):
    """A client bound to one namespace, whatever the transport."""

    def __init__(self, client: httpx.Client, namespace: str) -> None:
        self.client = client
        self.namespace = namespace

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"X-Sandbox-Namespace": self.namespace, **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)


@pytest.fixture(params=["asgi", pytest.param("live", marks=pytest.mark.live)])
def api(request: pytest.FixtureRequest) -> Iterator[Api]:
    namespace = f"t-{uuid.uuid4().hex[:12]}"
    if request.param == "asgi":
        settings = Settings(start_time=parse_instant(START))
        app = create_app(settings)
        with TestClient(app, raise_server_exceptions=False) as client:
            yield Api(client, namespace)
        # Namespaces share the fixtures' documents: whatever the test wrote went to its
        # namespace's own copy, never into the shared one (copy on write).
        assert app.state.sandbox.fixtures.changed_sections() == []
    else:
        server: LiveServer = request.getfixturevalue("live_server")
        with httpx.Client(base_url=server.url, timeout=10) as client:
            yield Api(client, namespace)
            # The test's namespace goes with it: the session's one server holds at most
            # --max-namespaces (1000), and thousands of tests each make one.
            client.post("/_sandbox/reset", headers={"X-Sandbox-Namespace": namespace})
