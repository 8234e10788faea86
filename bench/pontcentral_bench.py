"""Pont Central hot paths on the real server: req/s and latency percentiles.

python bench/pontcentral_bench.py [--seconds 5] [--concurrency 16]

Starts the `booking-sandbox` console script (one uvicorn worker) at seed 002's moment and drives
it with a Python asyncio client (httpx, keep-alive; no wrk on these machines), each scenario in
a namespace of its own. The client shares the 2 cores with the server, so the figures are a
floor for the server, not its limit; the server's own CPU time per operation (from /proc) is
the figure to compare between versions. After the run the namespace's state is checked: no
resource is sold beyond its capacity.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx2 as httpx

from sandbox.testing.live import LiveServer

SEED_MOMENT = "2026-03-20T10:00:00Z"
Step = Callable[[httpx.AsyncClient, int], Awaitable[bool]]


def booking(day: int) -> dict[str, object]:
    return {
        "partnerId": 42,
        "items": [
            {
                "productCode": "TOUR-SEINE-CRUISE",
                "reservationDateTime": f"2026-04-{1 + day % 28:02d}T14:00:00",
                "quantities": [{"label": "adult", "quantity": 1, "price": 35}],
            }
        ],
        "customer": {"firstName": "Bench"},
    }


async def availabilities(client: httpx.AsyncClient, n: int) -> bool:
    body = {"productCode": "PROD-001", "startDateTime": "2026-03-25", "quantity": 2}
    return (await client.post("/api/v1/availabilities", json=body)).status_code == 200


async def products(client: httpx.AsyncClient, n: int) -> bool:
    return (await client.get("/api/v1/products")).status_code == 200


async def create_and_cancel(client: httpx.AsyncClient, n: int) -> bool:
    created = await client.post("/api/v1/bookings/create", json=booking(n))
    if created.status_code != 200:
        return False
    number = created.json()["booking"]["bookingNumber"]
    return (await client.delete(f"/api/v1/bookings/{number}")).status_code == 200


Login = Callable[[httpx.AsyncClient], Awaitable[None]]


async def pontcentral_login(client: httpx.AsyncClient) -> None:
    await client.put("/_sandbox/clock", json={"now": SEED_MOMENT, "frozen": True})
    token = await client.post(
        "/api/v1/auth/token", json={"client_id": "demo-partner", "client_secret": "demo-secret"}
    )
    client.headers["Authorization"] = f"Bearer {token.json()['data']['access_token']}"


async def drive_with(
    url: str, namespace: str, step: Step, seconds: float, workers: int, login: Login
) -> dict[str, float]:
    """Run `step` from `workers` coroutines for `seconds` in a fresh namespace; then check it."""
    limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)
    headers = {"X-Sandbox-Namespace": namespace}
    async with httpx.AsyncClient(base_url=url, limits=limits, headers=headers) as client:
        await login(client)
        latencies: list[float] = []
        errors = 0
        deadline = time.perf_counter() + seconds
        counter = iter(range(10**9))

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                ok = await step(client, next(counter))
                latencies.append(time.perf_counter() - start)
                errors += not ok

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(workers)))
        elapsed = time.perf_counter() - began
        await check_not_oversold(client)
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "ops/s": len(latencies) / elapsed,
        "p50 ms": cuts[49] * 1000,
        "p90 ms": cuts[89] * 1000,
        "p99 ms": cuts[98] * 1000,
        "errors": errors,
    }


async def check_not_oversold(client: httpx.AsyncClient) -> None:
    state = (await client.get("/_sandbox/state")).json()
    capacity = {p["id"]: p["capacity"] for p in state["inventory"]["pools"]}
    for alloc in state["inventory"]["allocations"]:
        if alloc["status"] == "confirmed":
            assert alloc["quantity"] <= capacity[alloc["pool"]], alloc


def cpu_seconds(pid: int) -> float:
    """User + system CPU the server process has used (clock ticks in /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_scenarios(
    doc: str, start_time: str, scenarios: dict[str, Step], login: Login, prefix: str
) -> None:
    """Parse --seconds/--concurrency, start the server, drive each scenario, print the table."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    server = LiveServer("--start-time", start_time)
    try:
        server.wait_healthy()
        width = max(len(name) for name in scenarios) + 2
        print(f"c={args.concurrency}, {args.seconds:g} s per scenario, Python asyncio client")
        head = f"{'scenario':{width}} {'ops/s':>7} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7}"
        print(f"{head} {'server CPU ms/op':>16} errors")
        pid = server.process.pid
        for i, (name, step) in enumerate(scenarios.items()):
            cpu = cpu_seconds(pid)
            r = asyncio.run(
                drive_with(server.url, f"{prefix}-{i}", step, args.seconds, args.concurrency, login)
            )
            # Includes the set-up and the state check of the scenario: a slight overestimate.
            per_op = (cpu_seconds(pid) - cpu) * 1000 / (r["ops/s"] * args.seconds)
            print(
                f"{name:{width}} {r['ops/s']:7.0f} {r['p50 ms']:7.1f} {r['p90 ms']:7.1f}"
                f" {r['p99 ms']:7.1f} {per_op:16.2f} {r['errors']:.0f}"
            )
        print(f"server peak RSS: {peak_rss_mib(pid):.0f} MiB")
    finally:
        server.stop()


def main() -> None:
    scenarios: dict[str, Step] = {
        "POST /availabilities (PROD-001, 1 day)": availabilities,
        "GET /products": products,
        "POST /bookings/create + DELETE (one op)": create_and_cancel,
    }
    run_scenarios(__doc__ or "", SEED_MOMENT, scenarios, pontcentral_login, "bench")


if __name__ == "__main__":
    main()
