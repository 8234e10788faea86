"""The two servers under load: the sandbox's console script and the bare baseline app."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx

from bench.load.bare_app import ENV
from bench.load.paths import HotPath
from booking_sandbox.testing.live import free_port


def record(url: str, path: HotPath, namespace: str) -> list[dict[str, Any]]:
    """Walk the path's chain once on the sandbox; what the bare app will answer, step by step."""
    recorded: list[dict[str, Any]] = []
    with httpx.Client(base_url=url, headers={"X-Sandbox-Namespace": namespace}) as client:
        path.prepare(client)
        value: str | None = None
        for step in path.steps:
            target, body = step.render(value)
            sent = client.request(
                step.method, target, content=body, headers={"Content-Type": "application/json"}
            )
            if not 200 <= sent.status_code < 300:
                raise RuntimeError(f"{path.key}: {step.method} {target} → {sent.status_code}")
            value = step.cut(sent.text) if step.capture else None
            if step.capture and value is None:
                raise RuntimeError(f"{path.key}: nothing to cut after {step.capture!r}")
            keep = {k: v for k, v in sent.headers.multi_items() if k not in SERVER_HEADERS}
            if len(keep) != len([k for k, _ in sent.headers.multi_items() if k in keep]):
                raise RuntimeError(f"{path.key}: a repeated header the bare app cannot copy")
            recorded.append(
                {
                    "method": step.method,
                    "route": step.route or target.split("?")[0],
                    "status": sent.status_code,
                    "headers": keep,
                    "body": base64.b64encode(sent.content).decode(),
                    "text": sent.text,
                }
            )
    _check_markers(path, [r["text"] for r in recorded])
    return recorded


# Written by uvicorn or Starlette on both servers alike.
SERVER_HEADERS = {"date", "server", "content-length"}


def _check_markers(path: HotPath, bodies: list[str]) -> None:
    """wrk tells responses apart by their marker: only step k's response may hand on a value."""
    for k, step in enumerate(path.steps[:-1]):
        for j, body in enumerate(bodies):
            if j != k and step.cut(body) is not None:
                raise RuntimeError(f"{path.key}: step {k + 1}'s capture also matches step {j + 1}")


UVICORN = (sys.executable, "-m", "uvicorn", "--log-level", "warning", "--no-access-log")


class Bare:
    """`uvicorn bench.load.bare_app:app`, one worker, the same loop and parser as the sandbox."""

    def __init__(self, recorded: list[dict[str, Any]], spec: Path) -> None:
        spec.write_text(json.dumps([{k: v for k, v in r.items() if k != "text"} for r in recorded]))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [*UVICORN, "bench.load.bare_app:app", "--port", str(self.port)],
            env={**os.environ, ENV: str(spec)},
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.url}/", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("the bare app did not start")

    def verify(self, path: HotPath, recorded: list[dict[str, Any]]) -> None:
        """The bare app answers the chain with exactly the recorded bytes."""
        verify(self.url, path, recorded)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def verify(
    url: str, path: HotPath, recorded: list[dict[str, Any]], *, more_headers: bool = False
) -> set[str]:
    """The server at `url` answers the chain with the recorded status, headers and body bytes.
    With `more_headers`, headers of its own beside them are allowed (WireMock adds some, such as
    `Matched-Stub-Id`): their names are returned."""
    value: str | None = None
    extra: set[str] = set()
    # No compression: a load generator asks for none, and the bytes are compared as sent.
    with httpx.Client(base_url=url, headers={"Accept-Encoding": "identity"}) as client:
        for step, want in zip(path.steps, recorded, strict=True):
            target, body = step.render(value)
            got = client.request(step.method, target, content=body)
            if got.content != base64.b64decode(want["body"]):
                raise RuntimeError(f"{path.key}: {url} body differs at {target}")
            sent = {k: v for k, v in got.headers.multi_items() if k not in SERVER_HEADERS}
            if more_headers:
                extra |= {k for k in sent if k not in want["headers"]}
                sent = {k: v for k, v in sent.items() if k in want["headers"]}
            if got.status_code != want["status"] or sent != want["headers"]:
                raise RuntimeError(f"{path.key}: {url} status or headers differ at {target}")
            value = step.cut(got.text) if step.capture else None
    return extra


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (clock ticks in /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _status_mib(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mib(pid: int) -> float:
    return _status_mib(pid, "VmHWM")


def reset_peak_rss(pid: int) -> bool:
    """Start a new peak (Linux: 5 to clear_refs), so a run's peak leaves out earlier runs and
    the state checks, which build a whole export. False where the kernel does not allow it."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def rss_mib(pid: int) -> float:
    return _status_mib(pid, "VmRSS")
