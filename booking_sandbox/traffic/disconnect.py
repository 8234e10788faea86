"""Breaking a connection on purpose: a TCP reset, a close before any byte, a truncated body.

ASGI has no words for this, so the fault reaches for the server's transport: uvicorn's
`receive` is a bound method of its request cycle, which holds the asyncio transport.
In-process transports have no socket; there the fault raises `Disconnected`, which an ASGI
test client surfaces as an exception, the nearest thing to a dropped connection.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import Any, cast

from starlette.types import Receive, Send


class Disconnected(ConnectionError):
    """Raised in-process, where there is no connection to break."""


def transport_of(receive: Receive) -> asyncio.Transport | None:
    owner = getattr(receive, "__self__", None)
    transport = getattr(owner, "transport", None)
    # uvloop's transports do not subclass asyncio.Transport: look for what is used here.
    if all(hasattr(transport, name) for name in ("abort", "close", "get_extra_info")):
        return cast(asyncio.Transport, transport)
    return None


async def _lost(receive: Receive) -> None:
    """Wait until the server saw the connection go: it then logs no "returned without
    completing response" error for an answer that was never meant to complete."""
    owner = getattr(receive, "__self__", None)
    for _ in range(200):
        if getattr(owner, "disconnected", True):
            return
        await asyncio.sleep(0.005)


async def reset(receive: Receive) -> None:
    transport = transport_of(receive)
    if transport is None:
        raise Disconnected("reset")
    sock: Any = transport.get_extra_info("socket")
    if sock is not None:
        # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    await _lost(receive)


async def empty(receive: Receive) -> None:
    transport = transport_of(receive)
    if transport is None:
        raise Disconnected("empty")
    transport.close()
    await _lost(receive)


async def truncated(
    receive: Receive, send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes
) -> None:
    """The real status line and headers (Content-Length of the whole body), half the body.

    An answer without a body to cut (HEAD, 204) is cut in its status line instead.
    """
    transport = transport_of(receive)
    if len(body) < 2 and transport is not None:
        transport.write(f"HTTP/1.1 {status}".encode("ascii")[:-1])  # cut in the status code
        transport.close()
        await _lost(receive)
        return
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
    if transport is None:
        raise Disconnected("malformed")
    transport.close()
    await _lost(receive)
