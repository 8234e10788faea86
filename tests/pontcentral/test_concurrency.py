"""64 clients racing for one slot on the real server: exactly its capacity is sold."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import pytest

from booking_sandbox.testing.live import LiveServer
from tests.conftest import Api
from tests.pontcentral.conftest import Partner, at_seed_moment, seed_request, token_for

CLIENTS = 64


@pytest.mark.live
def test_parallel_creates_sell_exactly_the_capacity(live_server: LiveServer) -> None:
    namespace = f"race-{uuid.uuid4().hex[:8]}"
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    with httpx.Client(base_url=live_server.url, timeout=30, limits=limits) as client:
        api = Api(client, namespace)
        at_seed_moment(api)
        pc = Partner(api, token_for(api))
        # RES-EIFFEL-1000 holds 50 people at 10:00; 64 bookings of one person race for it.
        body = seed_request(quantities=[{"label": "adult", "quantity": 1, "price": 75}])
        with ThreadPoolExecutor(CLIENTS) as pool:
            responses = list(
                pool.map(lambda _: pc.post("/bookings/create", json=body), range(CLIENTS))
            )
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200] * 50 + [409] * 14
        numbers = {r.json()["booking"]["bookingNumber"] for r in responses if r.status_code == 200}
        assert len(numbers) == 50
        assert sum(a["quantity"] for a in pc.allocations()) == 50
        listed = pc.get("/bookings", params={"limit": 100}).json()
        assert listed["pagination"]["total"] == 50
