"""`GET /_sandbox/inventory` on large catalogs: CPU (and wall) ms per request, cold and warm.

python -m bench.inventory [--sizes 1000,10000,100000] [--rounds 5] [--holds 100] [--requests 10]
                          [--others N] [--needle TEXT] [--no-memory]

For each size, `booking-sandbox generate --vendor korus --size N` writes a Korus catalog of N
sessions beside the bundled Pont Central and Booqable fixtures (`--others N`: generated ones of
N slots/products instead), and an app is built on it as
bench.profile_hotpaths builds one, with the server process's garbage-collector settings
(`collect_rarely`: start-up objects frozen, rare full collections). Each round uses a fresh
namespace, the clock frozen at seed 001's moment (the generated sessions lie after it):

- `namespace`: its first request (a clock PUT: the catalog copied, the pools built), for scale;
- `--holds` Korus reservations of one place, made untimed through the vendor API
  (`POST /v1/booking/reservations/_bulk` as `demo-client`, each on another session);
- `first`: the first `GET /_sandbox/inventory` (the pools' descriptions built and kept), then
  `--requests` timed each of: the default page (100), `?busy=true`, `?pool=<needle>` (the
  first one alone: it case-folds every id and label once), `?vendor=korus&offset=<last page>`.

Each request is timed with time.process_time (CPU: other load on the machine moves it less
than wall time) and time.perf_counter (wall) around the ASGI call. A figure is the median over
rounds of the per-round mean, with the rounds' min-max. Memory: in one more namespace,
tracemalloc's traced bytes still held after the first request (the descriptions) and after the
first search (the case-folded keys), the answers' bodies dropped; a warm request's is the
control (about 0)."""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.load import paths as hot
from bench.profile_hotpaths import Client, build_app, check, korus_login
from booking_sandbox.__main__ import collect_rarely
from booking_sandbox.core.paths import bundled

INVENTORY = "/_sandbox/inventory"
RESERVE = "/v1/booking/reservations/_bulk"
# Rows in print order: label, what is timed.
ROWS = {
    "namespace": "first request of a namespace (PUT /clock: catalog copied, pools built)",
    "first": "first GET /inventory of the namespace (descriptions built)",
    "warm": "GET /inventory (default page of 100)",
    "busy": "?busy=true",
    "search-first": "?pool=<needle>, first search of the namespace",
    "search": "?pool=<needle>",
    "deep": "?vendor=korus&offset=<last page>",
}


def generate(out: Path, size: int, others: int) -> None:
    """The CLI's Korus catalog starting at seed 001's moment, plus the other vendors: the
    bundled ones, or generated at `others` slots/products when it is not 0."""

    def cli(vendor: str, count: int) -> None:
        command = [sys.executable, "-m", "booking_sandbox", "generate", "--out", str(out)]
        command += ["--vendor", vendor, "--size", str(count), "--seed", "1"]
        command += ["--start", hot.KORUS_MOMENT]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    cli("korus", size)
    for vendor in ("pontcentral", "booqable"):
        if others:
            cli(vendor, others)
        else:
            shutil.copy(bundled("fixtures") / f"{vendor}.json", out / f"{vendor}.json")


@contextmanager
def server_gc() -> Iterator[None]:
    """The server's collector settings for one app, undone after it (so the next size's run
    does not carry this one's frozen objects)."""
    thresholds = gc.get_threshold()
    collect_rarely()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        gc.collect()


def hold_items(catalog: dict[str, Any], wanted: int) -> list[dict[str, Any]]:
    """`wanted` one-place reservation items of demo-client's organization, each taking another
    session where the offer has sessions (its j-th open one), cycling when they run out."""
    organization = catalog["serviceAccounts"][0]["organization"]  # demo-client's
    offers = []
    for cat in catalog["catalogs"]:
        if cat["organization"] != organization:
            continue
        for offer in cat["offers"]:
            if offer["onSale"]:
                iri = f"/v1/ticketing/catalogs/{cat['id']}/offers/{offer['id']}"
                offers.append((iri, offer))
    items: list[dict[str, Any]] = []
    j = 0
    while len(items) < wanted and j < 10_000:
        for iri, offer in offers:
            choices = []
            for ticket in offer["tickets"]:
                open_ = [s for s in ticket["sessions"] if s["status"] == "open"]
                if open_:
                    session = open_[j % len(open_)]
                    ticket_iri = f"{iri}/tickets/{ticket['id']}"
                    choices.append(
                        {"ticket": ticket_iri, "session": session_iri(ticket_iri, session)}
                    )
            items.append({"offer": iri, "quantity": 1, "ticketSessions": choices})
        j += 1
    return items[:wanted]


def session_iri(ticket_iri: str, session: dict[str, Any]) -> str:
    return f"{ticket_iri}/sessions/{session['id']}"


async def make_holds(client: Client, items: list[dict[str, Any]]) -> int:
    """One reservation per item; returns how many held (a past or full session is skipped)."""
    made = 0
    for item in items:
        answer = await client.request("POST", RESERVE, json_body={"items": [item]})
        if answer.status == 200 and answer.json()["reservations"]:
            made += 1
    return made


class Timer:
    """CPU and wall seconds per label, for one round."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.wall: dict[str, list[float]] = {}

    async def get(self, label: str, url: str) -> dict[str, Any]:
        start = time.perf_counter()
        answer = await self.client.request("GET", url, timed=label)
        self.wall.setdefault(label, []).append(time.perf_counter() - start)
        result: dict[str, Any] = check(answer, 200).json()
        return result

    async def put_clock(self) -> None:
        start = time.perf_counter()
        body = {"now": hot.KORUS_MOMENT, "frozen": True}
        check(
            await self.client.request("PUT", "/_sandbox/clock", json_body=body, timed="namespace"),
            200,
        )
        self.wall.setdefault("namespace", []).append(time.perf_counter() - start)

    def means(self) -> dict[str, tuple[float, float]]:
        """(CPU ms, wall ms) per label: the mean of the round's requests."""
        return {
            label: (
                statistics.fmean(self.client.timings[label]) * 1e3,
                statistics.fmean(self.wall[label]) * 1e3,
            )
            for label in self.wall
        }


def expect(condition: bool, message: str) -> None:
    """The answers' sanity checks (not asserts: they hold under -O too)."""
    if not condition:
        raise RuntimeError(message)


def urls(needle: str, deep: int) -> dict[str, str]:
    return {
        "warm": INVENTORY,
        "busy": f"{INVENTORY}?busy=true",
        "search": f"{INVENTORY}?{urlencode({'pool': needle})}",
        "deep": f"{INVENTORY}?vendor=korus&offset={deep}",
    }


async def one_round(
    app: Any, name: str, items: list[dict[str, Any]], args: argparse.Namespace
) -> tuple[dict[str, tuple[float, float]], dict[str, int]]:
    """One fresh namespace: its timings, and what the answers counted (for the checks)."""
    client = Client(app, name)
    timer = Timer(client)
    await timer.put_clock()
    await korus_login(client)
    held = await make_holds(client, items)
    first = await timer.get("first", INVENTORY)
    probe = await client.request("GET", f"{INVENTORY}?vendor=korus&limit=1")
    korus: int = check(probe, 200).json()["total"]
    deep = max(0, korus - 100)  # the last page of 100
    links = urls(args.needle, deep)
    found = await timer.get("search-first", links["search"])
    counts = {"pools": first["total"], "korus": korus, "held": held, "matched": found["total"]}
    for _ in range(args.requests):
        for label, url in links.items():
            answer = await timer.get(label, url)
            if label == "busy":
                counts["busy"] = answer["total"]
                # Every listed pool shows an allocation: the filter is not an empty pass.
                expect(all(p["allocations"] for p in answer["pools"]), "a busy pool without one")
            if label == "deep":
                expect(bool(answer["pools"]) and answer["offset"] == deep, "the deep page is empty")
    if held and args.requests:
        expect(counts["busy"] >= 1, "holds made but no busy pool")
    check(await client.request("POST", "/_sandbox/reset", json_body={}), 200)  # its memory
    return timer.means(), counts


async def retained(app: Any, name: str, needle: str) -> dict[str, int]:
    """Traced bytes still held after the first request, the first search and a warm request
    (the answers dropped): what the namespace keeps for the inventory."""
    client = Client(app, name)
    await client.clock(hot.KORUS_MOMENT)
    search = urls(needle, 0)["search"]
    kept = {}
    tracemalloc.start()
    try:
        for label, url in (("descriptions", INVENTORY), ("folded", search), ("warm", INVENTORY)):
            before = tracemalloc.get_traced_memory()[0]
            check(await client.request("GET", url), 200)  # the answer dropped at once
            kept[label] = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    check(await client.request("POST", "/_sandbox/reset", json_body={}), 200)
    return kept


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):,.1f} ({min(values):,.1f}-{max(values):,.1f})"


async def run_size(size: int, args: argparse.Namespace, workdir: Path) -> None:
    out = workdir / f"korus-{size}"
    generate(out, size, args.others)
    items = hold_items(json.loads((out / "korus.json").read_text("utf-8")), args.holds)
    app = build_app(["--fixtures", str(out)])
    with server_gc():
        cpu: dict[str, list[float]] = {}
        wall: dict[str, list[float]] = {}
        counts: dict[str, int] = {}
        for r in range(args.rounds):
            means, counts = await one_round(app, f"inventory-{size}-{r}", items, args)
            for label, (c, w) in means.items():
                cpu.setdefault(label, []).append(c)
                wall.setdefault(label, []).append(w)
        memory = await retained(app, f"inventory-{size}-memory", args.needle) if args.memory else {}
    del app
    others = f"{args.others:,} generated" if args.others else "bundled"
    print(
        f"\n{size:,} Korus sessions, {others} Pont Central and Booqable: "
        f"{counts['pools']:,} pools ({counts['korus']:,} Korus), "
        f"{counts['held']} holds -> {counts.get('busy', 0)} busy pools, "
        f"needle {args.needle!r} matches {counts['matched']:,}"
    )
    print("| request | CPU ms, median (min-max) | wall ms, median (min-max) |")
    print("|---|---:|---:|")
    for label, title in ROWS.items():
        print(f"| {title} | {spread(cpu[label])} | {spread(wall[label])} |")
    if memory:
        mib = {k: v / 2**20 for k, v in memory.items()}
        print(
            f"kept by the namespace (tracemalloc): descriptions {mib['descriptions']:.2f} MiB, "
            f"case-folded keys {mib['folded']:.2f} MiB, a warm request {mib['warm']:.2f} MiB"
        )
    sys.stdout.flush()


def machine() -> str:
    """What else ran: the load average over the last minute, beside the core count."""
    return f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"


async def run(args: argparse.Namespace) -> None:
    print(f"Python {platform.python_version()}, {platform.machine()}; {machine()} at the start")
    print(
        f"{args.rounds} rounds, {args.requests} warm requests of each kind per round, "
        f"{args.holds} Korus holds; ms per request"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            await run_size(size, args, Path(tmp))
    print(f"\n{machine()} at the end")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="Korus sessions, comma-separated"
    )
    parser.add_argument("--rounds", type=int, default=5, help="fresh namespaces per size")
    parser.add_argument("--holds", type=int, default=100, help="Korus reservations per namespace")
    parser.add_argument(
        "--requests", type=int, default=10, help="warm requests of each kind per round"
    )
    parser.add_argument(
        "--others", type=int, default=0, help="Pont Central/Booqable size (0: the bundled ones)"
    )
    parser.add_argument("--needle", default="grand parc", help="the ?pool= search")
    parser.add_argument("--no-memory", dest="memory", action="store_false", help="skip tracemalloc")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
