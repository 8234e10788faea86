"""A real browser's cross-origin calls: a page on another port calls the sandbox's vendor API
and control plane, with `--cors-origins` (it succeeds) and without (Chromium blocks it)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx2 as httpx
import pytest
from playwright.sync_api import Page

from booking_sandbox.testing.live import LiveServer
from tests.browser.conftest import START, Console

PAGE = (
    b'<!doctype html><html><head><link rel="icon" href="data:,"><title>front</title></head></html>'
)
# The page's call: a custom header, so the browser sends a preflight first.
FETCH = """async ([url, path, init]) => {
  try {
    const r = await fetch(url + path, init);
    return {status: r.status, type: r.headers.get("content-type"), body: await r.text()};
  } catch (e) {
    return {error: String(e)};
  }
}"""


class _Front(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def front() -> Iterator[str]:
    """Another origin: a tiny server on another port, like a front end's dev server."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Front)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def cors_sandbox(front: str) -> Iterator[str]:
    server = LiveServer("--start-time", START, "--cors-origins", front)
    try:
        server.wait_healthy()
        yield server.url
    finally:
        server.stop()


def _call(page: Page, url: str, path: str, **init: Any) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(FETCH, [url, path, init])
    return result


def _products(namespace: str) -> dict[str, Any]:
    headers = {"Authorization": "Bearer demo-api-key", "X-Sandbox-Namespace": namespace}
    return {"headers": headers}


def test_a_listed_origin_calls_the_vendor_api_and_reads_the_control_plane(
    page: Page, front: str, cors_sandbox: str, console: Console
) -> None:
    namespace = f"cors-{uuid.uuid4().hex[:8]}"
    page.goto(front)
    r = _call(page, cors_sandbox, "/api/boomerang/products", **_products(namespace))
    assert r.get("status") == 200, r
    assert r["type"].startswith("application/vnd.api+json")
    clock = _call(page, cors_sandbox, "/_sandbox/clock", headers={"X-Sandbox-Namespace": namespace})
    assert clock.get("status") == 200, clock
    # A control-plane write needs --control-origin as well: refused, but readable.
    console.allow(r"status of 403")
    reset = _call(
        page,
        cors_sandbox,
        "/_sandbox/reset",
        method="POST",
        body="{}",
        headers={"Content-Type": "application/json", "X-Sandbox-Namespace": namespace},
    )
    assert reset.get("status") == 403, reset
    assert "forbidden_origin" in reset["body"]
    # The preflights stayed out of the journal: the one vendor call is all it holds.
    journal = httpx.get(
        f"{cors_sandbox}/_sandbox/requests", headers={"X-Sandbox-Namespace": namespace}
    ).json()
    assert [(e["method"], e["status"]) for e in journal["requests"]] == [("GET", 200)]


def test_without_the_setting_the_browser_blocks_the_call(
    page: Page, front: str, sandbox_url: str, console: Console
) -> None:
    console.allow(r"CORS policy|Failed to load resource|net::ERR_FAILED")
    page.goto(front)
    r = _call(page, sandbox_url, "/api/boomerang/products", **_products("cors-off"))
    assert "error" in r, r
    assert "Failed to fetch" in r["error"]
