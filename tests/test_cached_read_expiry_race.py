"""A cached answer is bounded by the holds live at the instant it was
computed. Time passing while the handler runs (simulated: the wall clock moves just before
the cache asks the engine for its next expiry) must not let a hold that expired meanwhile
drop out of that bound, or the answer stays stale until the next write."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.engine.inventory import Inventory
from booking_sandbox.timefmt import parse_instant
from tests.conftest import Api
from tests.korus.conftest import SEED_MOMENT, SEED_OFFER, Client, login, seed_item

AVAILABILITY = f"{SEED_OFFER}/availability"


class Wall:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def quantity(korus: Client) -> int:
    response = korus.get(AVAILABILITY)
    assert response.status_code == 200, response.text
    found: int = response.json()["availableQuantity"]
    return found


def test_a_hold_expiring_while_the_read_runs_still_bounds_the_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wall = Wall(parse_instant(SEED_MOMENT))
    slow = {"on": False}
    original = Inventory.next_expiry

    def next_expiry(self: Inventory, at: datetime | None = None) -> datetime | None:
        if slow["on"]:
            wall.now += timedelta(seconds=2)  # the read took two seconds
        return original(self, at)

    monkeypatch.setattr(Inventory, "next_expiry", next_expiry)
    app = create_app(Settings(start_time=parse_instant(SEED_MOMENT), wall=wall))
    with TestClient(app) as http:
        api = Api(http, "cache-race")
        korus = Client(api, login(api)["access_token"])
        before = quantity(korus)
        made = korus.post("/v1/booking/reservations/_bulk", json={"items": [seed_item(1)]})
        assert made.status_code == 200, made.text
        expires = parse_instant(made.json()["reservations"][0]["expiresAt"])
        wall.now = expires - timedelta(seconds=1)
        korus = Client(api, login(api)["access_token"])  # (the first token expired)
        slow["on"] = True
        assert quantity(korus) == before - 1  # computed while the hold was live
        slow["on"] = False
        wall.now = expires + timedelta(seconds=30)
        assert quantity(korus) == before  # the hold expired: not the answer from before
