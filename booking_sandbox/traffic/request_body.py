"""How a vendor request's body is read ahead, replayed and drained, for `Exchange`
(traffic/middleware.py), which is built on `RequestBodyReader`.

The first bytes are read before the handler runs, so the journal keeps what the client sent and
the token endpoints' namespace can be known; a receive then replays them to the app, and the
rest streams. A disconnect fault drains what the client is still sending before it closes.
"""

from __future__ import annotations

import asyncio

from starlette.types import Message, Receive, Scope

FAULT_HEADER = b"x-sandbox-fault"
PEEK_LIMIT = 64 * 1024  # read ahead for the namespace and the journal; the rest streams
DRAIN_LIMIT = 16 * 1024 * 1024  # what a disconnect fault reads of a large upload first
DRAIN_SECONDS = 5.0


class RequestBodyReader:
    """The request-body half of an `Exchange`, which sets every attribute in its __init__."""

    # The state this half writes; `Exchange`'s own slots hold the rest (`scope`, `receive`).
    __slots__ = ("body_done", "fault_header", "request_size")

    scope: Scope
    receive: Receive
    body_done: bool
    request_size: int
    fault_header: str | None

    async def _read_ahead(self) -> tuple[bytes, Receive, bool]:
        """The body's first bytes, a receive that replays them, and whether they are all of it
        (one message: the usual request)."""
        self._scan_headers()
        message = await self.receive()
        if message["type"] == "http.request" and not message.get("more_body", False):
            # The usual request: one message, the whole body. Replayed as it came.
            self.body_done = True
            body: bytes = message.get("body", b"")
            queue = [message]
            whole = True
        else:
            body, queue = await self._read_more(message)
            whole = False
        self.request_size = self.request_size or len(body)

        async def replay() -> Message:
            if queue:
                return queue.pop()
            message = await self.receive()
            self.body_done = message["type"] != "http.request" or not message.get("more_body")
            return message

        return body, replay, whole

    async def _read_more(self, message: Message) -> tuple[bytes, list[Message]]:
        """Up to PEEK_LIMIT of a body sent in parts; the rest streams to the app."""
        chunks: list[bytes] = []
        size, pending = 0, None
        while True:
            if message["type"] != "http.request":
                pending = message  # the client went away: the app hears it after the body
                self.body_done = True
                break
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            self.body_done = not message.get("more_body", False)
            if self.body_done or size >= PEEK_LIMIT:
                break
            message = await self.receive()
        body = b"".join(chunks)
        more = not self.body_done
        queue: list[Message] = [{"type": "http.request", "body": body, "more_body": more}]
        if pending is not None:
            queue.insert(0, pending)  # (popped from the end: after the body)
        return body, queue

    def _scan_headers(self) -> None:
        """Content-Length and X-Sandbox-Fault, in one pass over the raw (lower-case) headers."""
        length, seen = None, False
        for name, value in self.scope.get("headers", ()):
            if name == b"content-length" and not seen:
                seen = True  # (ASCII digits, few enough for int())
                length = int(value) if value.isdigit() and len(value) < 19 else None
            elif name == FAULT_HEADER and self.fault_header is None:
                self.fault_header = value.decode("latin-1")
        self.request_size = length or 0  # 0: the body's own length, once read

    async def _drain(self) -> None:
        """Read what the client is still sending: closing on unread bytes would send a reset
        where an empty or truncated answer was asked for."""
        read = 0
        while not self.body_done and read < DRAIN_LIMIT:
            try:
                message = await asyncio.wait_for(self.receive(), DRAIN_SECONDS)
            except TimeoutError:
                return
            read += len(message.get("body", b""))
            self.body_done = message["type"] != "http.request" or not message.get("more_body")
