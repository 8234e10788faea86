"""The sandbox's own main() with instruments for the tails: what holds a request up in the server.

Run by path (`python bench/load/instrumented.py [sandbox flags]`) so it imports only the stdlib
and whichever `booking_sandbox` comes first on PYTHONPATH (today's, or a baseline worktree's).
It wraps the app that main() builds (nothing else changes) with:

- a loop watch: a task sleeps 1 ms and records how late it wakes (a loop iteration's length,
  which includes every callback the loop ran in between: a stall, or a batch of requests);
- a collector recorder (`gc.callbacks`): each collection's pause, by generation;
- each request's time inside the app, from the ASGI call to its last body byte.

`GET /_bench/tails` answers what was recorded since the last `?reset=1` as JSON; the path is the
bench's, never the sandbox's. The watch costs a wake-up per millisecond (about 1% of a core).
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

PATH = "/_bench/tails"
TICK = 0.001
KEEP = 2_000_000  # samples of each kind; a 10 s run makes well under that


def quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Tails:
    """What one run recorded; all times in seconds on `time.perf_counter()`."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.lateness: list[float] = []
        self.stalls: list[tuple[float, float]] = []  # (start, length) of iterations over 5 ms
        self.pauses: list[tuple[float, float, int]] = []  # (start, length, generation)
        self.requests: list[float] = []
        self._gc_began = 0.0

    def on_gc(self, phase: str, info: dict[str, Any]) -> None:
        now = time.perf_counter()
        if phase == "start":
            self._gc_began = now
        elif self._gc_began and len(self.pauses) < KEEP:
            self.pauses.append((self._gc_began, now - self._gc_began, int(info["generation"])))

    async def watch(self) -> None:
        while True:
            began = time.perf_counter()
            await asyncio.sleep(TICK)
            late = time.perf_counter() - began - TICK
            if len(self.lateness) < KEEP:
                self.lateness.append(late)
            if late > 0.005:
                self.stalls.append((began, late))

    def report(self) -> dict[str, Any]:
        """The figures the harness prints, in milliseconds."""
        longest = sorted(self.stalls, key=lambda s: s[1], reverse=True)[:10]
        in_longest = sum(
            length
            for start, length, _ in self.pauses
            for s_start, s_len in longest
            if s_start <= start <= s_start + s_len + TICK
        )
        by_generation = {g: [p[1] for p in self.pauses if p[2] == g] for g in (0, 1, 2)}
        return {
            "requests": len(self.requests),
            "request_p99_ms": quantile(self.requests, 0.99) * 1e3,
            "request_max_ms": max(self.requests, default=0.0) * 1e3,
            "loop_p99_ms": quantile(self.lateness, 0.99) * 1e3,
            "loop_max_ms": max(self.lateness, default=0.0) * 1e3,
            "stalls_over_5ms": len(self.stalls),
            "stalls_over_20ms": sum(1 for _, length in self.stalls if length > 0.02),
            "gc_count": [len(by_generation[g]) for g in (0, 1, 2)],
            "gc_longest_ms": [max(by_generation[g], default=0.0) * 1e3 for g in (0, 1, 2)],
            "gc_total_ms": sum(p[1] for p in self.pauses) * 1e3,
            "gc_ms_in_10_longest_stalls": in_longest * 1e3,
            "longest_stalls_ms": [round(s[1] * 1e3, 1) for s in longest],
        }


def instrument(app: App, tails: Tails) -> App:
    """`app` with the recorders started on its loop and `GET /_bench/tails` answered."""
    started: list[asyncio.Task[None]] = []

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if not started:
            started.append(asyncio.get_running_loop().create_task(tails.watch()))
            gc.callbacks.append(tails.on_gc)
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        if scope["path"] == PATH:
            body = json.dumps(tails.report()).encode()
            if b"reset=1" in scope.get("query_string", b""):
                tails.reset()
            headers = [(b"content-type", b"application/json")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        began = time.perf_counter()

        async def timed(message: Message) -> None:
            await send(message)
            last = message["type"] == "http.response.body" and not message.get("more_body")
            if last and len(tails.requests) < KEEP:
                tails.requests.append(time.perf_counter() - began)

        await app(scope, receive, timed)

    return wrapped


def main() -> int:
    # Run by path, this directory would come first on sys.path: keep bench's modules out.
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(here)]
    import booking_sandbox.app as app_module
    from booking_sandbox.__main__ import main as sandbox_main

    build = app_module.create_app
    tails = Tails()

    def create_app(*args: Any, **kwargs: Any) -> Any:
        return instrument(build(*args, **kwargs), tails)

    app_module.create_app = create_app
    return sandbox_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
