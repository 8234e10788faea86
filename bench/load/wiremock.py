"""WireMock, the peer users would pick instead, serving the bytes the bare app serves.

Optional: it needs java and npm. Its npm package (`npm install wiremock`, which carries the
standalone jar) is installed once into a cache directory outside the repository; the jar is then
started directly (`java -jar`), so the process measured is the JVM itself. Its stubs are made
from the same recorded exchanges as the bare app's routes: same status, headers and body bytes,
matched by method and path (a pattern where the bare route has a `{parameter}`, as a chain's
second step does). Everything else is WireMock's default, its request journal included, but
`--use-chunked-encoding never`: bodies framed by Content-Length, as the other servers do.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx

from booking_sandbox.testing.live import free_port

CACHE = Path(
    os.environ.get("BENCH_WIREMOCK_CACHE", Path.home() / ".cache/booking-sandbox-bench/wiremock")
)
INSTALL = f"npm install --prefix {CACHE} wiremock"
PARAMETER = re.compile(r"\{[^}]*\}")


def missing_tools() -> str | None:
    """Why WireMock cannot run here, or None when java and npm are both present."""
    absent = [tool for tool in ("java", "npm") if shutil.which(tool) is None]
    if absent:
        return f"WireMock skipped: {' and '.join(absent)} not found (it needs java and npm)"
    return None


def jar(cache: Path = CACHE) -> Path:
    """The standalone jar from the npm package, installed into `cache` on first use."""
    found = sorted(cache.glob("node_modules/wiremock/build/wiremock-standalone-*.jar"))
    if not found:
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(INSTALL.split(), check=True, capture_output=True, text=True)
        found = sorted(cache.glob("node_modules/wiremock/build/wiremock-standalone-*.jar"))
    if not found:
        raise RuntimeError(f"no wiremock-standalone jar after `{INSTALL}`")
    return found[-1]


def url_pattern(route: str) -> str:
    """A Java regex for a Starlette route: each `{parameter}` is one path segment."""
    parts = PARAMETER.split(route)
    return "[^/]+".join(re.escape(part) for part in parts)


def stub(item: dict[str, Any]) -> dict[str, Any]:
    """One WireMock mapping answering a recorded exchange with its exact bytes."""
    route: str = item["route"]
    matcher = (
        {"urlPathPattern": url_pattern(route)} if PARAMETER.search(route) else {"urlPath": route}
    )
    return {
        "request": {"method": item["method"], **matcher},
        "response": {
            "status": item["status"],
            "headers": dict(item["headers"]),
            "base64Body": item["body"],
        },
        # A literal path wins over a pattern that could also match it, as in the bare app.
        "priority": 5 if "urlPathPattern" in matcher else 1,
    }


def stubs(recorded: list[dict[str, Any]]) -> dict[str, Any]:
    """The content of WireMock's `mappings/*.json` for these recorded exchanges."""
    return {"mappings": [stub(item) for item in recorded]}


class WireMock:
    """`java -jar wiremock-standalone.jar` on a free port with the stubs in its root directory."""

    def __init__(self, recorded: list[dict[str, Any]], root: Path) -> None:
        (root / "mappings").mkdir(parents=True, exist_ok=True)
        (root / "__files").mkdir(exist_ok=True)
        (root / "mappings" / "bench.json").write_text(json.dumps(stubs(recorded)))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = ["java", "-jar", str(jar()), "--port", str(self.port)]
        command += ["--root-dir", str(root), "--disable-banner"]
        # Content-Length framing, as the other servers send (its default chunks every body).
        command += ["--use-chunked-encoding", "never"]
        self.log = root / "wiremock.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                said = self.log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"WireMock exited {self.process.returncode}: {said}")
            try:
                httpx.get(f"{self.url}/__admin/mappings", timeout=1).raise_for_status()
                return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("WireMock did not start within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
