"""50 clients racing for a session of 10 on the real server: exactly 10 reservations."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import pytest

from booking_sandbox.testing.live import LiveServer
from tests.conftest import Api
from tests.korus.conftest import Client, login

CATALOG = "0194abdc-3a71-72b0-a9b9-89d4be0cd73e"
OFFER = f"/v1/ticketing/catalogs/{CATALOG}/offers/0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8e90"
TICKET = f"{OFFER}/tickets/0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8e91"
SESSION = f"{TICKET}/sessions/0194ac41-2b3c-7d10-8e4f-5a6b7c8d9e05"  # capacity 10


@pytest.mark.live
def test_parallel_reservations_hold_exactly_the_capacity(live_server: LiveServer) -> None:
    limits = httpx.Limits(max_connections=50, max_keepalive_connections=50)
    with httpx.Client(base_url=live_server.url, timeout=30, limits=limits) as client:
        api = Api(client, f"race-{uuid.uuid4().hex[:8]}")
        korus = Client(api, login(api)["access_token"])
        body = {
            "items": [
                {
                    "offer": OFFER,
                    "quantity": 1,
                    "ticketSessions": [{"ticket": TICKET, "session": SESSION}],
                }
            ]
        }
        with ThreadPoolExecutor(50) as pool:
            responses = list(
                pool.map(
                    lambda _: korus.post("/v1/booking/reservations/_bulk", json=body), range(50)
                )
            )
        assert all(r.status_code == 200 for r in responses)
        held = [r for r in responses if r.json()["reservations"]]
        failed = [r for r in responses if r.json()["failedReservations"]]
        assert (len(held), len(failed)) == (10, 40)
        assert failed[0].json()["failedReservations"][0]["message"] == "Offer is sold out"
        listed = korus.get("/v1/booking/reservations", params={"itemsPerPage": 50}).json()
        assert listed["totalItems"] == 10
