"""Booqable's `GET /orders/new` makes an order (a write through a GET), so
the cached order list must not answer from before it."""

from __future__ import annotations

from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from tests.conftest import START

HEADERS = {"Authorization": "Bearer demo-api-key", "X-Sandbox-Namespace": "cache-new"}


def test_orders_new_shows_in_the_next_cached_list() -> None:
    app = create_app(Settings(start_time=parse_instant(START)))
    with TestClient(app) as http:
        before = http.get("/api/boomerang/orders", headers=HEADERS)
        assert before.status_code == 200, before.text
        made = http.get("/api/boomerang/orders/new", headers=HEADERS)
        assert made.status_code == 200, made.text
        listed = http.get("/api/boomerang/orders", headers=HEADERS).json()["data"]
        assert made.json()["data"]["id"] in [order["id"] for order in listed]
        assert len(listed) == len(before.json()["data"]) + 1
