"""Start-up phases on the `sandbox.startup` logger: a big catalog takes a while to load, and
whoever waits should see which step it is at and how long each took."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger("sandbox.startup")


@contextmanager
def phase(name: str) -> Iterator[None]:
    """One line when the phase begins, one with its duration when it ends (not on failure)."""
    log.info("%s...", name)
    began = time.perf_counter()
    yield
    log.info("%s: done in %.2f s", name, time.perf_counter() - began)
