"""pytest plugin (entry point `pytest11: booking_sandbox`): the `booking_sandbox` fixtures.

With `SANDBOX_URL` set (a docker service in CI), tests talk to that server; otherwise one
sandbox per test session runs in-process on a free port. Each test gets its own namespace,
dropped when the test ends.

pytest imports this module in every run wherever the package is installed, so it imports
nothing heavy at module level: the server (Starlette, uvicorn) loads only when a test asks for
these fixtures without `SANDBOX_URL`.
"""

from __future__ import annotations

import hashlib
import math
import os
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from booking_sandbox.testing.client import SandboxClient

URL_ENV = "SANDBOX_URL"
TOKEN_ENV = "SANDBOX_CONTROL_TOKEN"  # the server's control token, if it has one
WAIT_ENV = "SANDBOX_WAIT"  # seconds to wait for SANDBOX_URL to become healthy
DEFAULT_WAIT = 30.0  # a docker service may take a while to load its fixtures


def wait_seconds() -> float:
    """`SANDBOX_WAIT` as seconds (default 30)."""
    raw = os.environ.get(WAIT_ENV, "").strip()
    if not raw:
        return DEFAULT_WAIT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds >= 0):
        raise pytest.UsageError(f"{WAIT_ENV}={raw!r}: expected a number of seconds, such as 30")
    return seconds


def namespace_for(nodeid: str) -> str:
    """`pytest-<hash of the test id>-<random>`: readable in logs, unique across parallel jobs."""
    digest = hashlib.sha1(nodeid.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"pytest-{digest}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def booking_sandbox_url() -> Iterator[str]:
    """The sandbox's base URL: `SANDBOX_URL`, or a server started in-process for the session."""
    url = os.environ.get(URL_ENV, "").strip()
    if url:
        from booking_sandbox.testing.client import server_root
        from booking_sandbox.testing.health import wait_healthy

        root = server_root(url)  # the same URL as `booking_sandbox.url`
        try:
            wait_healthy(root, wait_seconds())
        except TimeoutError as exc:
            raise RuntimeError(f"{URL_ENV}={url}: {exc}") from None
        yield root
        return
    from booking_sandbox.testing.inprocess import InProcessServer

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
    from booking_sandbox.testing.client import SandboxClient

    client = SandboxClient(
        booking_sandbox_url,
        namespace=namespace_for(request.node.nodeid),
        token=os.environ.get(TOKEN_ENV) or None,  # the in-process server reads it too
    )
    yield client
    client.reset()
