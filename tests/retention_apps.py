"""The retention tests' `api`: in-process or on a live server, both keeping only KEEP finished
records per namespace, vendor and kind (`--retain-finished`)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.testing.live import LiveServer
from booking_sandbox.timefmt import parse_instant
from tests.conftest import START, Api

KEEP = 2


def small_server() -> Iterator[LiveServer]:
    """A live server keeping KEEP: a test module's module-scoped fixture."""
    server = LiveServer("--start-time", START, "--retain-finished", str(KEEP))
    try:
        server.wait_healthy()
        yield server
    finally:
        server.stop()


def small_api(request: pytest.FixtureRequest, namespace: str) -> Iterator[Api]:
    """`api` in `namespace`, by the fixture's param: "asgi", or "live" (on `small_server`)."""
    if request.param == "asgi":
        settings = Settings(start_time=parse_instant(START), retain_finished=KEEP)
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            yield Api(client, namespace)
    else:
        server: LiveServer = request.getfixturevalue("small_server")
        with httpx.Client(base_url=server.url, timeout=10) as client:
            yield Api(client, namespace)
            client.post("/_sandbox/reset", headers={"X-Sandbox-Namespace": namespace})
