"""What a fault does: answer a status, delay the real answer, or break the connection.

One vocabulary for rules (`POST /_sandbox/faults`) and the per-request `X-Sandbox-Fault` header.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from typing import Any

from booking_sandbox.core.jsonbody import BadJson, parse_json

DISCONNECTS = ("reset", "empty", "malformed")
MAX_LATENCY_MS = 600_000.0  # ten minutes: longer is a hung test, not a slow vendor


class FaultError(ValueError):
    """An action or rule that cannot be applied; the message names the offending field."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path, self.message = path, message


@dataclass(frozen=True)
class Latency:
    """A fixed delay, or a seeded draw from a uniform or log-normal distribution (ms)."""

    distribution: str  # "fixed", "uniform" or "lognormal"
    a: float  # fixed value, uniform min, or log-normal median
    b: float = 0.0  # uniform max, or log-normal sigma

    def draw(self, rng: random.Random) -> float:
        if self.distribution == "uniform":
            value = rng.uniform(self.a, self.b)
        elif self.distribution == "lognormal":
            value = rng.lognormvariate(math.log(self.a), self.b)
        else:
            value = self.a
        return min(value, MAX_LATENCY_MS)

    def to_json(self) -> float | dict[str, Any]:
        if self.distribution == "uniform":
            return {"distribution": "uniform", "min": self.a, "max": self.b}
        if self.distribution == "lognormal":
            return {"distribution": "lognormal", "median": self.a, "sigma": self.b}
        return self.a


@dataclass(frozen=True)
class Action:
    status: int | None = None
    retry_after: float | None = None
    latency: Latency | None = None
    disconnect: str | None = None

    @property
    def kind(self) -> str:
        """For metrics: what the client ends up seeing."""
        if self.disconnect is not None:
            return "disconnect"
        return "status" if self.status is not None else "latency"

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if self.status is not None:
            found["status"] = self.status
        if self.retry_after is not None:
            found["retry_after"] = _number(self.retry_after)
        if self.latency is not None:
            found["latency_ms"] = self.latency.to_json()
        if self.disconnect is not None:
            found["disconnect"] = self.disconnect
        return found


def whole(value: Any) -> Any:
    """JSON's 503.0 is the integer 503 (JSON Schema agrees), not a type error."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _real(value: Any, path: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise FaultError(path, "must be a number")
    if not low <= value <= high:
        raise FaultError(path, f"must be between {_number(low)} and {_number(high)}")
    return float(value)


def _latency(value: Any, path: str) -> Latency:
    if not isinstance(value, dict):
        return Latency("fixed", _real(value, path, 0, MAX_LATENCY_MS))
    kind = value.get("distribution")
    if kind == "uniform":
        low = _real(value.get("min"), f"{path}.min", 0, MAX_LATENCY_MS)
        high = _real(value.get("max"), f"{path}.max", 0, MAX_LATENCY_MS)
        if low > high:
            raise FaultError(f"{path}.max", "must not be below min")
        return Latency("uniform", low, high)
    if kind == "lognormal":
        median = _real(value.get("median"), f"{path}.median", 0, MAX_LATENCY_MS)
        if median <= 0:
            raise FaultError(f"{path}.median", "must be above 0")
        return Latency("lognormal", median, _real(value.get("sigma"), f"{path}.sigma", 0, 10))
    raise FaultError(f"{path}.distribution", "must be 'uniform' or 'lognormal'")


KEYS = ("status", "retry_after", "latency_ms", "disconnect")


def action_from_json(doc: Any, path: str = "$.action") -> Action:
    if not isinstance(doc, dict):
        raise FaultError(path, "must be an object")
    unknown = sorted(set(doc) - set(KEYS))
    if unknown:
        raise FaultError(f"{path}.{unknown[0]}", "is not an action field")
    status = whole(doc.get("status"))
    if status is not None and (isinstance(status, bool) or not isinstance(status, int)):
        raise FaultError(f"{path}.status", "must be an integer")
    if status is not None and not 400 <= status <= 599:
        raise FaultError(f"{path}.status", "must be an error status (400 to 599)")
    disconnect = doc.get("disconnect")
    if disconnect is not None and disconnect not in DISCONNECTS:
        raise FaultError(f"{path}.disconnect", f"must be one of {', '.join(DISCONNECTS)}")
    if status is not None and disconnect is not None:
        raise FaultError(path, "status and disconnect exclude each other")
    retry = doc.get("retry_after")
    if retry is not None and status is None:
        raise FaultError(f"{path}.retry_after", "only goes with a status")
    latency = doc.get("latency_ms")
    action = Action(
        status=status,
        retry_after=None if retry is None else _real(retry, f"{path}.retry_after", 0, 86_400),
        latency=None if latency is None else _latency(latency, f"{path}.latency_ms"),
        disconnect=disconnect,
    )
    if action == Action():
        raise FaultError(path, "needs status, latency_ms or disconnect")
    return action


MAX_HEADER = 1024  # an action fits in a line; longer is a mistake (or an attack on the parser)


def action_from_header(text: str) -> Action:
    """`status=503`, `latency_ms=600`, `latency_ms=uniform:100:300`, `status=429; retry_after=2`,
    `disconnect=reset`, or the JSON action object itself."""
    if len(text) > MAX_HEADER:
        raise FaultError("X-Sandbox-Fault", f"is longer than {MAX_HEADER} characters")
    text = text.strip()
    if text.startswith("{"):
        try:
            given = parse_json(text.encode("utf-8", "surrogatepass"))
        except BadJson:
            raise FaultError("X-Sandbox-Fault", "is not valid JSON") from None
        return action_from_json(given, "X-Sandbox-Fault")
    doc: dict[str, Any] = {}
    for part in re.split(r"[;,]", text):
        if not part.strip():
            continue  # "status=503;" is a typo, not a mistake
        key, equals, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not equals or not key:
            raise FaultError("X-Sandbox-Fault", f"cannot read {part.strip()!r} (key=value)")
        doc[key] = _header_value(key, value)
    return action_from_json(doc, "X-Sandbox-Fault")


def _header_value(key: str, value: str) -> Any:
    if key == "disconnect":
        return value
    if key == "latency_ms" and ":" in value:
        kind, _, rest = value.partition(":")
        first, _, second = rest.partition(":")
        names = {"uniform": ("min", "max"), "lognormal": ("median", "sigma")}.get(kind)
        if names is None:
            return {"distribution": kind}
        return {"distribution": kind, names[0]: _float(first), names[1]: _float(second)}
    return whole(_float(value)) if key == "status" else _float(value)


def _float(value: str) -> Any:
    try:
        return float(value)
    except ValueError:
        return value  # reported by action_from_json as "must be a number"
