"""Korus test clients: a service account's session, the seed's IRIs, and a fixture at seed
001's moment."""

from __future__ import annotations

from typing import Any

import httpx2 as httpx
import pytest

from tests.conftest import Api, Verbs

TOKEN = "/realms/korusticket/protocol/openid-connect/token"
SEED_MOMENT = "2025-01-29T07:55:53Z"
CATALOG = "/v1/ticketing/catalogs/0194abdc-3a71-72b0-a9b9-89d4be0cd73e"
SEED_OFFER = f"{CATALOG}/offers/0194ac40-fda7-78c1-8fcb-26fc2df25894"
DAY_TICKET = f"{SEED_OFFER}/tickets/0194ac40-fda7-78c1-8fcb-26fc2e2612d4"
SHOW_TICKET = f"{SEED_OFFER}/tickets/7522b8de-37a2-458d-b099-6d515b0739be"
SHOW = f"{SHOW_TICKET}/sessions/337177bc-e513-444f-bcee-49a3e25b48a3"
MULTI = f"{CATALOG}/offers/0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8e90"
MULTI_TICKET = f"{MULTI}/tickets/0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8e91"
SMALL = f"{MULTI_TICKET}/sessions/0194ac41-2b3c-7d10-8e4f-5a6b7c8d9e01"  # 2 named seats


def grant(api: Api, **form: str) -> httpx.Response:
    return api.post(TOKEN, data=form)


def login(api: Api, client: str = "demo-client", secret: str = "demo-secret") -> dict[str, Any]:
    response = grant(api, grant_type="client_credentials", client_id=client, client_secret=secret)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


class Client(Verbs):
    """A service account's session: `korus.get("/v1/ticketing/catalogs")`."""

    def __init__(self, api: Api, token: str) -> None:
        self.api = api
        self.token = token

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Accept": "application/ld+json",
            **kwargs.pop("headers", {}),
        }
        return self.api.request(method, path, headers=headers, **kwargs)


def seed_item(quantity: int = 1) -> dict[str, Any]:
    """Seed 001's reservation item: the day ticket, and the show at session 337177bc."""
    return {
        "offer": SEED_OFFER,
        "quantity": quantity,
        "ticketSessions": [{"ticket": DAY_TICKET}, {"ticket": SHOW_TICKET, "session": SHOW}],
    }


def multi_item(session: str, quantity: int = 1) -> dict[str, Any]:
    return {
        "offer": MULTI,
        "quantity": quantity,
        "ticketSessions": [{"ticket": MULTI_TICKET, "session": session}],
    }


@pytest.fixture
def korus(api: Api) -> Client:
    """The demo service account, the namespace's clock frozen at seed 001's moment."""
    api.put("/_sandbox/clock", json={"now": SEED_MOMENT, "frozen": True})
    return Client(api, login(api)["access_token"])
