"""The request context and the endpoint shape every vendor shares.

A vendor endpoint is three steps: open the call (find the namespace, authenticate, read what
the handler needs), run the handler, and answer the errors it knows in its own envelope. Each
vendor's `http.py` supplies the first and the third; whatever error a vendor does not answer
reaches the app's server-error handler, which answers the vendor's 500.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.core.jsonbody import buffer_body
from booking_sandbox.core.namespace import Namespace
from booking_sandbox.core.runtime import Sandbox


@dataclass
class Call:
    """One vendor request: the namespace it runs in and the namespace's time when it began.

    Vendors extend it with what their handlers share (an organization, a partner, a store).
    """

    request: Request
    sandbox: Sandbox
    space: Namespace
    now: datetime


C = TypeVar("C", bound=Call)
_NO_BODY = frozenset({"GET", "HEAD"})  # reads: their bodies are never used
Endpoint = Callable[[Request], Awaitable[Response]]


def endpoint(
    open_call: Callable[[Request], Awaitable[C]],
    handler: Callable[[C], Awaitable[Response]],
    answer: Callable[[Request, Exception], Response | None],
) -> Endpoint:
    """The route endpoint: `answer` turns an error into the vendor's response, or None for
    one that is not the vendor's to answer (a bug), which is raised on."""

    async def run(request: Request) -> Response:
        try:
            if request.method not in _NO_BODY:
                await buffer_body(request)  # the whole request, then its namespace
            return await handler(await open_call(request))
        except Exception as exc:
            response = answer(request, exc)
            if response is None:
                raise
            return response

    return run
