"""Korus hot paths on the real server: req/s, latency percentiles, server CPU per operation.

python -m bench.korus_bench [--seconds 5] [--concurrency 16]

Same method as bench/pontcentral_bench.py (the real console script, one uvicorn worker, a Python
asyncio client, each scenario in its own namespace, the state checked afterwards for oversold
pools), at seed 001's moment. A reservation holds one place of a session-less ticket of 500,
so each is released again (DELETE) to keep capacity for the whole run.
"""

from __future__ import annotations

import argparse
import asyncio

import httpx2 as httpx

from bench.pontcentral_bench import Step, cpu_seconds, drive_with, peak_rss_mib
from sandbox.testing.live import LiveServer

SEED_MOMENT = "2025-01-29T07:55:53Z"
CATALOG = "/v1/ticketing/catalogs/0194abdc-3a71-72b0-a9b9-89d4be0cd73e"
OFFER = f"{CATALOG}/offers/0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8eb0"  # one day ticket, 100 places
ITEM = {"items": [{"offer": OFFER, "quantity": 1}]}
CUSTOMER = {"firstname": "Bench", "lastname": "Mark", "email": "bench@example.com"}


async def login(client: httpx.AsyncClient) -> None:
    await client.put("/_sandbox/clock", json={"now": SEED_MOMENT, "frozen": True})
    token = await client.post(
        "/realms/korusticket/protocol/openid-connect/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "demo-client",
            "client_secret": "demo-secret",
        },
    )
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"


async def reserve_release(client: httpx.AsyncClient, n: int) -> bool:
    made = await client.post("/v1/booking/reservations/_bulk", json=ITEM)
    if made.status_code != 200 or not made.json()["reservations"]:
        return False
    iri = made.json()["reservations"][0]["@id"]
    return (await client.delete(iri)).status_code == 204


async def reserve_order_cancel(client: httpx.AsyncClient, n: int) -> bool:
    made = await client.post("/v1/booking/reservations/_bulk", json=ITEM)
    if made.status_code != 200 or not made.json()["reservations"]:
        return False
    body = {"reservations": [made.json()["reservations"][0]["@id"]], "customer": CUSTOMER}
    ordered = await client.post("/v1/booking/orders/_bulk", json=body)
    if ordered.status_code != 200:
        return False
    order = ordered.json()["orders"][0]["@id"]
    return (await client.post(f"{order}/_cancel", json={})).status_code == 200


async def availability(client: httpx.AsyncClient, n: int) -> bool:
    return (await client.get(f"{OFFER}/availability")).status_code == 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    server = LiveServer("--start-time", SEED_MOMENT)
    try:
        server.wait_healthy()
        scenarios: dict[str, Step] = {
            "GET offer availability": availability,
            "POST reservations/_bulk + DELETE": reserve_release,
            "reserve + orders/_bulk + _cancel": reserve_order_cancel,
        }
        print(f"c={args.concurrency}, {args.seconds:g} s per scenario, Python asyncio client")
        head = f"{'scenario':38} {'ops/s':>7} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7}"
        print(f"{head} {'server CPU ms/op':>16} errors")
        pid = server.process.pid
        for i, (name, step) in enumerate(scenarios.items()):
            cpu = cpu_seconds(pid)
            r = asyncio.run(
                drive_with(server.url, f"kbench-{i}", step, args.seconds, args.concurrency, login)
            )
            per_op = (cpu_seconds(pid) - cpu) * 1000 / (r["ops/s"] * args.seconds)
            print(
                f"{name:38} {r['ops/s']:7.0f} {r['p50 ms']:7.1f} {r['p90 ms']:7.1f}"
                f" {r['p99 ms']:7.1f} {per_op:16.2f} {r['errors']:.0f}"
            )
        print(f"server peak RSS: {peak_rss_mib(pid):.0f} MiB")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
