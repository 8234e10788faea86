"""Vendor requests made from inside the server, for scenarios.

A scenario is a sequence of real vendor requests, so what it leaves behind are the vendor's own
records. They go straight to the app's router: past the middleware, so they are neither faulted
nor journaled, and without a socket, so they work the same in-process and on a live server.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message

from booking_sandbox.control.changes import READS, changed
from booking_sandbox.control.http import error_response
from booking_sandbox.core.headers import NAMESPACE_HEADER
from booking_sandbox.core.scenario import ScenarioError
from booking_sandbox.vendors import owner, vendors_of

log = logging.getLogger("sandbox")

# A vendor's answer is quoted in a scenario_failed error up to this many characters.
QUOTED = 2000


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        return json.loads(self.body) if self.body.strip() else None

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")[:QUOTED]


@dataclass
class Caller:
    """Requests to this server's vendor routes, in the namespace `namespace`."""

    request: Request  # the control request: the app, and the host the client reached
    namespace: str
    sent: list[str] = field(default_factory=list)  # "POST /path -> 201", for error messages

    async def call(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        media_type: str = "application/json",
    ) -> Answer:
        body = b""
        wanted = {NAMESPACE_HEADER: self.namespace}
        if form is not None:
            body = urlencode(form).encode()
            wanted["content-type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            wanted["content-type"] = media_type
        wanted.update({k.lower(): v for k, v in (headers or {}).items()})
        answer = await self._send(method, path, body, wanted)
        self.sent.append(f"{method} {path} -> {answer.status}")
        return answer

    async def ok(self, step: str, method: str, path: str, **kwargs: Any) -> Any:
        """The JSON of a 2xx answer; any other answer fails the scenario (409 scenario_failed)."""
        answer = await self.call(method, path, **kwargs)
        if not answer.ok:
            raise failed(step, f"{method} {path}", answer, self.sent[:-1])
        return answer.json()

    async def _send(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> Answer:
        outer = self.request.scope
        raw_path, _, query = path.partition("?")
        pairs = [(b"host", self.request.headers.get("host", "localhost").encode())]
        pairs += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
        pairs.append((b"content-length", str(len(body)).encode()))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": method,
            "scheme": outer.get("scheme", "http"),
            "server": outer.get("server"),
            "client": ("127.0.0.1", 0),
            "root_path": "",
            "path": raw_path,
            "raw_path": raw_path.encode(),
            "query_string": query.encode(),
            "headers": pairs,
            "app": self.request.app,
            "state": {},
        }
        done = asyncio.Event()
        pending = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> Message:
            if pending:
                return pending.pop()
            await done.wait()  # like a client that stays connected until the answer is sent
            return {"type": "http.disconnect"}

        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    done.set()

        try:
            await self.request.app.router(scope, receive, send)
        except HTTPException as exc:  # no route: the router raises, the app would render it
            return Answer(exc.status_code, {}, str(exc.detail).encode())
        except Exception:  # a bug in a vendor handler: the vendor's own 500, as the app answers
            log.exception("unhandled error on %s %s (in a scenario)", method, raw_path)
            return _answer(vendor_server_error(Request(scope)))
        finally:
            done.set()
            if method not in READS:  # past the QA plane, which bumps vendor writes elsewhere
                changed(self.request, self.namespace)
        if "status" not in start:  # a handler that returned without answering
            log.error("no response to %s %s (in a scenario)", method, raw_path)
            return _answer(vendor_server_error(Request(scope)))
        found = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in start["headers"]}
        return Answer(int(start["status"]), found, b"".join(chunks))


def vendor_server_error(request: Request) -> Response:
    """The 500 of the vendor that owns the path, as the app's error handler answers it."""
    vendor = owner(vendors_of(request), request.url.path)
    if vendor is not None:
        return vendor.server_error(request)
    return error_response(500, "internal_error", "the sandbox failed on this request")


def _answer(response: Response) -> Answer:
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in response.raw_headers}
    return Answer(response.status_code, headers, bytes(response.body))


def failed(step: str, request: str, answer: Answer, before: list[str]) -> ScenarioError:
    """A vendor step that did not go through: 409, with the vendor's status and body, and the
    requests made before it (a scenario is not a transaction: they stay made)."""
    message = f"the scenario stopped at step {step!r}: {request} answered {answer.status}"
    if before:
        message += f" (made before it: {', '.join(before)})"
    details = [{"path": request, "message": answer.text()}]
    return ScenarioError(409, "scenario_failed", message, details)
