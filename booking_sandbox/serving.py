"""uvicorn's HTTP protocols with deadlines: no connection holds a descriptor, or a shutdown, for
as long as it likes.

uvicorn's own keep-alive timer runs only between requests, is cancelled by the first byte
received and is never armed on a fresh connection: a client that connects and sends nothing,
or a header byte every few seconds, kept its connection forever. Here a request's headers must
be complete within `header_timeout` seconds of the connection opening, or of the end of the
previous exchange on a kept-alive one (the later of the response and the request body). Past
it the connection is closed, with a 408 if part of a request had come. One loop timer per
request, armed and cancelled at the protocol's own callbacks; nothing runs per byte.

On shutdown uvicorn cancels what still runs after its grace period, answers each a text 500
and logs a traceback for each. A request still running then (parked by a latency fault) has
its connection closed instead, as a stopped server's would be, and the traceback is dropped.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

TIMEOUT_BODY = b"Request headers not received in time."


def timeout_response(default_headers: list[tuple[bytes, bytes]]) -> bytes:
    """A 408 with uvicorn's default headers (date, server), as its own 400 carries them."""
    lines = [b"HTTP/1.1 408 Request Timeout"]
    lines += [name + b": " + value for name, value in default_headers]
    lines += [
        b"content-type: text/plain; charset=utf-8",
        b"content-length: " + str(len(TIMEOUT_BODY)).encode("ascii"),
        b"connection: close",
    ]
    return b"\r\n".join(lines) + b"\r\n\r\n" + TIMEOUT_BODY


class _Deadlines:
    """The timers both protocols share; the protocol supplies the attributes declared here."""

    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop
    server_state: ServerState
    header_timeout = 10.0
    shutdown_grace = 10.0
    _header_timer: asyncio.TimerHandle | None = None

    def _arm_header_deadline(self) -> None:
        if self._header_timer is None and not self.transport.is_closing():
            self._header_timer = self.loop.call_later(self.header_timeout, self._header_expired)

    def _cancel_header_deadline(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_expired(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        if self._partial_request():
            self.transport.write(timeout_response(self.server_state.default_headers))
        self.transport.close()

    def _partial_request(self) -> bool:
        raise NotImplementedError

    def _cut_after_grace(self) -> None:
        # A moment before uvicorn's own cancellation (which waits 0.1 s more): the connection
        # goes first, so the cancelled request finds its client gone and answers nothing.
        self.loop.call_later(self.shutdown_grace, self._cut)

    def _cut(self) -> None:
        if not self.transport.is_closing():
            self.transport.close()


class H11Deadlines(H11Protocol, _Deadlines):
    """h11, the pure-Python fallback: h11's state says when a request's headers are in."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._follow_header_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._follow_header_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow_header_deadline()

    def shutdown(self) -> None:
        super().shutdown()
        self._cut_after_grace()

    def _follow_header_deadline(self) -> None:
        # Their side is IDLE exactly while no request's headers have been read: a fresh
        # connection, a kept-alive one, or one whose body ended after an early answer.
        if self.conn.their_state is not h11.IDLE:
            self._cancel_header_deadline()
        else:
            self._arm_header_deadline()

    def _partial_request(self) -> bool:
        return bool(self.conn.trailing_data[0])  # bytes h11 holds but could not parse yet


def _httptools_protocol() -> type[asyncio.Protocol] | None:
    """The httptools variant, or None without httptools (uvicorn's "auto" then picks h11)."""
    if importlib.util.find_spec("httptools") is None:
        return None
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class HttpToolsDeadlines(HttpToolsProtocol, _Deadlines):
        """httptools: its parser's callbacks mark where a request begins and its headers end."""

        _request_begun = False  # part of a request has come since the last headers completed

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm_header_deadline()

        def connection_lost(self, exc: Exception | None) -> None:
            self._cancel_header_deadline()
            super().connection_lost(exc)

        def on_message_begin(self) -> None:
            self._request_begun = True
            super().on_message_begin()

        def on_headers_complete(self) -> None:
            self._cancel_header_deadline()
            self._request_begun = False
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            super().on_message_complete()
            # Answered before its body was all in (uvicorn then leaves `more_body` set): the
            # exchange ends with the body.
            if self.cycle.response_complete:
                self._arm_header_deadline()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            # `cycle` is the newest request read: a pipelined one now running, or this one.
            if self.cycle.response_complete and not self.cycle.more_body:
                self._arm_header_deadline()

        def shutdown(self) -> None:
            super().shutdown()
            self._cut_after_grace()

        def _partial_request(self) -> bool:
            return self._request_begun

    return HttpToolsDeadlines


def http_protocol(
    header_timeout: float, shutdown_grace: float, *, prefer_httptools: bool = True
) -> type[asyncio.Protocol]:
    """The protocol class to hand uvicorn as `http=`, with these deadlines in seconds."""
    base = (_httptools_protocol() if prefer_httptools else None) or H11Deadlines
    limits = {"header_timeout": header_timeout, "shutdown_grace": shutdown_grace}
    return type(base.__name__, (base,), limits)


class _NoCancelledTracebacks(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # uvicorn cancels only what outlives the shutdown grace, and says so in one line.
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, asyncio.CancelledError)


def quiet_shutdown_cancellations() -> None:
    """Drop uvicorn's per-request traceback for requests cut at the end of the grace."""
    logger = logging.getLogger("uvicorn.error")
    # Once per process, however often main() runs (tests run it several times).
    if not any(isinstance(f, _NoCancelledTracebacks) for f in logger.filters):
        logger.addFilter(_NoCancelledTracebacks())
