"""Connection deadlines: headers in time, kept-alive connections, and a bounded shutdown.

Against the real console script (its flags, SIGTERM), and against uvicorn in this process for
both HTTP protocols (httptools, what the server runs, and h11, uvicorn's fallback). Timeouts are
short and deadlines generous: each test asserts what happened, never how fast.
"""

from __future__ import annotations

import asyncio
import http.client
import select
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from booking_sandbox.__main__ import uvicorn_options
from booking_sandbox.core.options import from_sources
from booking_sandbox.serving import H11Deadlines, http_protocol
from booking_sandbox.testing.live import LiveServer

DEADLINE = 10.0  # seconds a test waits for a close that is due after one


def closed_by_server(sock: socket.socket, trickle: bytes = b"") -> bytes:
    """Send `trickle` a byte every 0.3 s (then nothing) until the server closes the connection
    or the deadline passes; what the server sent. Fails if it never closed."""
    received = b""
    end = time.monotonic() + DEADLINE
    pending = trickle
    while time.monotonic() < end:
        if pending:
            try:
                sock.sendall(pending[:1])
            except (BrokenPipeError, ConnectionResetError):
                return received
            pending = pending[1:]
        readable, _, _ = select.select([sock], [], [], 0.3)
        if readable:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                return received
            if not chunk:
                return received
            received += chunk
    pytest.fail(f"the connection stayed open {DEADLINE} s (received {received!r})")


def get(path: str = "/") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: sandbox\r\n\r\n".encode()


def read_response(sock: socket.socket) -> bytes:
    """One whole response with a content-length, and not a byte of the next (pipelined) one."""
    sock.settimeout(DEADLINE)
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        byte = sock.recv(1)
        assert byte, f"closed mid-response: {head!r}"
        head += byte
    (size,) = (line for line in head.lower().split(b"\r\n") if line.startswith(b"content-length:"))
    length = int(size.split(b":")[1])
    body = b""
    while len(body) < length:
        chunk = sock.recv(length - len(body))
        assert chunk, f"closed mid-body: {head + body!r}"
        body += chunk
    return head + body


# --- settings ----------------------------------------------------------------------------


def test_timeouts_default_and_come_from_flags_over_env() -> None:
    d = from_sources([], {})
    assert (d.header_timeout, d.keep_alive_timeout, d.shutdown_grace) == (10.0, 5.0, 5.0)
    env = {
        "SANDBOX_HEADER_TIMEOUT": "3",
        "SANDBOX_KEEP_ALIVE_TIMEOUT": "2.5",
        "SANDBOX_SHUTDOWN_GRACE": "0",
    }
    s = from_sources(["--header-timeout", "1.5", "--shutdown-grace", "4"], env)
    assert (s.header_timeout, s.keep_alive_timeout, s.shutdown_grace) == (1.5, 2.5, 4.0)
    assert from_sources([], env).shutdown_grace == 0  # no grace: cut at once


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["--header-timeout", "-1"], {}),
        (["--header-timeout", "0"], {}),  # every connection would close at once
        (["--keep-alive-timeout", "0"], {}),
        (["--shutdown-grace", "-0.5"], {}),
        ([], {"SANDBOX_HEADER_TIMEOUT": "soon"}),
        ([], {"SANDBOX_KEEP_ALIVE_TIMEOUT": "inf"}),
        ([], {"SANDBOX_SHUTDOWN_GRACE": "nan"}),
    ],
)
def test_bad_timeouts_exit_with_usage_error(
    argv: list[str], env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        from_sources(argv, env)
    assert exc.value.code == 2
    assert "seconds" in capsys.readouterr().err


def test_the_server_gets_the_timeouts() -> None:
    options = uvicorn_options(
        from_sources(
            ["--header-timeout", "3", "--keep-alive-timeout", "7", "--shutdown-grace", "2"], {}
        )
    )
    assert (options["timeout_keep_alive"], options["timeout_graceful_shutdown"]) == (7.0, 2.0)
    assert (options["http"].header_timeout, options["http"].shutdown_grace) == (3.0, 2.0)


# --- both protocols, in this process -------------------------------------------------------

HEADER_TIMEOUT = 1.5


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """`/sleep?1.8` answers late, `/early` without reading the body, anything else at once."""
    if scope["path"] == "/sleep":
        await asyncio.sleep(float(scope["query_string"]))
    if scope["path"] != "/early":
        while (await receive()).get("more_body"):
            pass
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]}
    )
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.fixture(params=["httptools", "h11"])
def served(request: pytest.FixtureRequest) -> Iterator[int]:
    """uvicorn with the sandbox's protocol (and a long keep-alive, to see the deadline alone)."""
    protocol = http_protocol(HEADER_TIMEOUT, 1.0, prefer_httptools=request.param == "httptools")
    assert issubclass(protocol, H11Deadlines) == (request.param == "h11")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        app,
        http=protocol,
        timeout_keep_alive=60,
        lifespan="off",
        log_config=None,
        log_level="warning",
        ws="none",
        loop="asyncio",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive()
        time.sleep(0.01)
    try:
        yield listener.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=DEADLINE)
        listener.close()


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)


@pytest.mark.slow
def test_a_silent_connection_is_closed_without_an_answer(served: int) -> None:
    with connect(served) as sock:
        assert closed_by_server(sock) == b""


@pytest.mark.slow
def test_headers_sent_a_byte_at_a_time_are_cut_with_a_408(served: int) -> None:
    with connect(served) as sock:
        received = closed_by_server(
            sock, b"GET / HTTP/1.1\r\nHost: sandbox\r\nX-Slow: " + b"a" * 200
        )
    assert received.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert b"\r\nconnection: close\r\n" in received


@pytest.mark.slow
def test_the_deadline_starts_again_after_each_answer(served: int) -> None:
    with connect(served) as sock:
        for _ in range(4):  # 2 s in all: more than one deadline, less than one between requests
            time.sleep(0.5)
            sock.sendall(get())
            assert read_response(sock).startswith(b"HTTP/1.1 200 ")
        assert closed_by_server(sock) == b""  # idle once answered, and the keep-alive is 60 s


@pytest.mark.slow
def test_requests_slower_than_the_deadline_and_pipelined_ones_are_not_cut(served: int) -> None:
    with connect(served) as sock:
        sock.sendall(get("/sleep?1.8") + get("/sleep?1.8") + get())
        for _ in range(3):
            assert read_response(sock).startswith(b"HTTP/1.1 200 ")


@pytest.mark.slow
def test_a_body_still_coming_after_an_early_answer_holds_the_deadline_off(served: int) -> None:
    with connect(served) as sock:
        sock.sendall(b"POST /early HTTP/1.1\r\nHost: sandbox\r\nContent-Length: 5\r\n\r\n")
        assert read_response(sock).startswith(b"HTTP/1.1 200 ")
        time.sleep(HEADER_TIMEOUT + 0.5)  # the exchange is not over until the body is in
        sock.sendall(b"hello" + get())
        assert read_response(sock).startswith(b"HTTP/1.1 200 ")
        sock.sendall(b"POST /early HTTP/1.1\r\nHost: sandbox\r\nContent-Length: 5\r\n\r\n")
        assert read_response(sock).startswith(b"HTTP/1.1 200 ")
        sock.sendall(b"hello")  # and once it is, the next request's headers have a deadline
        assert closed_by_server(sock) == b""


# --- the console script ----------------------------------------------------------------


@pytest.fixture(scope="module")
def strict_server() -> Iterator[LiveServer]:
    server = LiveServer("--header-timeout", str(HEADER_TIMEOUT), "--keep-alive-timeout", "60")
    try:
        server.wait_healthy()
        yield server
    finally:
        server.stop()


@pytest.mark.live
def test_the_server_closes_a_silent_connection(strict_server: LiveServer) -> None:
    with connect(strict_server.port) as sock:
        assert closed_by_server(sock) == b""


@pytest.mark.live
def test_the_server_cuts_slow_headers_although_bytes_keep_coming(
    strict_server: LiveServer,
) -> None:
    with connect(strict_server.port) as sock:
        received = closed_by_server(sock, b"GET /_sandbox/health HTTP/1.1\r\nX-Slow: " + b"a" * 200)
    assert received.startswith(b"HTTP/1.1 408 Request Timeout\r\n")


@pytest.mark.live
def test_a_keep_alive_client_makes_several_requests_on_one_connection(
    strict_server: LiveServer,
) -> None:
    client = http.client.HTTPConnection("127.0.0.1", strict_server.port, timeout=DEADLINE)
    try:
        sockets = set()
        for _ in range(4):  # 2 s in all, more than one header deadline
            time.sleep(0.5)
            client.request("GET", "/_sandbox/health")
            response = client.getresponse()
            assert response.status == 200
            response.read()
            sockets.add(id(client.sock))
        assert len(sockets) == 1  # never reconnected
    finally:
        client.close()


@pytest.mark.live
def test_sigterm_cuts_a_request_parked_by_a_latency_fault_after_the_grace() -> None:
    server = LiveServer("--shutdown-grace", "1")
    outcome: list[object] = []

    def parked() -> None:
        client = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        headers = {"Authorization": "Bearer demo-api-key", "X-Sandbox-Fault": "latency_ms=60000"}
        try:
            client.request("GET", "/api/boomerang/products", headers=headers)
            outcome.append(client.getresponse().status)
        except (http.client.RemoteDisconnected, ConnectionResetError) as exc:
            outcome.append(exc)
        finally:
            client.close()

    try:
        server.wait_healthy()
        thread = threading.Thread(target=parked)
        thread.start()
        fired = 'sandbox_faults_fired_total{vendor="booqable",kind="latency"} 1'
        end = time.monotonic() + DEADLINE
        while fired not in metrics(server):
            assert time.monotonic() < end, "the request never reached its latency fault"
            time.sleep(0.05)
        server.process.terminate()
        assert server.process.wait(timeout=DEADLINE) == 0  # not the fault's 60 s
        thread.join(DEADLINE)
    finally:
        server.stop()
    # The client sees the connection close, as with any stopped server: no made-up answer.
    assert len(outcome) == 1
    assert isinstance(outcome[0], http.client.RemoteDisconnected | ConnectionResetError)
    assert "Cancel 1 running task(s)" in server.stderr
    assert "Traceback" not in server.stderr


def metrics(server: LiveServer) -> str:
    client = http.client.HTTPConnection("127.0.0.1", server.port, timeout=DEADLINE)
    try:
        client.request("GET", "/_sandbox/metrics")
        return client.getresponse().read().decode()
    finally:
        client.close()


def test_the_cancellation_filter_is_added_once() -> None:
    import logging

    from booking_sandbox.serving import quiet_shutdown_cancellations

    logger = logging.getLogger("uvicorn.error")
    before = list(logger.filters)
    try:
        quiet_shutdown_cancellations()
        quiet_shutdown_cancellations()
        assert len(logger.filters) - len(before) <= 1
        assert len(logger.filters) >= 1
    finally:
        logger.filters[:] = before
