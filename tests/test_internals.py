"""The private parts of Starlette and uvicorn the sandbox relies on, each checked by name.

pyproject bounds both below their next minor release because of these. When a check here
fails after an upgrade, its message names the internal and the module of ours that uses it:
adapt that module (or keep the bound), then raise the bound.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import h11
import pytest
from starlette.requests import Request
from starlette.routing import Router
from starlette.types import Message, Receive, Scope, Send
from uvicorn.config import Config
from uvicorn.server import ServerState

from booking_sandbox.serving import H11Deadlines, http_protocol


def internal(name: str, used_by: str) -> str:
    return f"internal {name} (used by {used_by}) changed: adapt it, or keep the version bound"


def parameters(function: Callable[..., Any]) -> list[str]:
    return list(inspect.signature(function).parameters)


# --- Starlette ---------------------------------------------------------------------------


def test_starlette_utils_get_route_path() -> None:
    why = internal("starlette._utils.get_route_path(scope)", "core/routing.py, korus/redirects.py")
    try:
        from starlette._utils import get_route_path
    except ImportError as exc:  # pragma: no cover - what the test is for
        pytest.fail(f"{why}: {exc}")
    assert parameters(get_route_path) == ["scope"], why
    mounted = {"type": "http", "path": "/api/v1/x", "root_path": "/api"}
    assert get_route_path(mounted) == "/v1/x", why
    assert get_route_path({"type": "http", "path": "/v1/x", "root_path": ""}) == "/v1/x", why


def test_starlette_request_body_is_read_from_request_underscore_body() -> None:
    why = internal("starlette.requests.Request._body", "core/jsonbody.py buffer_body")

    async def nothing_to_read() -> Message:
        raise AssertionError("the stream was read again")

    async def check() -> None:
        request = Request({"type": "http", "method": "POST", "headers": []}, nothing_to_read)
        request._body = b'{"a": 1}'
        assert await request.body() == b'{"a": 1}', why
        assert await request.json() == {"a": 1}, why

    asyncio.run(check())


def test_starlette_router_runs_an_overridden_app() -> None:
    why = internal("starlette.routing.Router.app(scope, receive, send)", "core/routing.py")
    assert parameters(Router.app) == ["self", "scope", "receive", "send"], why
    for attribute in ("routes", "default", "redirect_slashes"):
        assert hasattr(Router(), attribute), internal(f"Router.{attribute}", "core/routing.py")
    reached: list[str] = []

    class Mine(Router):
        async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
            reached.append(scope["path"])

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        return None

    scope = {"type": "http", "method": "GET", "path": "/x", "headers": [], "root_path": ""}
    asyncio.run(Mine()(scope, receive, send))
    assert reached == ["/x"], why


def test_http_status_value2member_map() -> None:
    # The standard library's Enum, not a dependency: Python itself is the bound here.
    why = internal("http.HTTPStatus._value2member_map_", "vendors' qa.py status phrases")
    assert HTTPStatus._value2member_map_[418] is HTTPStatus.IM_A_TEAPOT, why


# --- uvicorn -----------------------------------------------------------------------------


class FakeTransport:
    """What uvicorn's protocols and our deadlines call on an asyncio transport."""

    def __init__(self) -> None:
        self.written = bytearray()
        self.closed = False

    def write(self, data: bytes) -> None:
        self.written += data

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 50000), "sockname": ("127.0.0.1", 8000)}.get(
            name, default
        )

    def pause_reading(self) -> None:
        return None

    def resume_reading(self) -> None:
        return None

    def set_protocol(self, protocol: object) -> None:
        return None


PROTOCOL_METHODS = {
    "h11": (
        "uvicorn.protocols.http.h11_impl.H11Protocol",
        ("connection_made", "connection_lost", "data_received", "on_response_complete", "shutdown"),
    ),
    "httptools": (
        "uvicorn.protocols.http.httptools_impl.HttpToolsProtocol",
        (
            "connection_made",
            "connection_lost",
            "on_message_begin",
            "on_headers_complete",
            "on_message_complete",
            "on_response_complete",
            "shutdown",
        ),
    ),
}


def base_protocol(kind: str) -> type[asyncio.Protocol]:
    protocol = http_protocol(10.0, 10.0, prefer_httptools=kind == "httptools")
    if kind == "httptools":
        assert not issubclass(protocol, H11Deadlines), "httptools is a runtime dependency"
    return protocol.__mro__[2]  # ours with limits < ours < uvicorn's


@pytest.mark.parametrize("kind", sorted(PROTOCOL_METHODS))
def test_uvicorn_protocol_methods_we_override(kind: str) -> None:
    name, methods = PROTOCOL_METHODS[kind]
    base = base_protocol(kind)
    assert f"{base.__module__}.{base.__qualname__}" == name, internal(name, "serving.py")
    for method in methods:
        why = internal(f"{name}.{method}", "serving.py")
        assert callable(getattr(base, method, None)), why
        expected = {"connection_made": 2, "connection_lost": 2, "data_received": 2}.get(method, 1)
        assert len(parameters(getattr(base, method))) == expected, why


@pytest.mark.parametrize("kind", sorted(PROTOCOL_METHODS))
def test_uvicorn_protocol_and_request_cycle_attributes(kind: str) -> None:
    """Drive one request through uvicorn's protocol on a fake transport, as the server would."""
    name = PROTOCOL_METHODS[kind][0]
    base = base_protocol(kind)
    seen: dict[str, Any] = {}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen["receive"] = receive
        cycle = getattr(receive, "__self__", None)
        seen["during"] = {a: getattr(cycle, a, "missing") for a in ("disconnected", "transport")}
        if scope["path"] == "/hold":  # answered never: the client goes first
            while (message := await receive())["type"] == "http.request":
                pass
            seen["after"] = message
            return
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def drive() -> None:
        config = Config(app=app, http=base, lifespan="off", log_level="warning")
        config.load()
        assert config.http_protocol_class is base, internal("Config(http=<class>)", "__main__")
        state = ServerState()
        assert isinstance(state.default_headers, list), internal(
            "uvicorn.server.ServerState.default_headers", "serving.py"
        )
        protocol: Any = base(config=config, server_state=state, app_state={})  # type: ignore[call-arg]
        transport = FakeTransport()
        protocol.connection_made(transport)
        for attribute, value in (("transport", transport), ("server_state", state)):
            assert getattr(protocol, attribute, None) is value, internal(
                f"{name}.{attribute}", "serving.py"
            )
        assert isinstance(protocol.loop, asyncio.AbstractEventLoop), internal(
            f"{name}.loop", "serving.py"
        )
        if kind == "h11":
            why = internal(f"{name}.conn (an h11.Connection)", "serving.py H11Deadlines")
            assert isinstance(protocol.conn, h11.Connection), why
            assert protocol.conn.their_state is h11.IDLE, why
            assert protocol.conn.trailing_data == (b"", False), why
        protocol.data_received(b"GET / HTTP/1.1\r\nHost: sandbox\r\n\r\n")
        for _ in range(50):
            if b"204" in transport.written:
                break
            await asyncio.sleep(0.01)
        cycle = protocol.cycle
        why = internal(f"{name}.cycle", "serving.py, traffic/disconnect.py")
        assert seen["receive"].__self__ is cycle, why + ": `receive` is no longer its bound method"
        assert seen["during"] == {"disconnected": False, "transport": transport}, why
        assert cycle.response_complete is True, internal(f"{name}.cycle.response_complete", why)
        assert cycle.more_body is False, internal(f"{name}.cycle.more_body", "serving.py")
        # A second request on the connection, still running when the client goes.
        protocol.data_received(b"GET /hold HTTP/1.1\r\nHost: sandbox\r\n\r\n")
        await asyncio.sleep(0.05)
        held = protocol.cycle
        assert held is not cycle, why
        assert held.disconnected is False, why
        protocol.connection_lost(None)
        why = internal(f"{name}.cycle.disconnected", "traffic/disconnect.py _lost")
        assert held.disconnected is True, why
        for _ in range(50):
            if "after" in seen:
                break
            await asyncio.sleep(0.01)
        assert seen.get("after") == {"type": "http.disconnect"}, why

    asyncio.run(drive())
