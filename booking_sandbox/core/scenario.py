"""What a scenario is, what it runs with, and how its parameters are read.

A vendor package defines its scenarios with these types; the control plane lists and applies
them (`/_sandbox/scenarios`) and answers a `ScenarioError` in its own envelope.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from booking_sandbox.core.clock import EARLIEST, LATEST
from booking_sandbox.core.namespace import Namespace
from booking_sandbox.timefmt import parse_instant

Record = dict[str, Any]
# Customer data of the orders and bookings scenarios make: recognisable in any list.
REFERENCE = "sandbox-scenario"


class ScenarioError(Exception):
    """A scenario refused or stopped: the control plane answers `{"error": {...}}` with it."""

    def __init__(
        self, status: int, code: str, message: str, details: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


class Answer(Protocol):
    """A vendor's answer to a scenario step."""

    @property
    def status(self) -> int: ...

    @property
    def ok(self) -> bool: ...

    def json(self) -> Any: ...

    def text(self) -> str: ...


class Caller(Protocol):
    """Real vendor requests made in-process, in the scenario's namespace (the control plane's)."""

    async def call(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        media_type: str = "application/json",
    ) -> Answer: ...

    async def ok(self, step: str, method: str, path: str, **kwargs: Any) -> Any:
        """The JSON of a 2xx answer; any other answer stops the scenario (409)."""


def customer(first: str, last: str) -> dict[str, str]:
    """The customer of those orders and bookings, with the vendor's names of the name fields."""
    return {first: "Sandbox", last: "Scenario", "email": "scenario@sandbox.invalid"}


@dataclass
class Context:
    """The namespace a scenario is applied to, and its way to the vendor routes."""

    space: Namespace
    caller: Caller

    def section(self, vendor: str, section: str) -> Record:
        """The namespace's catalog of `vendor`, else 409 scenario_unavailable."""
        doc = self.space.catalogs.get(section)
        if not isinstance(doc, dict):
            raise unavailable(
                f"the fixtures of namespace {self.space.name!r} have no {vendor} part"
            )
        return doc


@dataclass
class Params:
    """The body's parameters, read one by one; every problem is reported at once (422)."""

    values: Record
    problems: list[dict[str, str]] = field(default_factory=list)

    def problem(self, name: str, message: str) -> None:
        found = {"path": f"$.{name}", "message": message}
        if found not in self.problems:  # a parameter read twice is reported once
            self.problems.append(found)

    def string(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(name, "must be a non-empty string")
            return None
        return value.strip()

    def integer(self, name: str, default: int, minimum: int, maximum: int) -> int:
        value = self.values.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(name, "must be an integer")
            return default
        if not minimum <= value <= maximum:
            self.problem(name, f"must be between {minimum} and {maximum}")
            return default
        return value

    def instant(self, name: str) -> datetime | None:
        text = self.string(name)
        if text is None:
            return None
        try:
            return parse_instant(text)
        except ValueError:
            self.problem(name, f"not an ISO 8601 date-time: {text!r}")
            return None

    def given(self, *names: str) -> str | None:
        """The first of `names` the client gave: the parameter a value derived from."""
        return next((n for n in names if self.values.get(n) is not None), None)

    def shift(
        self, moment: datetime, delta: timedelta, *names: str, clock: bool = False
    ) -> datetime:
        """`moment + delta`. Past datetime's years 1 to 9999 (or, for an instant the clock will
        stand at, past the clock's range) it is a 422 on the first of `names` the client gave,
        else (the scenario's defaults chose it) 409 scenario_unavailable."""
        try:
            moved: datetime | None = moment + delta
        except OverflowError:
            moved = None
        if moved is not None and (not clock or EARLIEST <= moved <= LATEST):
            return moved
        sign = "+" if delta >= timedelta(0) else "-"
        seconds = int(abs(delta).total_seconds())
        years = "the clock's range" if clock else "the years 1 to 9999"
        message = f"{moment.isoformat()} {sign} {seconds} s falls outside {years}"
        name = self.given(*names)
        if name is None and self.problems:
            raise self.refusal()  # the client's own problems come first
        if name is None:
            raise unavailable(f"the scenario's defaults do not fit the namespace clock: {message}")
        self.problem(name, message)
        raise self.refusal()

    def check(self) -> None:
        """Raise the 422 before any vendor request is made."""
        if self.problems:
            raise self.refusal()

    def refusal(self) -> ScenarioError:
        return ScenarioError(422, "invalid_body", "invalid scenario parameters", self.problems)


Apply = Callable[[Context, Params], Awaitable[Record]]


@dataclass(frozen=True)
class Scenario:
    name: str
    vendor: str
    description: str
    parameters: dict[str, str]  # name -> what it is, and its default
    apply: Apply

    def to_json(self) -> Record:
        return {
            "name": self.name,
            "vendor": self.vendor,
            "description": self.description,
            "parameters": dict(self.parameters),
        }


def unavailable(message: str) -> ScenarioError:
    """The namespace's fixtures lack what the scenario needs."""
    return ScenarioError(409, "scenario_unavailable", message)


def stopped(message: str, path: str = "$", vendor_said: str | None = None) -> ScenarioError:
    """A vendor step answered 2xx but did not do what the scenario needs."""
    details = [{"path": path, "message": vendor_said or message}]
    return ScenarioError(409, "scenario_failed", message, details)
