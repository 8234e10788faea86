"""`client.clock`: the namespace's clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

from booking_sandbox.testing.wire import Json, drop_none, instant

if TYPE_CHECKING:
    from booking_sandbox.testing.client import SandboxClient


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
        body = drop_none(now=instant(now) if now is not None else None, frozen=frozen)
        return cast(Json, self._client.call("PUT", "/clock", body))

    def freeze(self, at: datetime | str | None = None) -> Json:
        """Stop the clock (at `at`, when given)."""
        return self.set(at, frozen=True)

    def unfreeze(self) -> Json:
        """Let the clock follow real time again, from where it stands."""
        return self.set(frozen=False)
