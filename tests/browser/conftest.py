"""Headless Chromium, driven by Playwright, against a live sandbox.

Playwright rather than selenium: its assertions wait for the page by themselves (no sleeps,
no flakes on a loaded machine), and it reports console messages and page errors as events.
It drives Debian's Chromium (`/usr/bin/chromium`): it cannot download its own browser here.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from booking_sandbox.testing.live import LiveServer

START = "2025-01-29T07:55:53Z"  # the Korus seeds' own moment
CHROMIUM = os.environ.get("SANDBOX_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
INSTALL = (
    "needs Chromium and Playwright: apt-get install chromium, then "
    "pip install -e '.[test]' (.ci/run does both)"
)
# Flags for a machine with no network and no display (the closed network refuses Chromium's
# background connections, many at a time).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

try:
    from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None  # type: ignore[assignment]


HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


def _missing() -> str | None:
    if sync_playwright is None:
        return "playwright is not installed: " + INSTALL
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM}: " + INSTALL
    return None


# Package scope, not session: while Playwright's sync API runs, its event loop is the running
# loop of the main thread, and later tests that call asyncio.run() would fail.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    problem = _missing()
    if problem:
        pytest.skip(problem)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def sandbox_url() -> Iterator[str]:
    if _missing():
        pytest.skip(_missing() or "")
    server = LiveServer("--start-time", START)
    try:
        server.wait_healthy()
        yield server.url
    finally:
        server.stop()


@dataclass
class Console:
    """What the page wrote to its console and what it threw: a test ends with none of either."""

    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        """A message the test provokes on purpose (Chromium logs every 4xx a page fetches)."""
        self.allowed.append(re.compile(pattern))

    def on_message(self, message: ConsoleMessage) -> None:
        text = f"{message.type}: {message.text} @ {message.location}"
        if message.type in ("error", "warning") and not any(p.search(text) for p in self.allowed):
            self.errors.append(text)

    def on_error(self, error: Exception) -> None:
        self.errors.append(f"pageerror: {error}")


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(browser: Browser, console: Console) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.on("console", console.on_message)
    opened.on("pageerror", console.on_error)
    opened.set_default_timeout(15_000)
    try:
        yield opened
    finally:
        context.close()
    assert console.errors == [], "the page logged errors:\n" + "\n".join(console.errors)


@pytest.fixture
def namespace() -> str:
    return f"ui-{uuid.uuid4().hex[:10]}"
