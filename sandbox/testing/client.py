"""A small typed client for the `/_sandbox` control plane, bound to one namespace.

Standard library only, so that a test suite can drive a sandbox (in-process or a docker
service) without pulling in an HTTP library of ours.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict, Unpack, cast

__all__ = ["Clock", "Faults", "JournalQuery", "RequestMatch", "SandboxClient", "SandboxError"]

NAMESPACE_HEADER = "X-Sandbox-Namespace"
Json = dict[str, Any]
JsonList = list[dict[str, Any]]  # module level: `Faults.list` would shadow `list` in the class


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


def _instant(value: datetime | str) -> str:
    if isinstance(value, str):
        return value
    if value.tzinfo is None:  # the server reads a naive instant as UTC; say so explicitly
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _drop_none(**values: Any) -> Json:
    return {k: v for k, v in values.items() if v is not None}


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
    wire = _drop_none(**filters)
    if "since" in wire:
        wire["since"] = _instant(wire["since"])
    return wire


class SandboxClient:
    """`SandboxClient("http://127.0.0.1:8000", namespace="job-7")`.

    Every call carries `X-Sandbox-Namespace`; give `client.headers` to the system under test's
    own HTTP client so its vendor calls land in the same namespace. Control-plane errors raise
    `SandboxError`; transport failures raise `OSError` (`urllib.error.URLError`).
    """

    def __init__(self, base_url: str, namespace: str = "default", timeout: float = 10.0) -> None:
        url = base_url.rstrip("/")
        self.url = url.removesuffix("/_sandbox")  # the server root, where vendor paths live
        self.namespace = namespace
        self.timeout = timeout
        self.clock = Clock(self)
        self.faults = Faults(self)

    def __repr__(self) -> str:
        return f"SandboxClient({self.url!r}, namespace={self.namespace!r})"

    @property
    def headers(self) -> dict[str, str]:
        """A fresh `{"X-Sandbox-Namespace": namespace}` for the system under test's requests."""
        return {NAMESPACE_HEADER: self.namespace}

    def vendor_url(self, path: str) -> str:
        """`vendor_url("/v1/booking/reservations")` -> the absolute URL on this server."""
        return f"{self.url}/{path.lstrip('/')}"

    def with_namespace(self, namespace: str) -> SandboxClient:
        """The same server, another namespace."""
        return SandboxClient(self.url, namespace=namespace, timeout=self.timeout)

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
        return json.loads(self._send(method, path, body, query) or "null")

    def _send(self, method: str, path: str, body: Any, query: Mapping[str, Any] | None) -> str:
        url = f"{self.url}/_sandbox/{path.lstrip('/')}"
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        headers = {**self.headers, "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return str(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            with exc:
                raise _error(exc.code, exc.read()) from None

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
        return self._send("GET", "/metrics", None, None)


def _error(status: int, raw: bytes) -> SandboxError:
    try:
        error = json.loads(raw)["error"]
        return SandboxError(status, str(error["code"]), str(error["message"]), error.get("details"))
    except (ValueError, KeyError, TypeError):  # not the control plane (a proxy, a wrong URL)
        text = raw.decode("utf-8", errors="replace").strip()[:500]
        return SandboxError(status, "http_error", text or f"HTTP {status}")


class Clock:
    """The namespace's clock: `client.clock.advance("PT16M")`, `client.clock.set(...)`."""

    def __init__(self, client: SandboxClient) -> None:
        self._client = client

    def get(self) -> Json:
        """`{"now": "<ISO 8601>", "frozen": bool}`."""
        return cast(Json, self._client.call("GET", "/clock"))

    def now(self) -> datetime:
        """The namespace's current instant, timezone-aware (UTC)."""
        return datetime.fromisoformat(self.get()["now"])

    def advance(
        self,
        by: float | timedelta | str | None = None,
        /,
        *,
        seconds: float | None = None,
        duration: str | timedelta | None = None,
    ) -> Json:
        """Move forward by seconds, a `timedelta` or an ISO 8601 duration (`"PT16M"`).

        `advance(90)`, `advance(timedelta(minutes=16))`, `advance("P1DT2H")`,
        `advance(seconds=90)` or `advance(duration="PT16M")`; exactly one of them.
        """
        given = [v for v in (by, seconds, duration) if v is not None]
        if len(given) != 1:
            raise TypeError("advance() takes exactly one of: by, seconds=, duration=")
        (step,) = given
        body: Json
        if isinstance(step, str):
            body = {"duration": step}
        elif isinstance(step, timedelta):
            body = {"seconds": step.total_seconds()}
        elif isinstance(step, int | float) and not isinstance(step, bool):
            body = {"seconds": step}
        else:
            raise TypeError(f"cannot advance the clock by {step!r}")
        return cast(Json, self._client.call("POST", "/clock/advance", body))

    def set(self, now: datetime | str | None = None, *, frozen: bool | None = None) -> Json:
        """Stand at `now` (a naive datetime is UTC) and/or freeze or unfreeze."""
        if now is None and frozen is None:
            raise TypeError("set() needs now, frozen or both")
        body = _drop_none(now=_instant(now) if now is not None else None, frozen=frozen)
        return cast(Json, self._client.call("PUT", "/clock", body))

    def freeze(self, at: datetime | str | None = None) -> Json:
        """Stop the clock (at `at`, when given)."""
        return self.set(at, frozen=True)

    def unfreeze(self) -> Json:
        """Let the clock follow real time again, from where it stands."""
        return self.set(frozen=False)


class Faults:
    """Fault rules of the namespace: `client.faults.add(status=503, vendor="korus", times=1)`."""

    def __init__(self, client: SandboxClient) -> None:
        self._client = client

    def add(
        self,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        latency_ms: float | Mapping[str, Any] | None = None,
        disconnect: str | None = None,
        vendor: str | None = None,
        method: str | None = None,
        path: str | None = None,
        operation: str | None = None,
        times: int | None = None,
        probability: float | None = None,
        match: Mapping[str, Any] | None = None,
        action: Mapping[str, Any] | None = None,
    ) -> Json:
        """Add a rule; returns it with its `id`. Keywords merge into `match=` and `action=`.

        Action: `status` (with `retry_after` seconds), `latency_ms` (a number or a
        distribution), `disconnect` (`reset`, `empty`, `malformed`). Match: `vendor`,
        `method`, `path` (`*` wildcards), `operation`. `times` fires it at most N times.
        """
        rule_action = {
            **(action or {}),
            **_drop_none(
                status=status, retry_after=retry_after, latency_ms=latency_ms, disconnect=disconnect
            ),
        }
        if not rule_action:
            raise TypeError("a fault needs an action: status, latency_ms or disconnect")
        rule_match = {
            **(match or {}),
            **_drop_none(vendor=vendor, method=method, path=path, operation=operation),
        }
        body = {
            "match": rule_match,
            "action": rule_action,
            **_drop_none(times=times, probability=probability),
        }
        return cast(Json, self._client.call("POST", "/faults", body))

    def list(self) -> JsonList:
        return cast(JsonList, self._client.call("GET", "/faults")["faults"])

    def get(self, rule_id: str) -> Json:
        return cast(
            Json, self._client.call("GET", f"/faults/{urllib.parse.quote(rule_id, safe='')}")
        )

    def remove(self, rule_id: str) -> None:
        self._client.call("DELETE", f"/faults/{urllib.parse.quote(rule_id, safe='')}")

    def clear(self) -> int:
        """Remove every rule of the namespace; returns how many there were."""
        return int(self._client.call("DELETE", "/faults")["deleted"])
