"""Run the real `booking-sandbox` console script on a free port, as a user would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("booking-sandbox")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class LiveServer:
    """`LiveServer(*flags)` spawns the server; `wait_healthy()` polls `/_sandbox/health`."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.stderr = ""
        self.process = subprocess.Popen(
            [str(SCRIPT), "--port", str(self.port), "--log-level", "warning", *args],
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/_sandbox/health", timeout=1) as r:
                return bool(r.status == 200)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def wait_healthy(self, timeout: float = 20.0, poll: float = 0.05) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                _, err = self.process.communicate()
                raise RuntimeError(f"server exited {self.process.returncode}: {err}")
            if self.healthy():
                return
            time.sleep(poll)
        raise RuntimeError(f"server not healthy after {timeout} s")

    def stop(self) -> None:
        """Stop the server; what it wrote to stderr is then in `self.stderr`."""
        self.process.terminate()
        try:
            _, self.stderr = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, self.stderr = self.process.communicate()
