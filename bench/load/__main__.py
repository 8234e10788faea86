"""python -m bench.load [--seconds 10] [--connections 16 64] [--paths KEY ...] [--client auto]

Starts the sandbox's console script (one uvicorn worker) and a bare Starlette app answering the
same routes with the bytes the sandbox sent (`bare_app.py`), then drives both with the same load
generator, one after the other, over each hot path and connection count: wrk when it is
installed, else the Python client. Each sandbox run has a namespace of its own, prepared like a
client would (clock, login, and for Korus an offer with room for the whole run), and its state
is checked afterwards. `--soak N` then sends N more requests over the paths that keep state
steady and reports the peak RSS (the journal is bounded).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2 as httpx

from bench.load import pyclient, wrk
from bench.load.paths import PATHS, HotPath
from bench.load.results import Result
from bench.load.servers import Bare, peak_rss_mib, record
from bench.load.state_check import check
from sandbox.testing.live import LiveServer

Runner = Callable[[str, HotPath, Mapping[str, str], int, float], Result]
# Paths whose state stays the same size however long they run (reads, create + cancel).
STEADY = ("korus-availability", "pont-availabilities", "pont-create-cancel", "booqable-orders")


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


def _row(path: HotPath, n: int, bare: Result, box: Result, live: Mapping[str, int]) -> str:
    ratio = box.rate / bare.rate if bare.rate else float("nan")
    held = ", ".join(f"{k} {v:,}" for k, v in sorted(live.items())) or "-"
    return (
        f"| {path.title} | {n} | {bare.rate:,.0f} | {bare.p99_ms:.1f} | {box.rate:,.0f} | "
        f"{ratio:.2f} | {box.p50_ms:.1f} / {box.p90_ms:.1f} / {box.p99_ms:.1f} | "
        f"{bare.errors} / {box.errors} | {held} |"
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
    steady = [p for p in PATHS if p.key in STEADY]
    sent = 0
    while sent < total:
        for path in steady:
            result = run(url, path, _session(url, path, f"soak-{path.key}"), 16, 10)
            sent += result.requests
            if result.errors:
                raise RuntimeError(f"soak: {result.errors} errors on {path.key}")
    for path in steady:
        check(url, f"soak-{path.key}")
    print(f"\nsoak: {sent:,} requests over {', '.join(STEADY)} at c16")
    print(f"sandbox peak RSS after the soak: {peak_rss_mib(pid):.0f} MiB")


HEAD = (
    "| path | c | bare req/s | bare p99 ms | sandbox req/s | ratio | sandbox p50 / p90 / p99 ms "
    "| errors bare / sandbox | sandbox allocations after |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---|"
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


def _compare(run: Runner, box: LiveServer, bare: Bare, paths: list[HotPath], args: Any) -> None:
    print(HEAD)
    for n in args.connections:
        for p in paths:
            on_bare = run(bare.url, p, {}, n, args.seconds)
            namespace = f"load-{p.key}-c{n}"
            on_box = run(box.url, p, _session(box.url, p, namespace), n, args.seconds)
            print(_row(p, n, on_bare, on_box, check(box.url, namespace)), flush=True)
    sandbox, baseline = peak_rss_mib(box.process.pid), peak_rss_mib(bare.process.pid)
    print(f"\npeak RSS: sandbox {sandbox:.0f} MiB, bare {baseline:.0f} MiB")


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
