"""pytest plugin (entry point `pytest11: booking_sandbox`): the `booking_sandbox` fixture.

With `SANDBOX_URL` set (a docker service in CI), tests talk to that server; otherwise one
sandbox per test session runs in-process on a free port. Each test gets its own namespace,
dropped when the test ends. This module is imported by every pytest run wherever the package
is installed, so the server's dependencies are imported only when a test asks for it.
"""

from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator

import pytest

from sandbox.testing.client import SandboxClient, SandboxError

URL_ENV = "SANDBOX_URL"
WAIT_ENV = "SANDBOX_WAIT"  # seconds to wait for SANDBOX_URL to become healthy
START_TIMEOUT = 30.0  # seconds: fixtures load in well under one; a docker service may take more


class InProcessServer:
    """The sandbox app under uvicorn in a daemon thread, on a port bound before it starts."""

    def __init__(self) -> None:
        import uvicorn

        from sandbox.app import create_app
        from sandbox.settings import from_sources

        try:
            settings = from_sources([])  # SANDBOX_START_TIME, _SEED and _FIXTURES apply
        except SystemExit:  # argparse's way to reject a bad value; it printed why
            raise RuntimeError("invalid SANDBOX_* environment variable (see stderr)") from None
        app = create_app(settings)
        # Binding here (not a free_port() probe) leaves no window for another process.
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        config = uvicorn.Config(
            app,
            log_config=None,  # leave the test run's logging alone; records propagate to it
            log_level="warning",
            ws="none",  # no websocket library import (and its deprecation warnings)
            loop="asyncio",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name="booking-sandbox",
            daemon=True,
        )

    def start(self, timeout: float = START_TIMEOUT) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the in-process booking sandbox did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self._socket.close()


def wait_healthy(url: str, timeout: float) -> None:
    """Poll `/_sandbox/health`: a CI service container may still be loading its fixtures."""
    client = SandboxClient(url, timeout=2)
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.health()
            return
        except (OSError, SandboxError) as exc:  # URLError is an OSError
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{URL_ENV}={url}: no healthy sandbox there after {timeout:g} s ({exc})"
                ) from None
            time.sleep(0.2)


def namespace_for(nodeid: str) -> str:
    """`pytest-<hash of the test id>-<random>`: readable in logs, unique across parallel jobs."""
    digest = hashlib.sha1(nodeid.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"pytest-{digest}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def booking_sandbox_url() -> Iterator[str]:
    """The sandbox's base URL: `SANDBOX_URL`, or a server started in-process for the session."""
    url = os.environ.get(URL_ENV, "").strip()
    if url:
        wait_healthy(url, float(os.environ.get(WAIT_ENV) or START_TIMEOUT))
        yield url.rstrip("/")
        return
    server = InProcessServer()
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def booking_sandbox(
    booking_sandbox_url: str, request: pytest.FixtureRequest
) -> Iterator[SandboxClient]:
    """A `SandboxClient` on a namespace of this test's own, reset when the test ends."""
    client = SandboxClient(booking_sandbox_url, namespace=namespace_for(request.node.nodeid))
    yield client
    client.reset()
