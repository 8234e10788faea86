"""`LiveServer` (the console script on a port) and the health wait it shares with the plugin."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from booking_sandbox.testing import LiveServer, free_port
from booking_sandbox.testing.health import health_problem, wait_healthy
from tests.testing.fakes import html_server, http_server, not_http_server

KIB = 1024


@pytest.mark.live
def test_a_server_that_writes_much_to_stderr_keeps_serving() -> None:
    # Far more than a pipe holds (64 KiB): nobody reads stderr until stop().
    server = LiveServer("--log-level", "info", "--access-log", "json")
    try:
        server.wait_healthy()
        path = "/api/boomerang/" + "x" * (4 * KIB)
        for i in range(40):  # one access line of over 4 KiB each
            request = urllib.request.Request(f"{server.url}{path}{i}")
            with pytest.raises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(request, timeout=5)
            caught.value.close()
            assert caught.value.code == 404
    finally:
        server.stop()
    assert len(server.stderr) > 160 * KIB
    last = [json.loads(x) for x in server.stderr.splitlines() if x.startswith("{")][-1]
    assert last["path"] == f"{path}39"


@pytest.mark.live
def test_wait_healthy_shows_the_stderr_of_a_server_that_exited(tmp_path: Path) -> None:
    (tmp_path / "pontcentral.json").write_text(json.dumps({"partners": "none"}))
    server = LiveServer("--fixtures", str(tmp_path))
    try:
        with pytest.raises(RuntimeError, match=r"server exited 2: (.|\n)*'none' is not of type"):
            server.wait_healthy()
    finally:
        server.stop()
    assert "pontcentral.json: $.partners: 'none' is not of type 'array'" in server.stderr
    server.stop()  # twice is harmless and keeps what was read
    assert "'none' is not of type 'array'" in server.stderr


def test_health_of_a_sandbox(booking_sandbox_url: str) -> None:
    assert health_problem(booking_sandbox_url) is None
    wait_healthy(booking_sandbox_url, 1)


def test_what_is_not_a_healthy_sandbox_is_waited_for_then_reported() -> None:
    with html_server(200) as page, not_http_server() as other:
        for url, why in [
            (f"http://127.0.0.1:{free_port()}", "Connection refused"),
            (page, "200 http_error: <html>"),
            (other, "not an HTTP answer"),
        ]:
            assert why in str(health_problem(url))
            started = time.monotonic()
            with pytest.raises(
                TimeoutError, match=rf"no healthy sandbox there after 0.3 s \(.*{why}"
            ):
                wait_healthy(url, 0.3, poll=0.05)
            assert time.monotonic() - started < 2


def test_a_json_answer_that_is_not_a_sandbox_health_is_not_healthy() -> None:
    with http_server(200, b'{"healthy": true}', "application/json") as url:
        assert "not a sandbox's health answer" in str(health_problem(url))


def test_the_check_gives_up_early() -> None:
    def died() -> None:
        raise RuntimeError("the server died")

    with pytest.raises(RuntimeError, match="the server died"):
        wait_healthy(f"http://127.0.0.1:{free_port()}", 30, check=died)
