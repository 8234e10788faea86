"""The sandbox clock: one per namespace, the only way the engine learns the time.

It follows real time (the injected wall clock) shifted by an offset, or stands still when frozen.
Setting, advancing and freezing it is how QA travels past an expiry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from booking_sandbox.timefmt import format_instant, parse_instant

WallClock = Callable[[], datetime]


def system_wall() -> datetime:
    """The machine's time: the one place the sandbox reads it."""
    return datetime.now(UTC)


class Clock:
    def __init__(
        self, wall: WallClock = system_wall, start: datetime | None = None, frozen: bool = False
    ) -> None:
        self._wall = wall
        self._offset = timedelta(0)
        self._frozen_at: datetime | None = None
        self.set(start if start is not None else wall(), frozen=frozen)

    def now(self) -> datetime:
        if self._frozen_at is not None:
            return self._frozen_at
        try:
            return (self._wall() + self._offset).astimezone(UTC)
        except OverflowError:
            # Set at the edge of time and left running: stand at the edge it ran past.
            edge = datetime.min if self._offset < timedelta(0) else datetime.max
            return edge.replace(tzinfo=UTC)

    __call__ = now

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def set(self, now: datetime, frozen: bool | None = None) -> None:
        """Stand at `now`; `frozen` None keeps the current mode."""
        if now.tzinfo is None:
            raise ValueError("the clock takes timezone-aware instants")
        keep_frozen = self.frozen if frozen is None else frozen
        if keep_frozen:
            self._frozen_at = now.astimezone(UTC)
        else:
            self._frozen_at = None
            self._offset = now - self._wall()

    def advance(self, delta: timedelta) -> None:
        self.set(self.now() + delta)

    def freeze(self, frozen: bool = True) -> None:
        self.set(self.now(), frozen=frozen)

    def to_json(self) -> dict[str, Any]:
        return {"now": format_instant(self.now()), "frozen": self.frozen}

    def load_json(self, data: dict[str, Any]) -> None:
        self.set(parse_instant(data["now"]), frozen=bool(data["frozen"]))
