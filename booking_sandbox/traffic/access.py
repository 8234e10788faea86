"""The access log: one JSON line per request on the `sandbox.access` logger, when asked for.

Vendor requests are written by the traffic middleware's exchange; everything else the app
answers (the `/_sandbox` control plane, the dashboard, unknown paths) by `control_call` here,
marked `"plane": "control"`. Formatting a line costs more than some whole requests, so nothing
of this runs unless `--access-log json` is on and the logger takes info messages.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from time import perf_counter
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from booking_sandbox.core.headers import NAMESPACE_HEADER
from booking_sandbox.core.namespace import DEFAULT, NamespaceError, check_name
from booking_sandbox.core.runtime import Sandbox
from booking_sandbox.timefmt import format_instant

access_log = logging.getLogger("sandbox.access")
_NAMESPACE_HEADER = NAMESPACE_HEADER.encode("latin-1")


def enabled(sandbox: Sandbox) -> bool:
    return sandbox.settings.access_log and access_log.isEnabledFor(logging.INFO)


def wall_time(moment: datetime) -> str:
    """RFC 3339 in UTC, milliseconds and `Z`, one width for every line: 2025-01-29T07:55:53.120Z."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def write(
    sandbox: Sandbox,
    *,
    plane: str,
    namespace: str | None,
    namespace_time: datetime | None,
    vendor: str | None,
    operation: str | None,
    method: str,
    path: str,
    status: int | None,
    seconds: float,
    fault: dict[str, Any] | None,
) -> None:
    """One line. `time` is the machine's clock (what log shippers order and window by) when
    the answer was done; `namespace_time` the namespace clock's, which time travel moves, when
    the request came (the journal's `at`)."""
    line = {
        "time": wall_time(sandbox.settings.wall()),
        "plane": plane,
        "namespace": namespace,
        "namespace_time": format_instant(namespace_time) if namespace_time else None,
        "vendor": vendor,
        "operation": operation,
        "method": method,
        "path": path,
        "status": status,
        "duration_ms": round(seconds * 1000, 3),
        "fault": fault,
    }
    access_log.info(json.dumps(line, separators=(",", ":")))


def _namespace(scope: Scope) -> str | None:
    """The control plane's namespace (its header, else `default`); None when invalid."""
    name = next((v for k, v in scope.get("headers", ()) if k == _NAMESPACE_HEADER), None)
    if name is None:
        return DEFAULT
    try:
        text: str = name.decode("latin-1")
        check_name(text)
    except NamespaceError:
        return None  # the control plane answers a 400 for it
    return text


async def control_call(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Run a request no vendor owns and log it, status and time, as the control plane's."""
    sandbox: Sandbox = scope["app"].state.sandbox
    started = perf_counter()
    name = _namespace(scope)
    at = sandbox.namespaces.now(name) if name is not None else None
    status: int | None = None

    async def capture(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        await send(message)

    try:
        await app(scope, receive, capture)
    except Exception:
        status = status or 500  # the server error handler answers, outside this middleware
        raise
    finally:
        route = scope.get("route")
        operation = getattr(route, "name", None)
        write(
            sandbox,
            plane="control",
            namespace=name,
            namespace_time=at,
            vendor=None,
            operation=operation if isinstance(operation, str) else None,
            method=scope["method"],
            path=scope["path"],
            status=status,
            seconds=perf_counter() - started,
            fault=None,
        )
