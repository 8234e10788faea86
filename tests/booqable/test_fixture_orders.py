"""Fixture orders the schema admits without timestamps: made at the namespace clock's start.

The fixtures' schema requires neither `created_at` nor `updated_at` of an order; seeding once
read `created_at` blindly, and such a fixture failed the whole start-up with a KeyError.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.fixtures import schema_validator
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from tests.booqable.conftest import API_KEY, MACBOOK, ORDER_RESERVED
from tests.conftest import ROOT

START = "2027-03-04T05:06:07Z"
ORDER_NEW = "23d2a4fd-a6bb-4232-a268-e261a0307077"
HEADERS = {"Authorization": f"Bearer {API_KEY}", "X-Sandbox-Namespace": "fixture-orders"}


def _client(tmp_path: Path, change: Any) -> Iterator[TestClient]:
    target = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", target)
    path = target / "booqable.json"
    document = json.loads(path.read_text())
    change(document)
    validator = schema_validator("booqable", Settings().schemas)
    assert [e.message for e in validator.iter_errors(document)] == []  # the schema admits it
    path.write_text(json.dumps(document))
    with TestClient(create_app(Settings(fixtures=target, start_time=parse_instant(START)))) as c:
        yield c


def _undated(document: dict[str, Any]) -> None:
    for order in document["orders"]:
        if order["id"] in (ORDER_RESERVED, ORDER_NEW):
            order.pop("created_at", None)
            order.pop("updated_at", None)
        if order["id"] == ORDER_NEW:
            order["updated_at"] = "2022-01-12T14:03:25+00:00"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from _client(tmp_path, _undated)


def _order(client: TestClient, ident: str) -> dict[str, Any]:
    response = client.get(f"/api/boomerang/orders/{ident}", headers=HEADERS)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()["data"]["attributes"]
    return found


def test_an_order_without_timestamps_is_made_at_the_clock_start(client: TestClient) -> None:
    order = _order(client, ORDER_RESERVED)
    made = parse_instant(order["created_at"])
    start = parse_instant(START)
    assert start <= made < start + timedelta(seconds=5)  # the clock runs from its start
    assert order["updated_at"] == order["created_at"]


def test_a_given_updated_at_is_kept(client: TestClient) -> None:
    order = _order(client, ORDER_NEW)
    assert order["updated_at"] == "2022-01-12T14:03:25+00:00"
    assert parse_instant(order["created_at"]) >= parse_instant(START)


def test_its_items_are_booked_and_the_state_round_trips(client: TestClient) -> None:
    state = client.get("/_sandbox/state", headers=HEADERS).json()
    held = [
        a["owner"]
        for a in state["inventory"]["allocations"]
        if a["pool"] == f"booqable:product:{MACBOOK}"
    ]
    assert held == [ORDER_RESERVED]
    assert client.put("/_sandbox/state", headers=HEADERS, json=state).status_code == 200
