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

# The instants a clock may stand at. Vendors add windows, lead times and token lifetimes of up
# to years to `now`, and Python's datetime ends with year 9999: nine centuries of margin on
# either side keep every such sum representable, where a clock at 9999-12-31 made some
# vendor answers fail. Dates in request bodies may still go to the end of year 9999.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(8999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


class OutOfRange(OverflowError):
    """An instant outside EARLIEST..LATEST: a clock refuses to stand there."""

    def __init__(self, when: datetime | str) -> None:
        shown = format_instant(when) if isinstance(when, datetime) else when
        super().__init__(
            f"{shown} is outside the sandbox clock's range, "
            f"{format_instant(EARLIEST)} to {format_instant(LATEST)}"
        )


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
        # How many times it was set, advanced or (un)frozen: a cached read is keyed by it.
        self.moves = 0
        self.set(start if start is not None else wall(), frozen=frozen)

    def now(self) -> datetime:
        if self._frozen_at is not None:
            return self._frozen_at
        try:
            now = (self._wall() + self._offset).astimezone(UTC)
        except OverflowError:
            return EARLIEST if self._offset < timedelta(0) else LATEST
        if EARLIEST <= now <= LATEST:
            return now
        # Set near an edge and left running (or the host clock stepped back): stand at it.
        return LATEST if now > LATEST else EARLIEST

    __call__ = now

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def set(self, now: datetime, frozen: bool | None = None) -> None:
        """Stand at `now`; `frozen` None keeps the current mode."""
        if now.tzinfo is None:
            raise ValueError("the clock takes timezone-aware instants")
        if not EARLIEST <= now <= LATEST:
            raise OutOfRange(now)
        keep_frozen = self.frozen if frozen is None else frozen
        self.moves += 1
        if keep_frozen:
            self._frozen_at = now.astimezone(UTC)
        else:
            self._frozen_at = None
            self._offset = now - self._wall()

    def advance(self, delta: timedelta) -> None:
        try:
            then = self.now() + delta
        except OverflowError:
            raise OutOfRange("the instant advanced to") from None
        self.set(then)

    def freeze(self, frozen: bool = True) -> None:
        self.set(self.now(), frozen=frozen)

    def to_json(self) -> dict[str, Any]:
        return {"now": format_instant(self.now()), "frozen": self.frozen}

    def load_json(self, data: dict[str, Any]) -> None:
        self.set(parse_instant(data["now"]), frozen=bool(data["frozen"]))
