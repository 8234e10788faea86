"""The harness's side of the tail diagnosis: placement of the load generator and the server on
the 2 cores, and per run what the instrumented server recorded (`instrumented.py`).

`--pin` puts the server (every thread of it) on one core and wrk on the other (`taskset`), so
the two stop taking each other's time slices; `--wrk-threads 1` gives wrk one thread. Each run
then reports wrk's p99 beside the server's own view: the request's time inside the app, the
loop's longest iteration, the collector's pauses and how many times the kernel took the core
from the server (involuntary context switches). A tail the server does not see is made
outside it: queueing in the socket or the load generator itself.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx2 as httpx

from bench.load.instrumented import PATH

SERVER_CPU = 1
CLIENT_CPU = 0


def pin(pid: int, cpu: int = SERVER_CPU) -> None:
    """Every thread of `pid` on core `cpu` (a JVM or uvicorn alike)."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        os.sched_setaffinity(int(task.name), {cpu})


def preempted(pid: int) -> int:
    """Involuntary context switches of every thread of `pid` so far."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        for line in (task / "status").read_text().splitlines():
            if line.startswith("nonvoluntary_ctxt_switches:"):
                total += int(line.split()[1])
    return total


def recorded(url: str, *, reset: bool) -> dict[str, Any]:
    """What the instrumented server recorded since the last reset."""
    answer = httpx.get(f"{url}{PATH}", params={"reset": "1"} if reset else None, timeout=30)
    answer.raise_for_status()
    report: dict[str, Any] = answer.json()
    return report


HEAD = (
    "| path | c | server | wrk p99 ms | in app p99 / max ms | loop iteration p99 / max ms "
    "| iterations > 5 / > 20 ms | GC passes gen 0 / 1 / 2 | longest GC ms gen 0 / 1 / 2 "
    "| GC ms within the 10 longest iterations | preempted |\n"
    "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def row(
    title: str, connections: int, server: str, p99_ms: float, tails: Mapping[str, Any], cut: int
) -> str:
    counts = " / ".join(f"{n:,}" for n in tails["gc_count"])
    longest = " / ".join(f"{ms:.1f}" for ms in tails["gc_longest_ms"])
    return (
        f"| {title} | {connections} | {server} | {p99_ms:.1f} "
        f"| {tails['request_p99_ms']:.1f} / {tails['request_max_ms']:.1f} "
        f"| {tails['loop_p99_ms']:.1f} / {tails['loop_max_ms']:.1f} "
        f"| {tails['stalls_over_5ms']:,} / {tails['stalls_over_20ms']:,} | {counts} | {longest} "
        f"| {tails['gc_ms_in_10_longest_stalls']:.1f} | {cut:,} |"
    )
