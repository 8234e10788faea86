"""`SandboxClient` against the plugin's sandbox (in-process, or `SANDBOX_URL` when set)."""

from __future__ import annotations

import http.client
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking_sandbox.testing import SandboxClient, SandboxError, free_port
from booking_sandbox.testing.inprocess import InProcessServer
from tests.testing.fakes import html_server, not_http_server

T0 = datetime(2025, 1, 29, 8, 0, tzinfo=UTC)


def frozen(sandbox: SandboxClient, at: datetime = T0) -> SandboxClient:
    assert sandbox.clock.freeze(at) == {"now": "2025-01-29T08:00:00Z", "frozen": True}
    return sandbox


def test_fixture_gives_a_client_on_a_namespace_of_the_test_own(
    booking_sandbox: SandboxClient, booking_sandbox_url: str
) -> None:
    assert re.fullmatch(r"pytest-[0-9a-f]{8}-[0-9a-f]{8}", booking_sandbox.namespace)
    assert booking_sandbox.url == booking_sandbox_url
    assert booking_sandbox.headers == {"X-Sandbox-Namespace": booking_sandbox.namespace}
    assert booking_sandbox.health()["status"] == "ok"
    booking_sandbox.clock.get()  # the first call creates the namespace
    assert booking_sandbox.namespace in booking_sandbox.namespaces()


def test_urls_and_namespaces() -> None:
    client = SandboxClient("http://sandbox:8000/_sandbox/", namespace="job-7", timeout=3)
    assert client.url == "http://sandbox:8000"
    assert (
        client.vendor_url("/v1/booking/reservations")
        == "http://sandbox:8000/v1/booking/reservations"
    )
    assert client.vendor_url("api/v1/bookings") == "http://sandbox:8000/api/v1/bookings"
    assert repr(client) == "SandboxClient('http://sandbox:8000', namespace='job-7')"
    other = client.with_namespace("job-8")
    assert (other.url, other.namespace, other.timeout) == ("http://sandbox:8000", "job-8", 3)
    headers = client.headers
    headers["Authorization"] = "Bearer x"  # a fresh dict each time: callers may add to it
    assert client.headers == {"X-Sandbox-Namespace": "job-7"}
    assert SandboxClient("http://h:1").namespace == "default"


def test_clock_set_freeze_and_advance_in_every_form(booking_sandbox: SandboxClient) -> None:
    clock = frozen(booking_sandbox).clock
    assert clock.now() == T0
    assert clock.now().tzinfo is not None
    assert clock.advance(90) == {"now": "2025-01-29T08:01:30Z", "frozen": True}
    assert clock.advance(timedelta(minutes=16))["now"] == "2025-01-29T08:17:30Z"
    assert clock.advance("PT1H")["now"] == "2025-01-29T09:17:30Z"
    assert clock.advance(seconds=0.5)["now"] == "2025-01-29T09:17:30.500000Z"
    assert clock.advance(duration="P1DT2H")["now"] == "2025-01-30T11:17:30.500000Z"
    assert clock.advance(duration=timedelta(seconds=29.5))["now"] == "2025-01-30T11:18:00Z"
    assert clock.now() == datetime(2025, 1, 30, 11, 18, tzinfo=UTC)


def test_clock_set_takes_aware_naive_and_text_instants(booking_sandbox: SandboxClient) -> None:
    clock = booking_sandbox.clock
    paris = datetime(2026, 3, 20, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert clock.set(paris, frozen=True) == {"now": "2026-03-20T11:00:00Z", "frozen": True}
    assert clock.set(datetime(2026, 3, 20, 10, 0))["now"] == "2026-03-20T10:00:00Z"  # naive: UTC
    assert clock.set("2025-01-29T07:55:53Z") == {"now": "2025-01-29T07:55:53Z", "frozen": True}
    running = clock.unfreeze()
    assert running["frozen"] is False
    since = datetime.fromisoformat(running["now"]) - datetime(2025, 1, 29, 7, 55, 53, tzinfo=UTC)
    assert timedelta(0) <= since < timedelta(minutes=1)  # on from where it stood
    assert clock.get()["frozen"] is False
    assert clock.freeze()["frozen"] is True  # where it stands
    assert clock.set(frozen=False)["frozen"] is False


def test_clock_misuse_is_a_type_error_before_any_request(booking_sandbox: SandboxClient) -> None:
    clock = booking_sandbox.clock
    with pytest.raises(TypeError, match="exactly one"):
        clock.advance()
    with pytest.raises(TypeError, match="exactly one"):
        clock.advance(5, seconds=5)
    with pytest.raises(TypeError, match="cannot advance"):
        clock.advance(True)
    with pytest.raises(TypeError, match="cannot advance"):
        clock.advance([1])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="needs now, frozen"):
        clock.set()
    assert booking_sandbox.namespace not in booking_sandbox.namespaces()  # nothing was sent


def test_control_errors_raise_sandbox_error_with_code_and_details(
    booking_sandbox: SandboxClient,
) -> None:
    with pytest.raises(SandboxError) as caught:
        booking_sandbox.clock.advance(-1)
    error = caught.value
    assert (error.status, error.code) == (422, "invalid_body")
    assert [d["path"] for d in error.details] == ["$.seconds"]
    assert str(error).startswith("422 invalid_body: ")
    assert "\n  $.seconds: " in str(error)

    with pytest.raises(SandboxError) as caught:
        booking_sandbox.clock.advance("P1Y")  # years have no fixed length
    assert (caught.value.status, caught.value.code) == (422, "invalid_body")
    with pytest.raises(SandboxError) as caught:
        booking_sandbox.clock.set("not a date")
    assert caught.value.code == "invalid_body"
    with pytest.raises(SandboxError) as caught:
        booking_sandbox.with_namespace("no spaces").clock.get()
    assert (caught.value.status, caught.value.code, caught.value.details) == (
        400,
        "invalid_namespace",
        [],
    )
    with pytest.raises(SandboxError) as caught:
        booking_sandbox.call("GET", "/no-such-endpoint")
    assert (caught.value.status, caught.value.code) == (404, "not_found")
    with pytest.raises(SandboxError) as caught:
        booking_sandbox.call("DELETE", "/clock")
    assert (caught.value.status, caught.value.code) == (405, "method_not_allowed")


def test_an_answer_that_is_not_the_control_plane_is_an_http_error() -> None:
    with html_server(502) as url, pytest.raises(SandboxError) as caught:
        SandboxClient(url).health()
    assert (caught.value.status, caught.value.code) == (502, "http_error")
    assert caught.value.message == "<html><body>502 not a sandbox</body></html>"


def test_a_2xx_that_is_not_json_is_an_http_error_too() -> None:
    # A catch-all web server at the sandbox's address: not a JSONDecodeError.
    with html_server(200) as url:
        with pytest.raises(SandboxError) as caught:
            SandboxClient(url).health()
        assert (caught.value.status, caught.value.code) == (200, "http_error")
        assert caught.value.message == "<html><body>200 not a sandbox</body></html>"
        assert "200 not a sandbox" in SandboxClient(url).metrics()  # text is what it asks for


def test_a_peer_that_does_not_speak_http_is_an_os_error() -> None:
    # A wrong port (an SSH server): not http.client.BadStatusLine.
    with not_http_server() as url, pytest.raises(OSError, match="not an HTTP answer") as caught:
        SandboxClient(url, timeout=2).health()
    assert isinstance(caught.value.__cause__, http.client.HTTPException)


def test_no_server_is_an_os_error() -> None:
    with pytest.raises(OSError, match="Connection refused"):
        SandboxClient(f"http://127.0.0.1:{free_port()}", timeout=2).health()


def test_state_round_trip(booking_sandbox: SandboxClient) -> None:
    frozen(booking_sandbox)
    snapshot = booking_sandbox.state()
    booking_sandbox.clock.advance("P2D")
    assert booking_sandbox.state() != snapshot
    assert booking_sandbox.load_state(snapshot) == snapshot
    assert booking_sandbox.state() == snapshot
    assert booking_sandbox.clock.now() == T0

    with pytest.raises(SandboxError) as caught:
        booking_sandbox.load_state({"catalogs": {}})
    assert (caught.value.status, caught.value.code) == (422, "invalid_body")
    assert caught.value.details
    assert booking_sandbox.state() == snapshot  # a rejected import changes nothing


def test_reset_drops_the_namespace_and_only_it(booking_sandbox: SandboxClient) -> None:
    frozen(booking_sandbox).clock.advance("P1D")
    neighbour = booking_sandbox.with_namespace(f"{booking_sandbox.namespace}-n")
    try:
        frozen(neighbour).clock.advance("P1D")
        booking_sandbox.reset()
        assert booking_sandbox.namespace not in booking_sandbox.namespaces()
        assert booking_sandbox.clock.get()["frozen"] is False  # back to the start settings
        assert neighbour.clock.now() == T0 + timedelta(days=1)
    finally:
        neighbour.reset()


@pytest.fixture(scope="module")
def private_server() -> Iterator[InProcessServer]:
    """A sandbox of this module's own, for what would disturb a shared one (`reset_all`)."""
    server = InProcessServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_reset_all_drops_every_namespace(private_server: InProcessServer) -> None:
    a, b = SandboxClient(private_server.url, "a"), SandboxClient(private_server.url, "b")
    a.clock.get()
    b.clock.get()
    assert {"a", "b"} <= set(a.namespaces())
    assert set(b.reset_all()) >= {"a", "b", "default"}
    assert a.namespaces() == []


def test_in_process_server_stops() -> None:
    server = InProcessServer()
    server.start()
    client = SandboxClient(server.url, timeout=2)
    assert client.health()["status"] == "ok"
    server.stop()
    with pytest.raises(OSError, match="Connection refused"):
        client.health()


def test_in_process_server_rejects_a_bad_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_SEED", "not-a-number")
    with pytest.raises(RuntimeError, match="invalid SANDBOX_"):
        InProcessServer()


def test_a_client_with_the_token_drives_a_locked_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_CONTROL_TOKEN", "t0k")
    server = InProcessServer()  # reads SANDBOX_* as the console script does
    server.start()
    try:
        locked = SandboxClient(server.url, "job-1", token="t0k")
        assert locked.with_namespace("job-2").token == "t0k"
        locked.clock.advance("PT1M")
        assert locked.health()["status"] == "ok"
        with pytest.raises(SandboxError) as refused:
            SandboxClient(server.url, "job-1").clock.get()
        assert refused.value.status == 401
        assert SandboxClient(server.url).health()["status"] == "ok"  # health stays open
    finally:
        server.stop()
