"""`client.faults`: the namespace's fault rules."""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from booking_sandbox.testing.wire import Json, JsonList, drop_none

if TYPE_CHECKING:
    from booking_sandbox.testing.client import SandboxClient


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
            **drop_none(
                status=status, retry_after=retry_after, latency_ms=latency_ms, disconnect=disconnect
            ),
        }
        if not rule_action:
            raise TypeError("a fault needs an action: status, latency_ms or disconnect")
        rule_match = {
            **(match or {}),
            **drop_none(vendor=vendor, method=method, path=path, operation=operation),
        }
        body = {
            "match": rule_match,
            "action": rule_action,
            **drop_none(times=times, probability=probability),
        }
        return cast(Json, self._client.call("POST", "/faults", body))

    def list(self) -> JsonList:
        return cast(JsonList, self._client.call("GET", "/faults")["faults"])

    def get(self, rule_id: str) -> Json:
        return cast(Json, self._client.call("GET", _rule_path(rule_id)))

    def remove(self, rule_id: str) -> None:
        self._client.call("DELETE", _rule_path(rule_id))

    def clear(self) -> int:
        """Remove every rule of the namespace; returns how many there were."""
        return int(self._client.call("DELETE", "/faults")["deleted"])


def _rule_path(rule_id: str) -> str:
    return f"/faults/{urllib.parse.quote(rule_id, safe='')}"
