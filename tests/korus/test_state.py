"""Korus records survive GET/PUT /_sandbox/state, and an inconsistent import is refused."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.korus.conftest import SMALL, Client, login, multi_item, seed_item
from tests.korus.test_booking import CUSTOMER

MERGE = {"Content-Type": "application/merge-patch+json"}


@pytest.fixture
def booked(api: Api) -> Client:
    """A namespace with an order (beneficiary named, document fetched), a cancelled order
    and a live reservation."""
    api.put("/_sandbox/clock", json={"now": "2025-01-29T07:55:53Z", "frozen": True})
    korus = Client(api, login(api)["access_token"])
    for _ in range(2):
        reservation = korus.post(
            "/v1/booking/reservations/_bulk", json={"items": [seed_item()]}
        ).json()["reservations"][0]
        order = korus.post(
            "/v1/booking/orders/_bulk",
            json={"reservations": [reservation["@id"]], "customer": CUSTOMER},
        ).json()["orders"][0]
    ticket = order["items"][0]["tickets"][1]["@id"]
    korus.request(
        "PATCH",
        ticket,
        headers=MERGE,
        json={"beneficiary": {"firstname": "Ann", "lastname": "Lee"}},
    )
    korus.request("PATCH", order["documents"][0], headers=MERGE, json={})
    # The ticketing sub-system cancels it: a vendor-side event, applied by the control plane.
    cancelled = api.post("/_sandbox/scenarios/korus-order-cancelled", json={"order": order["@id"]})
    assert cancelled.status_code == 200, cancelled.text
    korus.post("/v1/booking/reservations/_bulk", json={"items": [multi_item(SMALL)]})
    return korus


def test_state_round_trips_byte_for_byte(booked: Client) -> None:
    exported = booked.api.get("/_sandbox/state")
    assert (
        booked.api.put(
            "/_sandbox/state",
            content=exported.content,
            headers={"Content-Type": "application/json"},
        ).status_code
        == 200
    )
    assert booked.api.get("/_sandbox/state").content == exported.content
    assert booked.get("/v1/booking/orders").json()["totalItems"] == 2


def _break(state: dict[str, Any], how: str) -> None:
    records = state["vendors"]["korus"]
    reservation = next(iter(records["reservations"].values()))
    order = next(iter(records["orders"].values()))
    if how == "shape":
        reservation["quantity"] = 3
    elif how == "offer":
        reservation["items"][0]["offer"] = "0194ac41-0000-7000-8000-000000000000"
    elif how == "allocation":
        reservation["items"][0]["tickets"][0]["allocation"] = "alloc-999"
    elif how == "status":
        order["status"] = "cancelled"  # the first order's tickets are still confirmed
    elif how == "dangling":
        order["reservation"] = next(reversed(list(records["reservations"])))


@pytest.mark.parametrize("how", ["shape", "offer", "allocation", "status", "dangling"])
def test_inconsistent_records_are_refused(booked: Client, how: str) -> None:
    before = booked.api.get("/_sandbox/state").content
    state = booked.api.get("/_sandbox/state").json()
    _break(state, how)
    response = booked.api.put("/_sandbox/state", json=state)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["path"].startswith("$.vendors.korus")
    assert booked.api.get("/_sandbox/state").content == before
