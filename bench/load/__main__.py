"""python -m bench.load [--seconds 10] [--connections 16 64] [--paths KEY ...] [--client auto]
    [--baseline-rev REV] [--wiremock [--wiremock-warmup 30]] [--markdown FILE]
    [--server-arg=FLAG ...] [--tails] [--pin] [--wrk-threads 2] [--soak N] [--soak-writes N]

Starts the sandbox's console script (one uvicorn worker) and a bare Starlette app answering the
same routes with the bytes the sandbox sent (`bare_app.py`), then drives both with the same load
generator, one after the other, over each hot path and connection count: wrk when it is
installed, else the Python client. Each sandbox run has a namespace of its own, prepared like a
client would (clock, login, and for Korus an offer with room for the whole run), and its state
is checked afterwards. `--baseline-rev` adds the sandbox of another git revision and
`--wiremock` WireMock serving the recorded bytes, in the same run, path by path; a side-by-side
table then shows every server. `--tails` runs the sandboxes with the tail instruments
(`instrumented.py`). `--soak N` then sends N more requests over the read paths and reports the
RSS as it goes: it must level off (journals and metrics are bounded); `--soak-writes N` does the
same over writes whose records finish.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
from collections.abc import Mapping
from contextlib import ExitStack
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import httpx2 as httpx

from bench.load import pyclient, soak, tails, wiremock, wrk
from bench.load.paths import PATHS, HotPath
from bench.load.results import Result
from bench.load.server_setup import Runner, Server, start_bare, start_sandboxes, start_wiremock
from bench.load.servers import cpu_seconds, peak_rss_mib, reset_peak_rss, rss_mib
from bench.load.state_check import StateError, check
from bench.load.table import BARE, Cell, Row, render


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--paths", nargs="+", choices=[p.key for p in PATHS])
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--soak", type=int, default=0, metavar="N")
    parser.add_argument("--soak-writes", type=int, default=0, metavar="N")
    parser.add_argument("--baseline-rev", metavar="REV", help="also the sandbox of this revision")
    parser.add_argument("--wiremock", action="store_true", help="also WireMock (java and npm)")
    parser.add_argument("--wiremock-warmup", type=float, default=30, metavar="SECONDS")
    parser.add_argument("--markdown", type=Path, help="write the side-by-side table here")
    parser.add_argument(
        "--server-arg",
        action="append",
        default=[],
        metavar="FLAG",
        help="a flag for every sandbox started (repeat; write --server-arg=--flag)",
    )
    parser.add_argument("--tails", action="store_true", help="instrumented sandboxes, tails table")
    parser.add_argument("--pin", action="store_true", help="servers on core 1, the client on 0")
    parser.add_argument("--wrk-threads", type=int, default=2)
    return parser.parse_args()


def _runner(args: argparse.Namespace) -> tuple[str, Runner]:
    if args.client == "wrk" or (args.client == "auto" and wrk.available()):
        cpu = tails.CLIENT_CPU if args.pin else None
        where = f", pinned to core {cpu}" if args.pin else ""
        name = f"wrk -t{args.wrk_threads} (Lua script per path){where}"
        return name, partial(wrk.run, threads=args.wrk_threads, cpu=cpu)
    if args.pin:
        os.sched_setaffinity(0, {tails.CLIENT_CPU})
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


HEAD = (
    "| path | c | bare req/s | bare p99 ms | bare CPU µs/req | sandbox req/s "
    "| sandbox p50 / p90 / p99 ms | sandbox CPU µs/req | ratio | errors bare / sandbox "
    "| sandbox RSS MiB, start → peak | sandbox allocations after |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
)


def _count(path: HotPath, result: Result, live: Mapping[str, int], connections: int) -> None:
    """Each answered request left its allocation: no more (up to the requests still in flight
    when the load generator stopped counting), and none lost."""
    if path.each_leaves is None:
        return
    answered = result.requests - result.errors
    found = live.get(path.each_leaves, 0)
    if not answered <= found <= answered + connections:
        raise StateError(f"{path.key}: {found:,} {path.each_leaves} for {answered:,} answers")


def _one(
    run: Runner,
    server: Server,
    path: HotPath,
    n: int,
    bare_headers: Mapping[str, str],
    args: Any,
    tail_rows: list[str],
) -> Measured:
    """One server, one path, one connection count: measured, then its state checked."""
    namespace = f"load-{path.key}-c{n}"
    headers = _session(server.url, path, namespace) if server.sandbox else bare_headers
    if server.instrumented:
        tails.recorded(server.url, reset=True)
    cut = tails.preempted(server.pid)
    measured = _measure(run, server.pid, server.url, path, headers, n, args.seconds)
    if server.instrumented:
        got = tails.recorded(server.url, reset=False)
        cut = tails.preempted(server.pid) - cut
        p99 = measured.result.p99_ms
        tail_rows.append(tails.row(path.title, n, server.name, p99, got, cut))
    if server.sandbox:
        live = check(server.url, namespace)
        _count(path, measured.result, live, n)
        # What the run made is dropped, so one run's records do not weigh on the next.
        httpx.post(f"{server.url}/_sandbox/reset", headers={"X-Sandbox-Namespace": namespace})
        _LIVE[server.name] = live
    return measured


_LIVE: dict[str, Mapping[str, int]] = {}


def _compare(run: Runner, servers: list[Server], paths: list[HotPath], args: Any) -> list[Row]:
    """Every server in turn on each path (the bare app first, today's sandbox last)."""
    now = servers[-1]
    print(HEAD)
    rows: list[Row] = []
    tail_rows: list[str] = []
    for n in args.connections:
        for p in paths:
            bare_headers = _session(now.url, p, f"load-{p.key}-c{n}")  # sent, unread
            measured = {s.name: _one(run, s, p, n, bare_headers, args, tail_rows) for s in servers}
            bare, box = measured[BARE], measured[now.name]
            print(_row(p, n, bare, box, _LIVE[now.name]), flush=True)
            cells = {
                name: Cell(m.result.rate, m.result.p99_ms, m.cpu_us, m.result.errors)
                for name, m in measured.items()
            }
            rows.append(Row(p.title, n, cells))
    print(f"\nbare app peak RSS: {peak_rss_mib(servers[0].pid):.0f} MiB")
    if tail_rows:
        print("\ntails: what the instrumented sandboxes saw, run by run\n")
        print(tails.HEAD)
        print("\n".join(tail_rows))
    return rows


def _load(run: Runner, sandboxes: list[Server], paths: list[HotPath], args: Any) -> None:
    now = sandboxes[-1]
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        bare = start_bare(now.url, paths, tmp / "bare.json")
        stack.callback(bare.stop)
        servers = [Server(BARE, bare.url, bare.process.pid, False)]
        if args.wiremock:
            problem = wiremock.missing_tools()
            if problem:
                print(problem)
            else:
                server, mock = start_wiremock(now.url, paths, tmp / "wiremock", run, args)
                stack.callback(mock.stop)
                servers.append(server)
        servers += sandboxes
        if args.pin:
            for server in servers:
                tails.pin(server.pid)
        rows = _compare(run, servers, paths, args)
        if len(servers) > 2 or args.markdown:
            table = render([s.name for s in servers], rows)
            print(f"\nside by side ({args.seconds:g} s per run, one server after the other):\n")
            print(table)
            if args.markdown:
                args.markdown.write_text(table + "\n")


def main() -> None:
    args = _arguments()
    name, run = _runner(args)
    paths = [p for p in PATHS if not args.paths or p.key in args.paths]
    print(f"{datetime.now(UTC):%Y-%m-%d}, {_machine()}; load generator: {name}")
    print(f"{args.seconds:g} s per run; the bare app first, then each server in turn\n")
    with ExitStack() as stack:
        sandboxes = stack.enter_context(start_sandboxes(args, stack))
        now = sandboxes[-1]
        if args.seconds > 0:
            _load(run, sandboxes, paths, args)
        if args.soak:
            soak.reads(run, _session, now.url, args.soak, now.pid)
        if args.soak_writes:
            soak.writes(run, _session, now.url, args.soak_writes, now.pid)


if __name__ == "__main__":
    main()
