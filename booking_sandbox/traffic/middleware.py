"""The QA plane around every vendor request: fault, journal, metrics, access log.

`Exchange` is one vendor request's pass: it reads the request body once (bounded) and replays
it, so the journal keeps what the client sent and the token endpoints' namespace can be known
before the handler runs; it resolves the namespace (and the vendor's credential check, through
`namespace_hint`) and routes the request once, then hands all three down (scope keys, the
`Routed`) to a `Dispatch`: the raw vendor dispatch (`traffic/gate.py`, the hot path), or, in
`Traffic` (the Starlette middleware, the fallback), the rest of Starlette's stack.
`Traffic` also logs control-plane requests when the access log is on (`access.control_call`).
How the body is read ahead, replayed and drained is `RequestBodyReader` (traffic/request_body.py).
"""

from __future__ import annotations

import math
import random
from asyncio import sleep  # by name, so a test can stand in for this wait alone
from collections.abc import Awaitable, Callable
from datetime import datetime
from time import perf_counter
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from booking_sandbox.core.headers import NAMESPACE_KEY
from booking_sandbox.core.jsonbody import BODY_KEY, MAX_BODY
from booking_sandbox.core.namespace import NamespaceError, check_name
from booking_sandbox.core.routing import ROUTED_KEY, IndexedRouter, Routed
from booking_sandbox.core.runtime import Sandbox
from booking_sandbox.traffic import access, disconnect
from booking_sandbox.traffic.actions import Action, FaultError, action_from_header
from booking_sandbox.traffic.journal import BODY_LIMIT, Body, Entry
from booking_sandbox.traffic.plane import QaPlane
from booking_sandbox.traffic.request_body import RequestBodyReader
from booking_sandbox.vendors import Vendor, owner

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})  # methods that never change a namespace
NOT_ROUTED = Routed(None, full=False)


class Traffic:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        vendors = scope["app"].state.vendors if scope["type"] == "http" else ()
        vendor = owner(vendors, scope["path"]) if vendors else None
        if vendor is None:  # the control plane and unknown paths pass untouched, or logged
            if vendors and access.enabled(scope["app"].state.sandbox):
                await access.control_call(self.app, scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        app = self.app

        async def rest_of_starlette(exchange: Exchange, send: Send) -> None:
            exchange.scope[ROUTED_KEY] = exchange.routed  # the router need not route again
            await app(exchange.scope, exchange.request.receive, send)

        await Exchange(scope, receive, send, vendor).run(rest_of_starlette)


# What answers an exchange once the QA plane let it through: it reads `exchange.request`
# (its receive replays the body), `exchange.routed` and `exchange.vendor`, and sends there.
Dispatch = Callable[["Exchange", Send], Awaitable[None]]


class Exchange(RequestBodyReader):
    """One vendor request on its way through the sandbox."""

    # Every vendor request builds one: slots make that and each attribute access cheaper.
    __slots__ = (
        *("action", "at", "body", "fault", "finished", "name"),
        *("receive", "response_body", "response_headers", "response_size"),
        *("plane", "rule", "sandbox", "scope", "send", "started", "status", "vendor"),
        *("request", "routed"),
    )

    def __init__(self, scope: Scope, receive: Receive, send: Send, vendor: Vendor) -> None:
        self.scope, self.receive, self.send, self.vendor = scope, receive, send, vendor
        self.sandbox: Sandbox = scope["app"].state.sandbox
        self.plane: QaPlane = scope["app"].state.qa
        self.started = perf_counter()
        self.status: int | None = None
        self.response_headers: list[tuple[bytes, bytes]] = []
        self.response_body: list[bytes] = []  # the first BODY_LIMIT bytes, as sent
        self.response_size = 0
        self.request_size = 0
        self.fault: dict[str, Any] | None = None
        self.fault_header: str | None = None
        self.body = b""
        self.name: str | None = None
        self.at: datetime | None = None
        self.action: Action | None = None
        self.rule: str | None = None
        self.finished = False
        self.body_done = False
        self.routed = NOT_ROUTED  # (until `run` routes it; the request too)

    async def run(self, dispatch: Dispatch) -> None:
        self.body, replay, whole = await self._read_ahead()
        # One Request for the whole pass (hint, fault answer, handler): headers parsed once.
        self.request = request = Request(self.scope, replay)
        if whole and len(self.body) <= MAX_BODY:  # the whole body came in one message: the
            # endpoint's `buffer_body` finds it read (as `request.body()` does), not re-streamed
            self.scope[BODY_KEY] = request._body = self.body
        router: IndexedRouter = self.scope["app"].router
        self.routed = router.route(self.scope)  # once: faults, metrics and dispatch share it
        self.name = self._namespace(request, self.body)
        space = None
        if self.name is not None:
            # The handler reads it from here rather than resolving the request again.
            self.scope[NAMESPACE_KEY] = self.name
            space = self.sandbox.namespaces.use(self.name)  # (LRU order for eviction)
        self.at = space.clock.now() if space is not None else None
        try:
            try:
                self.action, self.rule = self._action()
            except FaultError as exc:  # a bad X-Sandbox-Fault: the vendor's 400, nothing run
                await self._answer(self.vendor.fault_response(request, 400, str(exc)))
            else:
                await self._perform(dispatch, request, self.action)
        except disconnect.Disconnected:
            raise
        except Exception:
            if self.status is None:
                self.status = 500  # the server error handler answers, outside this middleware
            raise
        finally:
            self._finish()

    # ----- reading ------------------------------------------------------------------------

    def _namespace(self, request: Request, body: bytes) -> str | None:
        try:
            name = self.vendor.namespace_hint(self.sandbox, request, body)
            check_name(name)
        except NamespaceError:
            return None  # the vendor answers the bad header; nobody's journal gets it
        return name

    # ----- faults -------------------------------------------------------------------------

    def _action(self) -> tuple[Action | None, str | None]:
        header = self.fault_header
        if header is not None:
            return action_from_header(header), None
        book = self.plane.faults_if_any(self.name) if self.name is not None else None
        if book is None or not book.rules:
            return None, None
        rule = book.fire(self.vendor.name, self.scope["method"], self._path(), self._operation)
        return (rule.action, rule.id) if rule is not None else (None, None)

    async def _perform(self, dispatch: Dispatch, request: Request, action: Action | None) -> None:
        if action is None:
            await dispatch(self, self._capture(forward=True))
            return
        self.plane.metrics.fault(self.vendor.name, action.kind)
        if action.latency is not None:
            book = self.plane.faults_if_any(self.name) if self.name is not None else None
            rng = book.rng if book is not None else random.Random(0)
            await sleep(action.latency.draw(rng) / 1000)
        if action.status is not None:
            response = self.vendor.fault_response(request, action.status, None)
            if action.retry_after is not None:
                response.headers["Retry-After"] = str(math.ceil(action.retry_after))
            await self._answer(response)
        elif action.disconnect == "reset":
            self._finish()  # journaled before the client can notice and ask
            await disconnect.reset(self.receive)
        elif action.disconnect == "empty":
            self._finish()
            await self._drain()
            await disconnect.empty(self.receive)
        elif action.disconnect == "malformed":
            # The vendor did the work; the client gets half of its answer.
            whole = bytearray()
            await dispatch(self, self._capture(forward=False, whole=whole))
            status = self.status or 500
            self._finish()
            await self._drain()
            body = b"" if self.scope["method"] == "HEAD" else bytes(whole)
            await disconnect.truncated(self.receive, self.send, status, self.response_headers, body)
        else:
            await dispatch(self, self._capture(forward=True))

    async def _answer(self, response: Response) -> None:
        await response(self.scope, self.receive, self._capture(forward=True))

    def _capture(self, *, forward: bool, whole: bytearray | None = None) -> Send:
        head = self.scope["method"] == "HEAD"

        async def send(message: Message) -> None:
            kind = message["type"]
            if kind == "http.response.body":
                if not head:  # (Starlette writes a HEAD answer's body; the server drops it)
                    chunk = message.get("body", b"")
                    room = BODY_LIMIT - self.response_size
                    self.response_size += len(chunk)
                    if room > 0:  # kept as sent, no copy, unless cut or mutable
                        kept = chunk if len(chunk) <= room else chunk[:room]
                        self.response_body.append(kept if type(kept) is bytes else bytes(kept))
                    if whole is not None:
                        whole.extend(chunk)
                if forward and not message.get("more_body"):
                    self._finish()  # journaled before the client has the whole answer
            elif kind == "http.response.start":
                self.status = message["status"]
                self.response_headers = list(message.get("headers", []))
            if forward:
                await self.send(message)

        return send

    # ----- after ----------------------------------------------------------------------------

    def _path(self) -> str:
        return str(self.scope.get("sandbox.original_path", self.scope["path"]))

    def _operation(self) -> str | None:
        return self.routed.operation  # the one routing pass's (a 405's route names it too)

    def _finish(self) -> None:
        if self.finished:
            return
        self.finished = True
        seconds = perf_counter() - self.started
        operation = self._operation()
        self.plane.metrics.record(self.vendor.name, operation, self.status, seconds)
        if self.action is not None:
            self.fault = {"rule": self.rule, "action": self.action.to_json()}
        name = self.name
        # The namespace's time at the start, else what its clock will read once it exists.
        at = self.at
        if at is None and name is not None:
            at = self.sandbox.namespaces.now(name)
        if name is not None and at is not None and self.plane.journal_size:
            journal = self.plane.journal(name)
            scope = self.scope
            journal.append(
                Entry(
                    id=journal.next_id(),
                    at=at,
                    vendor=self.vendor.name,
                    operation=operation,
                    method=scope["method"],
                    path=self._path(),
                    query=scope.get("query_string", b"").decode("latin-1"),
                    status=self.status,
                    duration_ms=seconds * 1000,
                    fault=self.fault,
                    request_headers=list(scope.get("headers", ())),
                    request_body=Body(self.body[:BODY_LIMIT], self.request_size),
                    response_headers=self.response_headers,
                    # (One chunk, the usual answer, is kept as it came: join returns it.)
                    response_body=Body(b"".join(self.response_body), self.response_size),
                )
            )
        if access.enabled(self.sandbox):
            access.write(
                self.sandbox,
                plane="vendor",
                namespace=name,
                namespace_time=at,
                vendor=self.vendor.name,
                operation=operation,
                method=self.scope["method"],
                path=self._path(),
                status=self.status,
                seconds=seconds,
                fault=self.fault,
            )
        # ----- cached reads (issue 20, deliverable 2): keep this bump in any rewrite -----
        # Whatever a request that is not a read did (a write, one that failed or was
        # faulted), the namespace's cached reads are stale from now on.
        if self.scope["method"] not in READ_METHODS and operation not in self.vendor.reads:
            space = self.sandbox.namespaces.peek(name) if name is not None else None
            if space is not None:
                space.changed()
