"""python -m bench.load [--seconds 10] [--connections 16 64] [--paths KEY ...] [--client auto]

Starts the sandbox's console script (one uvicorn worker) and a bare Starlette app answering the
same routes with the bytes the sandbox sent (`bare_app.py`), then drives both with the same load
generator, one after the other, over each hot path and connection count: wrk when it is
installed, else the Python client. Each sandbox run has a namespace of its own, prepared like a
client would (clock, login, and for Korus an offer with room for the whole run), and its state
is checked afterwards. `--soak N` then sends N more requests over the read paths and reports
the RSS as it goes: it must level off (journals and metrics are bounded).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import httpx2 as httpx

from bench.load import pyclient, wrk
from bench.load.paths import PATHS, HotPath
from bench.load.results import Result
from bench.load.servers import (
    Bare,
    cpu_seconds,
    peak_rss_mib,
    record,
    reset_peak_rss,
    rss_mib,
)
from bench.load.state_check import StateError, check
from booking_sandbox.testing.live import LiveServer

Runner = Callable[[str, HotPath, Mapping[str, str], int, float], Result]
# Paths that create nothing: a write keeps its record (2-3 KB each) until a reset, as it should.
READS = ("korus-availability", "pont-availabilities", "booqable-orders")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--paths", nargs="+", choices=[p.key for p in PATHS])
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--soak", type=int, default=0, metavar="N")
    return parser.parse_args()


def _runner(choice: str) -> tuple[str, Runner]:
    if choice == "wrk" or (choice == "auto" and wrk.available()):
        return "wrk -t2 (Lua script per path)", wrk.run
    return "Python asyncio client (raw HTTP/1.1 keep-alive)", pyclient.run


def _session(url: str, path: HotPath, namespace: str) -> dict[str, str]:
    """Prepare a namespace as a client would; the headers every request of the run sends."""
    with httpx.Client(base_url=url, headers={"X-Sandbox-Namespace": namespace}) as client:
        path.prepare(client)
        return {k: client.headers[k] for k in ("X-Sandbox-Namespace", "Authorization")}


class Measured(NamedTuple):
    result: Result
    cpu_us: float  # the server's own CPU time per request
    start_mib: float  # the server's RSS when the run starts (what earlier runs left)
    peak_mib: float  # and its peak during the run


def _measure(
    run: Runner,
    pid: int,
    url: str,
    path: HotPath,
    headers: Mapping[str, str],
    n: int,
    seconds: float,
) -> Measured:
    start = rss_mib(pid)
    fresh = reset_peak_rss(pid)
    before = cpu_seconds(pid)
    result = run(url, path, headers, n, seconds)
    cpu_us = (cpu_seconds(pid) - before) * 1e6 / max(result.requests, 1)
    return Measured(result, cpu_us, start, peak_rss_mib(pid) if fresh else float("nan"))


def _row(path: HotPath, n: int, bare: Measured, box: Measured, live: Mapping[str, int]) -> str:
    b, s = bare.result, box.result
    ratio = s.rate / b.rate if b.rate else float("nan")
    held = ", ".join(f"{k} {v:,}" for k, v in sorted(live.items())) or "-"
    return (
        f"| {path.title} | {n} | {b.rate:,.0f} | {b.p99_ms:.1f} | {bare.cpu_us:.0f} "
        f"| {s.rate:,.0f} | {s.p50_ms:.1f} / {s.p90_ms:.1f} / {s.p99_ms:.1f} | {box.cpu_us:.0f} "
        f"| **{ratio:.2f}** | {b.errors} / {s.errors} "
        f"| {box.start_mib:.0f} → {box.peak_mib:.0f} | {held} |"
    )


def _machine() -> str:
    model = next(
        (
            x.split(":", 1)[1].strip()
            for x in Path("/proc/cpuinfo").read_text().splitlines()
            if x.startswith("model name")
        ),
        platform.machine(),
    )
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}"


def _soak(run: Runner, url: str, total: int, pid: int) -> None:
    """N requests over the read paths: what a long run costs beyond the state clients create."""
    reads = [p for p in PATHS if p.key in READS]
    sent = 0
    reset_peak_rss(pid)
    print(f"\nsoak over {', '.join(READS)} at c16, 10 s per run, one namespace per path:")
    while sent < total:
        for path in reads:
            result = run(url, path, _session(url, path, f"soak-{path.key}"), 16, 10)
            sent += result.requests
            if result.errors:
                raise RuntimeError(f"soak: {result.errors} errors on {path.key}")
        print(f"  {sent:>9,} requests: RSS {rss_mib(pid):.0f} MiB", flush=True)
    print(f"sandbox peak RSS after {sent:,} requests: {peak_rss_mib(pid):.0f} MiB")


HEAD = (
    "| path | c | bare req/s | bare p99 ms | bare CPU µs/req | sandbox req/s "
    "| sandbox p50 / p90 / p99 ms | sandbox CPU µs/req | ratio | errors bare / sandbox "
    "| sandbox RSS MiB, start → peak | sandbox allocations after |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
)


def _bare(url: str, paths: list[HotPath], spec: Path) -> Bare:
    """Record each path on the sandbox, start the bare app on those bytes, and check it."""
    recorded = {p.key: record(url, p, f"record-{p.key}") for p in paths}
    # Two paths may record the same route: the bare app answers with the first.
    routes: dict[tuple[str, str], dict[str, Any]] = {}
    for item in (r for p in paths for r in recorded[p.key]):
        routes.setdefault((item["method"], item["route"]), item)
    bare = Bare(list(routes.values()), spec)
    for p in paths:
        bare.verify(p, [routes[r["method"], r["route"]] for r in recorded[p.key]])
    return bare


def _count(path: HotPath, result: Result, live: Mapping[str, int], connections: int) -> None:
    """Each answered request left its allocation: no more (up to the requests still in flight
    when the load generator stopped counting), and none lost."""
    if path.each_leaves is None:
        return
    answered = result.requests - result.errors
    found = live.get(path.each_leaves, 0)
    if not answered <= found <= answered + connections:
        raise StateError(f"{path.key}: {found:,} {path.each_leaves} for {answered:,} answers")


def _compare(run: Runner, box: LiveServer, bare: Bare, paths: list[HotPath], args: Any) -> None:
    print(HEAD)
    for n in args.connections:
        for p in paths:
            namespace = f"load-{p.key}-c{n}"
            headers = _session(box.url, p, namespace)  # the bare app gets them too, unread
            on_bare = _measure(run, bare.process.pid, bare.url, p, headers, n, args.seconds)
            on_box = _measure(run, box.process.pid, box.url, p, headers, n, args.seconds)
            live = check(box.url, namespace)
            _count(p, on_box.result, live, n)
            print(_row(p, n, on_bare, on_box, live), flush=True)
            # What the run made is dropped, so one run's records do not weigh on the next.
            httpx.post(f"{box.url}/_sandbox/reset", headers={"X-Sandbox-Namespace": namespace})
    print(f"\nbare app peak RSS: {peak_rss_mib(bare.process.pid):.0f} MiB")


def main() -> None:
    args = _arguments()
    name, run = _runner(args.client)
    paths = [p for p in PATHS if not args.paths or p.key in args.paths]
    print(f"{datetime.now(UTC):%Y-%m-%d}, {_machine()}; load generator: {name}")
    print(f"{args.seconds:g} s per run; bare app first, then the sandbox, one at a time\n")
    box = LiveServer()
    try:
        box.wait_healthy()
        if args.seconds > 0:
            with tempfile.TemporaryDirectory() as tmp:
                bare = _bare(box.url, paths, Path(tmp) / "bare.json")
                try:
                    _compare(run, box, bare, paths, args)
                finally:
                    bare.stop()
        if args.soak:
            _soak(run, box.url, args.soak, box.process.pid)
    finally:
        box.stop()


if __name__ == "__main__":
    main()
