"""A small typed client for the `/_sandbox` control plane, bound to one namespace.

Standard library only, so that a test suite can drive a sandbox (in-process or a docker
service) without pulling in an HTTP library of ours.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypedDict, Unpack, cast

from booking_sandbox.core.headers import NAMESPACE_HEADER
from booking_sandbox.testing.clock import Clock
from booking_sandbox.testing.faults import Faults
from booking_sandbox.testing.wire import Json, JsonList, drop_none, instant

# As the design notes spell it (HTTP header names are case-insensitive).
_NAMESPACE_HEADER = "-".join(part.capitalize() for part in NAMESPACE_HEADER.split("-"))

__all__ = [
    "Clock",
    "Faults",
    "JournalQuery",
    "RequestMatch",
    "SandboxClient",
    "SandboxError",
    "server_root",
]


class SandboxError(Exception):
    """A non-2xx answer of the control plane: `{"error": {"code", "message", "details"}}`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message
        self.details: list[dict[str, str]] = details or []

    def __str__(self) -> str:
        lines = [f"{self.status} {self.code}: {self.message}"]
        lines += [f"  {d.get('path', '$')}: {d.get('message', '')}" for d in self.details]
        return "\n".join(lines)


def server_root(url: str) -> str:
    """`http://h:8000/_sandbox/` -> `http://h:8000`: the server root, where vendor paths live."""
    return url.strip().rstrip("/").removesuffix("/_sandbox")


class RequestMatch(TypedDict, total=False):
    """Journal filters; all given must match. `status`: `503` or a class such as `"5xx"`."""

    vendor: str
    method: str
    path: str  # exact, or with `*` wildcards
    operation: str
    status: int | str
    since: datetime | str  # on the namespace's clock


class JournalQuery(RequestMatch, total=False):
    limit: int


def _on_wire(filters: RequestMatch | JournalQuery) -> Json:
    wire = drop_none(**filters)
    if "since" in wire:
        wire["since"] = instant(wire["since"])
    status = wire.get("status")
    if isinstance(status, str) and status.isascii() and status.isdigit():
        wire["status"] = int(status)  # a JSON body takes `"5xx"` or a number, not `"503"`
    return wire


class SandboxClient:
    """`SandboxClient("http://127.0.0.1:8000", namespace="job-7")`.

    Every call carries `X-Sandbox-Namespace`; give `client.headers` to the system under test's
    own HTTP client so its vendor calls land in the same namespace. Control-plane errors, and
    answers that are not its JSON (a proxy's page, a wrong URL), raise `SandboxError`; transport
    failures raise `OSError`: no server, a timeout, a peer that does not speak HTTP.
    """

    def __init__(
        self,
        base_url: str,
        namespace: str = "default",
        timeout: float = 10.0,
        token: str | None = None,
    ) -> None:
        self.url = server_root(base_url)
        self.namespace = namespace
        self.timeout = timeout
        # The server's control token (`--control-token`), sent on control-plane calls only:
        # `headers` stays free of it, as the system under test must never carry it.
        self.token = token
        self.clock = Clock(self)
        self.faults = Faults(self)

    def __repr__(self) -> str:
        return f"SandboxClient({self.url!r}, namespace={self.namespace!r})"

    @property
    def headers(self) -> dict[str, str]:
        """A fresh `{"X-Sandbox-Namespace": namespace}` for the system under test's requests."""
        return {_NAMESPACE_HEADER: self.namespace}

    def vendor_url(self, path: str) -> str:
        """`vendor_url("/v1/booking/reservations")` -> the absolute URL on this server."""
        return f"{self.url}/{path.lstrip('/')}"

    def with_namespace(self, namespace: str) -> SandboxClient:
        """The same server, another namespace."""
        return SandboxClient(self.url, namespace=namespace, timeout=self.timeout, token=self.token)

    # -- transport ---------------------------------------------------------------------------

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: Mapping[str, Any] | None = None,
    ) -> Any:
        """One control-plane call (`path` below `/_sandbox`); returns the decoded JSON."""
        status, text = self._send(method, path, body, query)
        try:
            return json.loads(text or "null")
        except ValueError:  # a 2xx that is not the control plane's (a catch-all web server)
            raise _error(status, text.encode()) from None

    def _send(
        self, method: str, path: str, body: Any, query: Mapping[str, Any] | None
    ) -> tuple[int, str]:
        url = f"{self.url}/_sandbox/{path.lstrip('/')}"
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        headers = {**self.headers, "Accept": "application/json"}
        if self.token is not None:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return int(response.status), response.read().decode("utf-8", errors="replace")
            except urllib.error.HTTPError as exc:
                with exc:
                    raise _error(exc.code, exc.read()) from None
        except http.client.HTTPException as exc:  # BadStatusLine & co: not an HTTP server
            if isinstance(exc, OSError):  # RemoteDisconnected already is one
                raise
            raise OSError(f"{method} {url}: not an HTTP answer ({exc!r})") from exc

    # -- namespaces, state -------------------------------------------------------------------

    def health(self) -> Json:
        return cast(Json, self.call("GET", "/health"))

    def namespaces(self) -> list[str]:
        """Namespaces that exist on the server (created on first use, dropped by reset)."""
        return cast(list[str], self.call("GET", "/namespaces")["namespaces"])

    def reset(self) -> None:
        """Drop this namespace: fixtures, clock, faults and journal start afresh."""
        self.call("POST", "/reset")

    def reset_all(self) -> list[str]:
        """Drop every namespace on the server (other jobs' too: mind a shared server)."""
        return cast(list[str], self.call("POST", "/reset", {"all": True})["reset"])

    def state(self) -> Json:
        """Export the namespace (`GET /_sandbox/state`)."""
        return cast(Json, self.call("GET", "/state"))

    def load_state(self, state: Mapping[str, Any]) -> Json:
        """Replace the namespace by an exported state; returns its export."""
        return cast(Json, self.call("PUT", "/state", dict(state)))

    # -- journal -----------------------------------------------------------------------------

    def journal(self, **query: Unpack[JournalQuery]) -> Json:
        """`{"requests": [...], "total": kept, "dropped": evicted}`, oldest first."""
        return cast(Json, self.call("GET", "/requests", query=_on_wire(query)))

    def requests(self, **query: Unpack[JournalQuery]) -> JsonList:
        """Journal entries matching every filter given; `status` may be `503` or `"5xx"`."""
        return cast(JsonList, self.journal(**query)["requests"])

    def count(self, **match: Unpack[RequestMatch]) -> int:
        """How many journal entries match (`path` may use `*` wildcards)."""
        return int(self.call("POST", "/requests/count", _on_wire(match))["count"])

    def clear_requests(self) -> int:
        """Empty this namespace's journal; returns how many entries went."""
        return int(self.call("DELETE", "/requests")["deleted"])

    # -- scenarios, introspection ------------------------------------------------------------

    def scenario(self, name: str, /, **params: Any) -> Json:
        """Apply a named scenario (`korus-sold-out`...); returns what it set up."""
        path = f"/scenarios/{urllib.parse.quote(name, safe='')}"
        return cast(Json, self.call("POST", path, params or None))

    def scenarios(self) -> JsonList:
        return cast(JsonList, self.call("GET", "/scenarios")["scenarios"])

    def magic(self) -> JsonList:
        """The magic values that trigger vendor behaviours (`{"vendor", "field", "value"...}`)."""
        return cast(JsonList, self.call("GET", "/magic")["magic"])

    def metrics(self) -> str:
        """Prometheus text of `GET /_sandbox/metrics`."""
        return self._send("GET", "/metrics", None, None)[1]


def _error(status: int, raw: bytes) -> SandboxError:
    try:
        error = json.loads(raw)["error"]
        return SandboxError(status, str(error["code"]), str(error["message"]), error.get("details"))
    except (ValueError, KeyError, TypeError):  # not the control plane (a proxy, a wrong URL)
        text = raw.decode("utf-8", errors="replace").strip()[:500]
        return SandboxError(status, "http_error", text or f"HTTP {status}")
