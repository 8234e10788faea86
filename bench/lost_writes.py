"""Acknowledged writes lost across resets and state imports: must be 0 (issue 17, item 1).

python -m bench.lost_writes [--seconds 20] [--writers 16] [--namespaces 3] [--large 0.5]
                            [--url URL | --server-cmd "CMD ... --port {port} ..."]

Starts the server (`python -m booking_sandbox --port <free> --log-level warning`, or
`--server-cmd`, or none with `--url`). For `--seconds`, writer tasks create Booqable orders in a
few namespaces, each order tagged with its own marker; some bodies are small, some over the
middleware's 64 KiB read-ahead, padded with JSON whitespace and sent in chunks with pauses
between them. Meanwhile one task resets random namespaces and one exports and re-imports
random namespaces, each at random short intervals.

A write is lost when a GET of it (by id, with its marker) does not find it although no reset
or import of its namespace could have removed it: none was still running when the write's last
byte was sent (reset/import answered before that) or started after the GET was answered. Each
write is checked right after its 2xx, and every write its namespace's resets and imports spared
is checked again at the end. Every timestamp errs towards "it could have been removed", so a
loss reported is a write the server acknowledged after a reset or import had completed. The
exit status is 1 when any write was lost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import shlex
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import IO

import httpx2 as httpx

from booking_sandbox.testing.health import wait_healthy
from booking_sandbox.testing.live import free_port

ORDERS = "/api/boomerang/orders"
VENDOR = {"Authorization": "Bearer demo-api-key", "Content-Type": "application/vnd.api+json"}
NAMESPACE = "X-Sandbox-Namespace"
PEEK = 64 * 1024  # the traffic middleware's read-ahead: the first chunk of a large body passes it
DEFAULT_CMD = (
    f"{shlex.quote(sys.executable)} -m booking_sandbox --port {{port}} --log-level warning"
)


@dataclass
class Write:
    namespace: str
    marker: str
    order: str
    first_sent: float
    last_sent: float  # before the last byte went out: the server commits after this
    acked: float


@dataclass
class Run:
    """What every task shares: the disruptions per namespace, and the counts."""

    namespaces: list[str]
    # [started, answered] per reset or import (export requested .. import answered); an entry
    # still running has answered = inf.
    disruptions: dict[str, list[list[float]]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    acked: list[Write] = field(default_factory=list)
    losses: dict[str, str] = field(default_factory=dict)  # marker: what was seen
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    control: dict[str, str] = field(default_factory=dict)  # the control token's header, if any
    # In every marker: a record left by an earlier run against the same server never passes
    # for one of this run's (ids repeat after a reset).
    token: str = field(default_factory=lambda: os.urandom(4).hex())
    began: float = field(default_factory=time.monotonic)

    def begin(self, namespace: str) -> list[float]:
        entry = [time.monotonic(), math.inf]
        self.disruptions.setdefault(namespace, []).append(entry)
        return entry

    def spared(self, write: Write, until: float) -> bool:
        """No reset or import could have removed `write` before a GET answered at `until`.

        One removes it only if it ran after the commit (so was answered after the last byte
        was sent) and before the GET (so was started before the GET's answer).
        """
        spans = self.disruptions.get(write.namespace, ())
        return not any(end > write.last_sent and start < until for start, end in spans)

    def describe(self, write: Write, stage: str, status: int, answered: float) -> str:
        def at(moment: float) -> str:
            return f"{moment - self.began:.3f}"

        spans = self.disruptions.get(write.namespace, ())
        before = [end for _, end in spans if end < write.last_sent]
        last = f"last reset/import answered {at(max(before))}" if before else "no reset/import"
        return (
            f"{stage}: {write.namespace} order {write.order} ({write.marker}): body sent "
            f"{at(write.first_sent)}-{at(write.last_sent)} s, {last}, 2xx {at(write.acked)}, "
            f"GET {status} {at(answered)}"
        )

    def straddled(self, write: Write) -> bool:
        """A whole reset or import ran while the write's body was on its way: the race."""
        spans = self.disruptions.get(write.namespace, ())
        return any(start > write.first_sent and end < write.last_sent for start, end in spans)


def order_body(marker: str, padding: int) -> bytes:
    document = {
        "data": {
            "type": "orders",
            "attributes": {
                "starts_at": "2030-04-01T12:00:00Z",
                "stops_at": "2030-04-05T12:00:00Z",
                "tag_list": [marker],
            },
        }
    }
    text = json.dumps(document).encode()
    return text[:-1] + b" " * padding + text[-1:]  # whitespace is JSON: the same document


async def chunks(
    body: bytes, cuts: list[int], pause: Sequence[float], sent: list[float], rng: random.Random
) -> AsyncIterator[bytes]:
    """`body` in pieces with a pause before each after the first; the last send time in `sent`."""
    edges = [0, *cuts, len(body)]
    for k, (a, b) in enumerate(pairwise(edges)):
        if k:
            await asyncio.sleep(rng.uniform(*pause))
        sent.append(time.monotonic())
        yield body[a:b]


async def find(client: httpx.AsyncClient, run: Run, write: Write, stage: str) -> None:
    """GET the write; not found while spared is a loss."""
    answer = await client.get(
        f"{ORDERS}/{write.order}", headers={**VENDOR, NAMESPACE: write.namespace}
    )
    answered = time.monotonic()
    if answer.status_code == 200:
        tags = answer.json()["data"]["attributes"].get("tag_list") or []
        if write.marker in tags:
            run.counts[f"verified {stage}"] += 1
            return
    elif answer.status_code != 404:
        run.counts[f"unverifiable {stage} ({answer.status_code})"] += 1
        return
    # 404, or the id now names another order (ids start again after a reset)
    if run.spared(write, answered):
        run.losses.setdefault(
            write.marker, run.describe(write, stage, answer.status_code, answered)
        )
    else:
        run.counts[f"removed by a later reset/import ({stage})"] += 1


async def writer(
    client: httpx.AsyncClient, run: Run, number: int, args: argparse.Namespace
) -> None:
    rng = random.Random(args.seed * 1000 + number)
    count = 0
    while not run.stop.is_set():
        count += 1
        namespace, marker = rng.choice(run.namespaces), f"lw-{run.token}-{number}-{count}"
        large = rng.random() < args.large
        body = order_body(marker, rng.randint(PEEK + 16 * 1024, 200 * 1024) if large else 0)
        sent: list[float] = []
        cuts = (
            sorted(rng.sample(range(PEEK + 1024, len(body) - 1), rng.randint(1, 3)))
            if large
            else []
        )
        headers = {**VENDOR, NAMESPACE: namespace, "Content-Length": str(len(body))}
        run.counts["writes attempted"] += 1
        try:
            answer = await client.post(
                ORDERS, content=chunks(body, cuts, args.pause, sent, rng), headers=headers
            )
        except httpx.HTTPError as exc:
            run.refused[type(exc).__name__] += 1
            continue
        if not 200 <= answer.status_code < 300:
            run.refused[str(answer.status_code)] += 1
            continue
        order = answer.json()["data"]["id"]
        write = Write(namespace, marker, order, sent[0], sent[-1], time.monotonic())
        run.counts["writes acknowledged"] += 1
        if run.straddled(write):
            run.counts["acked with a whole reset/import inside"] += 1
        run.acked.append(write)
        await find(client, run, write, "right after the ack")


async def disrupt(client: httpx.AsyncClient, run: Run, kind: str, args: argparse.Namespace) -> None:
    """Reset or export-and-import random namespaces until the run stops."""
    rng = random.Random(args.seed * 1000 + (998 if kind == "reset" else 999))
    low, high = args.reset_every if kind == "reset" else args.import_every
    control = {"Content-Type": "application/json", **run.control}
    while not run.stop.is_set():
        await asyncio.sleep(rng.uniform(low, high))
        namespace = rng.choice(run.namespaces)
        headers = {**control, NAMESPACE: namespace}
        entry = run.begin(namespace)
        try:
            if kind == "reset":
                answer = await client.post("/_sandbox/reset", content=b"{}", headers=headers)
            else:
                state = await client.get("/_sandbox/state", headers=headers)
                answer = await client.put("/_sandbox/state", content=state.content, headers=headers)
        except httpx.HTTPError as exc:
            run.counts[f"{kind}s failed ({type(exc).__name__})"] += 1
            continue
        finally:  # (a failed one may still have run: it stays on the list)
            entry[1] = time.monotonic()
        ok = answer.status_code == 200
        run.counts[f"{kind}s" if ok else f"{kind}s refused ({answer.status_code})"] += 1


async def drive(url: str, args: argparse.Namespace) -> Run:
    run = Run([f"lw-{k}" for k in range(args.namespaces)])
    if args.control_token:
        run.control = {"Authorization": f"Bearer {args.control_token}"}
    limits = httpx.Limits(
        max_connections=args.writers + 4, max_keepalive_connections=args.writers + 4
    )
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        for namespace in run.namespaces:  # from the fixtures, whatever an earlier run left
            headers = {"Content-Type": "application/json", **run.control, NAMESPACE: namespace}
            answer = await client.post("/_sandbox/reset", content=b"{}", headers=headers)
            answer.raise_for_status()
        run.began = time.monotonic()
        tasks = [asyncio.create_task(writer(client, run, n, args)) for n in range(args.writers)]
        tasks += [asyncio.create_task(disrupt(client, run, k, args)) for k in ("reset", "import")]
        await asyncio.sleep(args.seconds)
        run.stop.set()
        await asyncio.gather(*tasks)
        for write in run.acked:  # nothing disrupts any more: each spared write must be there
            if run.spared(write, math.inf):
                await find(client, run, write, "at the end")
    return run


def start_server(template: str, log: IO[bytes]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        shlex.split(template.format(port=port)), stdout=subprocess.DEVNULL, stderr=log
    )
    url = f"http://127.0.0.1:{port}"

    def running() -> None:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited {process.returncode}")

    wait_healthy(url, 30, poll=0.05, check=running)
    return process, url


def report(run: Run, args: argparse.Namespace, server_log: str) -> int:
    counts = run.counts
    print(f"{args.seconds:g} s, {args.writers} writers, namespaces {', '.join(run.namespaces)}")
    for key in ("writes attempted", "writes acknowledged", "resets", "imports"):
        print(f"{key:<48} {counts.pop(key, 0):>8,}")
    refused = ", ".join(f"{k}: {v:,}" for k, v in sorted(run.refused.items())) or "none"
    print(f"{'writes refused (by status or error)':<48} {refused}")
    for key, value in sorted(counts.items()):
        print(f"{key:<48} {value:>8,}")
    print(f"{'LOST (acknowledged, then not found)':<48} {len(run.losses):>8,}")
    for line in list(run.losses.values())[:10]:
        print(f"  {line}")
    tail = [line for line in server_log.splitlines() if line.strip() and "serving on" not in line]
    if tail:
        print(f"server stderr ({len(tail)} lines), last ones:")
        print("\n".join(f"  {line}" for line in tail[-10:]))
    return 1 if run.losses else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="how long to write")
    parser.add_argument("--writers", type=int, default=16, help="concurrent writer tasks")
    parser.add_argument("--namespaces", type=int, default=3)
    parser.add_argument("--large", type=float, default=0.5, help="share of slow >64 KiB bodies")
    for flag, low, high, what in (
        ("--pause", 0.02, 0.2, "seconds between the chunks of a large body"),
        ("--reset-every", 0.01, 0.1, "seconds between two resets"),
        ("--import-every", 0.02, 0.2, "seconds between two imports"),
    ):
        parser.add_argument(
            flag, type=float, nargs=2, metavar=("MIN", "MAX"), default=[low, high], help=what
        )
    parser.add_argument("--seed", type=int, default=1, help="for the random choices")
    parser.add_argument("--control-token", help="the server's control-plane token, if it has one")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--url", help="a running server; none is started")
    target.add_argument(
        "--server-cmd",
        default=DEFAULT_CMD,
        help="the command that starts the server, {port} for its port",
    )
    args = parser.parse_args()
    if args.url:
        return report(asyncio.run(drive(args.url, args)), args, "")
    with tempfile.TemporaryFile() as log:  # a file: a full pipe would stall the server
        process, url = start_server(args.server_cmd, log)
        try:
            run = asyncio.run(drive(url, args))
        finally:
            process.terminate()
            process.wait(timeout=30)
        log.seek(0)
        return report(run, args, log.read().decode("utf-8", errors="replace"))


if __name__ == "__main__":
    sys.exit(main())
