"""Who may use the control plane: the opt-in token, no cross-site writes, bounded bodies."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any, cast

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from booking_sandbox.app import create_app
from booking_sandbox.control import http, state
from booking_sandbox.core.options import from_sources
from booking_sandbox.core.settings import Settings, exposure_warning
from booking_sandbox.timefmt import parse_instant

TOKEN = "s3cret-token"
START = parse_instant("2026-03-20T10:00:00Z")
JSON = {"Content-Type": "application/json"}


def _client(**settings: Any) -> Iterator[TestClient]:
    app = create_app(Settings(start_time=START, **settings))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def locked() -> Iterator[TestClient]:
    yield from _client(control_token=TOKEN)


@pytest.fixture
def open_plane() -> Iterator[TestClient]:
    yield from _client()


# ----- the token -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/_sandbox/state"),
        ("GET", "/_sandbox/requests"),
        ("GET", "/_sandbox/namespaces"),
        ("GET", "/_sandbox/metrics"),
        ("POST", "/_sandbox/reset"),
        ("PUT", "/_sandbox/clock"),
        ("POST", "/_sandbox/scenarios/korus-sold-out"),
        ("DELETE", "/_sandbox/faults"),
    ],
)
def test_a_locked_control_plane_needs_the_token(locked: TestClient, method: str, path: str) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        r = locked.request(method, path, headers=headers)
        assert r.status_code == 401, (headers, r.text)
        assert r.json()["error"]["code"] == "unauthorized"
        assert r.headers["www-authenticate"].startswith("Bearer ")


def test_the_token_opens_it_and_health_stays_open(locked: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert locked.get("/_sandbox/health").status_code == 200  # the Docker HEALTHCHECK
    assert locked.post("/_sandbox/reset", headers=auth).status_code == 200
    r = locked.put("/_sandbox/clock", json={"now": "2030-01-01T00:00:00Z"}, headers=auth)
    assert r.status_code == 200
    assert locked.get("/_sandbox/state", headers=auth).status_code == 200


def test_a_non_ascii_token_attempt_is_a_401_not_a_500(locked: TestClient) -> None:
    r = locked.get("/_sandbox/state", headers=[(b"Authorization", "Bearer caf\u00e9".encode())])
    assert r.status_code == 401


def test_vendor_traffic_never_needs_the_control_token(locked: TestClient) -> None:
    r = locked.post(
        "/api/v1/auth/token", json={"client_id": "demo-partner", "client_secret": "demo-secret"}
    )
    assert r.status_code == 200


@pytest.mark.parametrize("token", ["", " ", " t", "t ", "caf\u00e9", "a b", "x" * 257])
def test_a_token_that_would_not_lock_is_refused_at_start(token: str) -> None:
    with pytest.raises(ValueError, match="printable ASCII"):
        Settings(control_token=token)
    with pytest.raises(SystemExit):
        from_sources(["--control-token", token])


def test_an_empty_token_variable_means_no_token() -> None:
    assert from_sources([], {"SANDBOX_CONTROL_TOKEN": ""}).control_token is None


def test_the_token_comes_from_the_flag_or_the_environment() -> None:
    assert from_sources([]).control_token is None
    assert from_sources(["--control-token", "a"]).control_token == "a"
    assert from_sources([], {"SANDBOX_CONTROL_TOKEN": "b"}).control_token == "b"
    both = from_sources(["--control-token", "a"], {"SANDBOX_CONTROL_TOKEN": "b"})
    assert both.control_token == "a"


@pytest.mark.parametrize(
    ("host", "token", "warned"),
    [
        ("0.0.0.0", None, True),
        ("192.168.1.5", None, True),
        ("sandbox", None, True),
        ("0.0.0.0", "t", False),
        ("127.0.0.1", None, False),
        ("::1", None, False),
        ("localhost", None, False),
    ],
)
def test_binding_beyond_loopback_without_a_token_is_warned(
    host: str, token: str | None, warned: bool
) -> None:
    warning = exposure_warning(Settings(host=host, control_token=token))
    assert (warning is not None) is warned
    if warning:
        assert "--control-token" in warning


# ----- cross-site writes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "text/plain"},
        {"Content-Type": "application/x-www-form-urlencoded"},
        {"Content-Type": "multipart/form-data; boundary=x"},
        {},  # a body without a type: a page can send a Blob like that
    ],
)
def test_a_write_body_that_is_not_json_is_415(open_plane: TestClient, headers: Any) -> None:
    r = open_plane.post("/_sandbox/reset", content=b'{"all": true}', headers=headers)
    assert r.status_code == 415
    assert r.json()["error"]["code"] == "unsupported_media_type"
    assert open_plane.get("/_sandbox/namespaces").json()["namespaces"] == ["default"]


def test_a_write_from_another_site_is_403(open_plane: TestClient) -> None:
    open_plane.put("/_sandbox/clock", json={"now": "2030-01-01T00:00:00Z"})
    for origin in ("http://evil.example", "null", "http://testserver.evil.example"):
        r = open_plane.post("/_sandbox/reset", headers={"Origin": origin})
        assert r.status_code == 403, origin
        assert r.json()["error"]["code"] == "forbidden_origin"
    assert open_plane.get("/_sandbox/clock").json()["now"].startswith("2030-01-01")


@pytest.mark.parametrize(
    ("host", "origin"),
    [
        ("localhost:8000", "http://localhost:8000"),
        ("127.0.0.1:8000", "HTTP://127.0.0.1:8000/"),
        ("[::1]:8000", "http://[::1]:8000"),
        ("192.168.1.5:8000", "http://192.168.1.5:8000"),
        ("app.localhost:8000", "https://app.localhost:8000"),
        ("localhost:80", "http://localhost"),  # a browser leaves the default port out
        ("127.0.0.1:443", "https://127.0.0.1"),
        ("anything", "http://dashboard.local:3000"),  # configured
        ("anything", "http://App.local:4000"),  # configured as given to Settings
        ("anything", "https://secure.local"),  # configured with its default port
        ("anything", "http://plain.local"),  # likewise
    ],
)
def test_the_sandboxs_own_origin_and_configured_ones_may_write(host: str, origin: str) -> None:
    allowed = (
        *("http://dashboard.local:3000", "http://app.LOCAL:4000/"),
        *("https://secure.local:443", "http://plain.local:80"),
    )
    for client in _client(control_origins=allowed):
        r = client.post("/_sandbox/reset", json={}, headers={"Origin": origin, "Host": host})
        assert r.status_code == 200, r.text


def test_a_rebound_dns_name_is_not_the_sandboxs_own_origin(open_plane: TestClient) -> None:
    """A page whose name an attacker pointed at 127.0.0.1 is same-origin for the browser."""
    for host in ("evil.example:8000", "testserver", "sandbox:8000"):
        headers = {"Origin": f"http://{host}", "Host": host}
        r = open_plane.post("/_sandbox/reset", json={}, headers=headers)
        assert r.status_code == 403, host
    # Without a browser's Origin (curl, CI clients, a docker service name) all is as before.
    assert open_plane.post("/_sandbox/reset", headers={"Host": "sandbox:8000"}).status_code == 200


def test_reads_are_open_to_any_origin() -> None:
    for client in _client():
        # Reads stay possible: a foreign page cannot read the answer without CORS anyway.
        r = client.get("/_sandbox/clock", headers={"Origin": "http://evil.example"})
        assert r.status_code == 200


def test_origins_come_from_the_flag_or_the_environment() -> None:
    given = from_sources(["--control-origin", "http://A:1", "--control-origin", "http://b:2/"])
    assert given.control_origins == ("http://a:1", "http://b:2")
    env = from_sources([], {"SANDBOX_CONTROL_ORIGINS": "http://a:1, http://b:2"})
    assert env.control_origins == ("http://a:1", "http://b:2")
    both = from_sources(
        ["--control-origin", "http://c:3"], {"SANDBOX_CONTROL_ORIGINS": "http://a:1"}
    )
    assert both.control_origins == ("http://c:3",)  # the flag wins
    # Written as a browser sends them, as --cors-origins are: one origin, once.
    given = from_sources(["--control-origin", "HTTP://Localhost:80/,http://localhost"], {})
    assert given.control_origins == ("http://localhost",)
    assert Settings(control_origins=("https://a.test:443",)).control_origins == ("https://a.test",)


@pytest.mark.parametrize(
    "given",
    ["localhost:5173", "http://localhost:5173/app", "null", "*", "http://a:70000", "http://"],
)
def test_a_control_origin_no_browser_sends_stops_the_start(
    given: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """It would match no browser's `Origin`, and the page's writes would fail without a word."""
    with pytest.raises(ValueError, match="origin"):
        Settings(control_origins=(given,))
    with pytest.raises(SystemExit):
        from_sources(["--control-origin", given], {})
    err = capsys.readouterr().err
    assert "--control-origin / SANDBOX_CONTROL_ORIGINS" in err
    assert "scheme://host[:port]" in err or "out of range" in err
    with pytest.raises(SystemExit):
        from_sources([], {"SANDBOX_CONTROL_ORIGINS": f"http://ok.test, {given}"})
    assert "--control-origin / SANDBOX_CONTROL_ORIGINS" in capsys.readouterr().err


@pytest.mark.parametrize(
    "origin",
    [
        b"http://a:99999",
        b"localhost:8000",
        b"http://[zz]:8000",
        b"http://a b",
        b"",
        b"http://caf\xc3\xa9.test",
        b"x" * 5000,
    ],
)
def test_an_origin_header_that_is_no_origin_is_a_403_not_a_500(origin: bytes) -> None:
    for client in _client(control_origins=("http://localhost:3000",)):
        headers = [(b"Origin", origin), (b"Host", b"localhost:8000")]
        r = client.post("/_sandbox/reset", json={}, headers=headers)
        assert r.status_code == 403, r.text
        error = r.json()["error"]
        assert error["code"] == "forbidden_origin"
        assert len(error["message"]) < 300  # (a huge header is not echoed whole)


def test_curl_without_a_body_still_resets(open_plane: TestClient) -> None:
    assert open_plane.post("/_sandbox/reset").status_code == 200


# ----- body size, and large bodies off the loop ---------------------------------------------


def test_a_body_over_the_limit_is_413_before_it_is_read() -> None:
    for client in _client(control_body_limit=4096):
        big = json.dumps({"namespace": "x" * 5000}).encode()
        r = client.post("/_sandbox/reset", content=big, headers=JSON)
        assert r.status_code == 413
        assert r.json()["error"]["code"] == "body_too_large"

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            yield b'{"namespace": "'
            for _ in range(10):
                yield b"x" * 1000
            yield b'"}'

        r = client.post("/_sandbox/reset", content=chunks(), headers=JSON)
        assert r.status_code == 413
        assert client.post("/_sandbox/reset", json={}).status_code == 200  # a small one passes


def test_the_body_limit_is_configurable_and_sane() -> None:
    assert Settings().control_body_limit == 64 * 1024 * 1024
    assert from_sources(["--control-body-limit", "2048"]).control_body_limit == 2048
    with pytest.raises(SystemExit):
        from_sources(["--control-body-limit", "10"])


def test_a_large_state_is_parsed_and_built_off_the_event_loop(
    open_plane: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, int]] = []
    build = state._build_state
    parse = http.decode_json

    def watched_build(*args: Any) -> Any:
        seen.append(("build", threading.get_ident()))
        return build(*args)

    def watched_parse(raw: bytes) -> Any:
        seen.append(("parse", threading.get_ident()))
        return parse(raw)

    monkeypatch.setattr(state, "_build_state", watched_build)
    monkeypatch.setattr(http, "decode_json", watched_parse)
    document = open_plane.get("/_sandbox/state").json()
    small = open_plane.put("/_sandbox/state", json=document)
    assert small.status_code == 200
    document["vendors"]["padding"] = {}  # refused below, after parsing: an unknown vendor
    padded = json.dumps(document) + " " * (http.OFF_LOOP_BYTES + 1)
    r = open_plane.put("/_sandbox/state", content=padded.encode(), headers=JSON)
    assert r.status_code == 422
    big_fault = json.dumps({"action": {"status": 503}}) + " " * (http.OFF_LOOP_BYTES + 1)
    r = open_plane.post("/_sandbox/faults", content=big_fault.encode(), headers=JSON)
    assert r.status_code == 201
    # The TestClient runs the app on a loop thread of its own; the small body was built there.
    assert [name for name, _ in seen] == ["build", "build", "parse"]
    loop, big, fault = (thread for _, thread in seen)
    assert big != loop
    assert fault != loop


def test_a_client_leaving_mid_upload_is_one_info_line(
    open_plane: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    import asyncio

    app = cast(Starlette, open_plane.app)
    messages: list[Message] = [
        {"type": "http.request", "body": b'{"all":', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return messages.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "PUT",
        "scheme": "http",
        "path": "/_sandbox/state",
        "raw_path": b"/_sandbox/state",
        "query_string": b"",
        "root_path": "",
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"100000")],
        "app": app,
    }
    with caplog.at_level("INFO"):
        asyncio.run(_call(app, scope, receive, send))  # raises nothing
    records = [r for r in caplog.records if r.name.startswith(("sandbox", "uvicorn"))]
    assert [(r.levelname, r.getMessage()) for r in records] == [
        ("INFO", "client disconnected during PUT /_sandbox/state")
    ]
    assert all(r.exc_info is None for r in caplog.records)


def test_a_422_does_not_echo_a_huge_value(open_plane: TestClient) -> None:
    r = open_plane.put("/_sandbox/clock", json={"now": 7, "frozen": "x" * 1_000_000})
    assert r.status_code == 422
    assert len(r.content) < 2_000
    many = {"catalogs": {}, **{f"extra{i}": i for i in range(500)}}
    r = open_plane.put("/_sandbox/state", json=many)
    assert r.status_code == 422
    assert len(r.json()["error"]["details"]) <= 50


async def _call(app: Starlette, scope: Scope, receive: Receive, send: Send) -> None:
    await app(scope, receive, send)
