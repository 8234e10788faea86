"""Korus hot paths on the real server: req/s, latency percentiles, server CPU per operation.

python -m bench.korus_bench [--seconds 5] [--concurrency 16]

Same method as bench/pontcentral_bench.py (the real console script, one uvicorn worker, a Python
asyncio client, each scenario in its own namespace, the state checked afterwards for oversold
pools), at seed 001's moment. A reservation holds one place of a session-less ticket of 500,
so each is released again (DELETE) to keep capacity for the whole run.
"""

from __future__ import annotations

import httpx2 as httpx

from bench.pontcentral_bench import Step, run_scenarios

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
    scenarios: dict[str, Step] = {
        "GET offer availability": availability,
        "POST reservations/_bulk + DELETE": reserve_release,
        "reserve + orders/_bulk + _cancel": reserve_order_cancel,
    }
    run_scenarios(__doc__ or "", SEED_MOMENT, scenarios, login, "kbench")


if __name__ == "__main__":
    main()
