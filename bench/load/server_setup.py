"""The servers `python -m bench.load` compares, started and checked before any load: the bare
app and WireMock on the bytes the sandbox recorded, the baseline revision's sandbox, today's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from bench.load import wiremock
from bench.load.paths import HotPath
from bench.load.results import Result
from bench.load.revision import Sandbox, worktree
from bench.load.servers import Bare, record, verify
from booking_sandbox.testing.live import LiveServer

Runner = Callable[[str, HotPath, Mapping[str, str], int, float], Result]


class Server(NamedTuple):
    name: str  # its column in the side-by-side table
    url: str
    pid: int
    sandbox: bool  # prepares a namespace of its own and has its state checked
    instrumented: bool = False


def record_paths(url: str, paths: list[HotPath]) -> dict[str, list[dict[str, Any]]]:
    return {p.key: record(url, p, f"record-{p.key}") for p in paths}


def recorded_routes(recorded: Mapping[str, list[dict[str, Any]]]) -> dict[tuple[str, str], Any]:
    # Two paths may record the same route: the bare app (and WireMock) answer with the first.
    routes: dict[tuple[str, str], dict[str, Any]] = {}
    for item in (r for chain in recorded.values() for r in chain):
        routes.setdefault((item["method"], item["route"]), item)
    return routes


def start_bare(url: str, paths: list[HotPath], spec: Path) -> Bare:
    """Record each path on the sandbox, start the bare app on those bytes, and check it."""
    recorded = record_paths(url, paths)
    routes = recorded_routes(recorded)
    bare = Bare(list(routes.values()), spec)
    for p in paths:
        bare.verify(p, [routes[r["method"], r["route"]] for r in recorded[p.key]])
    return bare


def start_wiremock(
    url: str, paths: list[HotPath], root: Path, run: Runner, args: Any
) -> tuple[Server, wiremock.WireMock]:
    """WireMock on the recorded bytes, checked like the bare app, then warmed up."""
    recorded = record_paths(url, paths)
    routes = recorded_routes(recorded)
    mock = wiremock.WireMock(list(routes.values()), root)
    extra: set[str] = set()
    for p in paths:
        want = [routes[r["method"], r["route"]] for r in recorded[p.key]]
        extra |= verify(mock.url, p, want, more_headers=True)
    print(f"WireMock: same status, headers and body bytes; headers of its own: {sorted(extra)}")
    each = args.wiremock_warmup / len(paths)
    if each > 0:
        print(f"WireMock warm-up: {args.wiremock_warmup:g} s of load over the paths", flush=True)
        for p in paths:
            run(mock.url, p, {"X-Sandbox-Namespace": "warm-up"}, max(args.connections), each)
    version = wiremock.jar().name.rsplit("-", 1)[-1].removesuffix(".jar")
    return Server(f"WireMock {version}", mock.url, mock.process.pid, False), mock


@contextmanager
def start_sandboxes(args: Any, stack: ExitStack) -> Iterator[list[Server]]:
    """The baseline revision's sandbox (when asked) and today's, healthy; today's last."""
    found: list[Server] = []
    if args.baseline_rev:
        tree = stack.enter_context(worktree(args.baseline_rev))
        old = Sandbox(args.server_arg, code=tree, instrumented=args.tails)
        stack.callback(old.stop)
        old.wait_healthy()
        name = f"sandbox at {args.baseline_rev}"
        found.append(Server(name, old.url, old.process.pid, True, args.tails))
    box: Sandbox | LiveServer
    if args.tails:  # the same main(), started by the bench's instrumented module
        box = Sandbox(args.server_arg, instrumented=True)
    else:
        box = LiveServer(*args.server_arg)
    stack.callback(box.stop)
    box.wait_healthy()
    found.append(Server("sandbox now", box.url, box.process.pid, True, args.tails))
    yield found
