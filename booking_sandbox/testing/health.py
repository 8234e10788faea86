"""Waiting for `/_sandbox/health`: one loop for `LiveServer` and the pytest plugin."""

from __future__ import annotations

import time
from collections.abc import Callable

from booking_sandbox.testing.client import SandboxClient, SandboxError

PROBE_TIMEOUT = 2.0  # seconds for one health request


def health_problem(url: str, timeout: float = PROBE_TIMEOUT) -> Exception | None:
    """Why `url` is not a healthy sandbox right now, or None when it is."""
    try:
        health = SandboxClient(url, timeout=timeout).health()
    except (OSError, SandboxError) as exc:  # URLError, refused, timeout, not HTTP, not JSON
        return exc
    if not isinstance(health, dict) or health.get("status") != "ok":
        return ValueError(f"not a sandbox's health answer: {str(health)[:200]}")
    return None


def wait_healthy(
    url: str,
    timeout: float,
    *,
    poll: float = 0.2,
    check: Callable[[], None] | None = None,
) -> None:
    """Poll until `url` answers its health check; `TimeoutError` after `timeout` seconds.

    `check` runs before every probe and may raise to give up early (a server process that died).
    """
    deadline = time.monotonic() + timeout
    while True:
        if check is not None:
            check()
        left = deadline - time.monotonic()
        problem = health_problem(url, max(0.1, min(PROBE_TIMEOUT, left)))
        if problem is None:
            return
        if time.monotonic() >= deadline:
            raise TimeoutError(f"no healthy sandbox there after {timeout:g} s ({problem})")
        time.sleep(poll)
