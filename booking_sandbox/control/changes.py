"""Cached reads stay current across the control plane: a change bumps the namespace's version.

Every control request that is not a read (a scenario, an inventory or state edit, a fault
rule...) bumps the version of its namespace once it has run, whether it succeeded or not:
a bump too many only costs a cache miss, one too few would serve a stale answer. A reset or
an import makes a new namespace object (a new serial) and a clock move counts in `Clock.moves`:
both change cached reads' keys by themselves. A scenario's own vendor requests go past the
QA plane (control/inprocess.py): each that is not a read bumps the version there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.core.headers import NAMESPACE_HEADER
from booking_sandbox.core.namespace import DEFAULT
from booking_sandbox.core.runtime import Sandbox

Endpoint = Callable[[Request], Awaitable[Response]]
READS = frozenset({"GET", "HEAD"})


def bumping(method: str, endpoint: Endpoint) -> Endpoint:
    """`endpoint`, followed by a version bump of its namespace unless `method` only reads."""
    if method in READS:
        return endpoint

    async def run(request: Request) -> Response:
        try:
            return await endpoint(request)
        finally:
            changed(request, request.headers.get(NAMESPACE_HEADER, DEFAULT))

    return run


def changed(request: Request, name: str) -> None:
    """Namespace `name`'s cached reads are stale (if it exists: a new one has none)."""
    sandbox: Sandbox | None = getattr(request.app.state, "sandbox", None)  # (None: a bare test app)
    space = sandbox.namespaces.peek(name) if sandbox is not None else None
    if space is not None:
        space.changed()
