"""Booqable hot paths on the real server: req/s, latency percentiles, server CPU per operation.

python -m bench.booqable_bench [--seconds 5] [--concurrency 16]

Same method as bench/pontcentral_bench.py (the real console script, one uvicorn worker, a Python
asyncio client, each scenario in its own namespace, the state checked afterwards for oversold
pools). The booking scenario creates an order for a period of its own, books a chair, reserves
it (the shortage check) and cancels it, so stock lasts the whole run.
"""

from __future__ import annotations

from typing import Any

import httpx2 as httpx

from bench.pontcentral_bench import Step, run_scenarios

SEED_MOMENT = "2022-01-12T14:03:25Z"
API = "/api/boomerang"
ORDER = "09d04c6d-779b-444e-ab5c-d4567a5a8f72"  # seed 003's reserved order
CHAIR = "69a6ac18-244e-4b1e-b2e1-c88d155b51e5"  # bulk, stock 8


async def login(client: httpx.AsyncClient) -> None:
    client.headers["Authorization"] = "Bearer demo-api-key"


def _doc(kind: str, **attributes: Any) -> dict[str, Any]:
    return {"data": {"type": kind, "attributes": attributes}}


async def order_with_lines(client: httpx.AsyncClient, n: int) -> bool:
    found = await client.get(f"{API}/orders/{ORDER}?include=lines,plannings")
    return found.status_code == 200


async def book_reserve_cancel(client: httpx.AsyncClient, n: int) -> bool:
    day = 1 + n % 28  # spread over a month so overlapping orders also exercise the index
    made = await client.post(
        f"{API}/orders",
        json=_doc(
            "orders",
            starts_at=f"2030-01-{day:02d}T09:00:00Z",
            stops_at=f"2030-01-{day:02d}T17:00:00Z",
        ),
    )
    if made.status_code != 201:
        return False
    order = made.json()["data"]["id"]
    items = [{"type": "products", "id": CHAIR, "quantity": 1}]
    booked = await client.post(
        f"{API}/order_bookings", json=_doc("order_bookings", order_id=order, items=items)
    )
    if booked.status_code != 201:
        return False
    for current, wanted in (("new", "reserved"), ("reserved", "canceled")):
        moved = await client.post(
            f"{API}/order_status_transitions",
            json=_doc(
                "order_status_transitions",
                order_id=order,
                transition_from=current,
                transition_to=wanted,
            ),
        )
        if moved.status_code != 200:
            return False
    return True


def main() -> None:
    scenarios: dict[str, Step] = {
        "GET /orders/{id}?include=lines,plannings": order_with_lines,
        "orders + order_bookings + reserve + cancel": book_reserve_cancel,
    }
    run_scenarios(__doc__ or "", SEED_MOMENT, scenarios, login, "bqbench")


if __name__ == "__main__":
    main()
