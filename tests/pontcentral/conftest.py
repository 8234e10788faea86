"""A Pont Central partner session on the sandbox, at seed 002's own moment."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from tests.conftest import Api, Verbs

# Seed 002 (the booking-create page) describes bookings made on 2026-03-20 for 2026-03-25.
SEED_MOMENT = "2026-03-20T10:00:00Z"
SEED_REQUEST: dict[str, Any] = json.loads(
    (Path(__file__).parent / "seed002_request.json").read_text("utf-8")
)


def compact(document: Any) -> str:
    """The bytes Pont Central writes for a document (JSON.stringify)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


class Partner(Verbs):
    """An authenticated partner of one namespace: `pc.post("/bookings/create", json=...)`."""

    def __init__(self, api: Api, token: str) -> None:
        self.api = api
        self.token = token

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return self.api.request(method, f"/api/v1{path}", headers=headers, **kwargs)

    def book(self, **changes: Any) -> httpx.Response:
        """Seed 002's request, with top-level fields or the first item's fields replaced."""
        body = seed_request(**changes)
        return self.post("/bookings/create", json=body)

    def allocations(self) -> list[dict[str, Any]]:
        state = self.api.get("/_sandbox/state").json()
        return [
            a
            for a in state["inventory"]["allocations"]
            if a["status"] == "confirmed" and a["pool"].startswith("pontcentral:")
        ]


def seed_request(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(SEED_REQUEST)
    item_keys = {"productCode", "reservationDateTime", "quantities"}
    for key, value in changes.items():
        if key in item_keys:
            body["items"][0][key] = value
        else:
            body[key] = value
    return body


def token_for(api: Api, client_id: str = "demo-partner", secret: str = "demo-secret") -> str:
    response = api.post(
        "/api/v1/auth/token", json={"client_id": client_id, "client_secret": secret}
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["data"]["access_token"]
    return token


def at_seed_moment(api: Api) -> None:
    response = api.put("/_sandbox/clock", json={"now": SEED_MOMENT, "frozen": True})
    assert response.status_code == 200, response.text


@pytest.fixture
def pc(api: Api) -> Partner:
    """Partner 42 (demo-partner), its clock frozen at seed 002's moment."""
    at_seed_moment(api)
    return Partner(api, token_for(api))


@pytest.fixture
def other(pc: Partner) -> Partner:
    """Partner 43 in the same namespace: it must not see partner 42's products or bookings."""
    return Partner(pc.api, token_for(pc.api, "other-partner", "other-secret"))
