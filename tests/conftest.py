"""One suite, two transports: API tests run in-process (ASGI) and against the real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from hypothesis import settings as hypothesis_settings
from starlette.testclient import TestClient

from sandbox.app import create_app
from sandbox.settings import Settings
from sandbox.timefmt import parse_instant

# CI must not fail on an example drawn for the first time: derandomised there, random locally.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
# The Korus seeds' own moment: the bundled fixtures are meant to be used from there.
START = "2025-01-29T07:55:53Z"
SCRIPT = Path(sys.executable).with_name("booking-sandbox")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class LiveServer:
    """The console script as a user runs it, on a free port."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(SCRIPT), "--port", str(self.port), "--log-level", "warning", *args],
            env={**os.environ, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_healthy(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                _, err = self.process.communicate()
                raise RuntimeError(f"server exited {self.process.returncode}: {err}")
            try:
                if httpx.get(f"{self.url}/_sandbox/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("server did not become healthy")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    server = LiveServer("--start-time", START)
    try:
        server.wait_healthy()
        yield server
    finally:
        server.stop()


class Api:
    """A client bound to one namespace, whatever the transport."""

    def __init__(self, client: httpx.Client, namespace: str) -> None:
        self.client = client
        self.namespace = namespace

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"X-Sandbox-Namespace": self.namespace, **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)


@pytest.fixture(params=["asgi", pytest.param("live", marks=pytest.mark.live)])
def api(request: pytest.FixtureRequest) -> Iterator[Api]:
    namespace = f"t-{uuid.uuid4().hex[:12]}"
    if request.param == "asgi":
        settings = Settings(start_time=parse_instant(START))
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            yield Api(client, namespace)
    else:
        server: LiveServer = request.getfixturevalue("live_server")
        with httpx.Client(base_url=server.url, timeout=10) as client:
            yield Api(client, namespace)
