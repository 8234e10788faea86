"""Run the real `booking-sandbox` console script on a free port, as a user would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from booking_sandbox.testing.health import health_problem
from booking_sandbox.testing.health import wait_healthy as wait_for_health

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
        # A file, not a pipe: nobody reads a pipe while the server runs, and a full one (64 KiB
        # of tracebacks or access lines) would block the server mid-request. A bare descriptor
        # of it is kept: no ResourceWarning when a caller never calls stop().
        with tempfile.TemporaryFile() as log:
            self._stderr_fd: int | None = os.dup(log.fileno())
            self.process = subprocess.Popen(
                [str(SCRIPT), "--port", str(self.port), "--log-level", "warning", *args],
                env={**os.environ, **(env or {})},
                stdout=subprocess.DEVNULL,
                stderr=log,
            )

    def healthy(self) -> bool:
        return health_problem(self.url, timeout=1) is None

    def wait_healthy(self, timeout: float = 20.0, poll: float = 0.05) -> None:
        try:
            wait_for_health(self.url, timeout, poll=poll, check=self._check_running)
        except TimeoutError as exc:
            raise RuntimeError(f"server not healthy: {exc}") from None

    def _check_running(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(f"server exited {self.process.returncode}: {self._read_stderr()}")

    def _read_stderr(self) -> str:
        if self._stderr_fd is None:
            return self.stderr
        size = os.fstat(self._stderr_fd).st_size
        return os.pread(self._stderr_fd, size, 0).decode("utf-8", errors="replace")

    def stop(self) -> None:
        """Stop the server; what it wrote to stderr is then in `self.stderr`."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self._stderr_fd is not None:
            self.stderr = self._read_stderr()
            os.close(self._stderr_fd)
            self._stderr_fd = None
