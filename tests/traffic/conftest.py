"""Clients of all three vendors in one namespace, for the QA plane's tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.booqable.conftest import Booqable
from tests.conftest import Api
from tests.korus.conftest import Client as Korus
from tests.korus.conftest import login
from tests.pontcentral.conftest import Partner, token_for

KORUS_SEED_MOMENT = "2025-01-29T07:55:53Z"


class Vendors:
    def __init__(self, api: Api) -> None:
        self.api = api
        api.put("/_sandbox/clock", json={"now": KORUS_SEED_MOMENT, "frozen": True})
        self.korus = Korus(api, login(api)["access_token"])
        self.pont = Partner(api, token_for(api))
        self.booqable = Booqable(api)

    def fault(self, **rule: Any) -> dict[str, Any]:
        response = self.api.post("/_sandbox/faults", json=rule)
        assert response.status_code == 201, response.text
        found: dict[str, Any] = response.json()
        return found

    def journal(self, **filters: Any) -> list[dict[str, Any]]:
        response = self.api.get("/_sandbox/requests", params=filters)
        assert response.status_code == 200, response.text
        entries: list[dict[str, Any]] = response.json()["requests"]
        return entries

    def state(self) -> dict[str, Any]:
        state: dict[str, Any] = self.api.get("/_sandbox/state").json()
        state.pop("clock")  # frozen, but exported with the rest
        return state


@pytest.fixture
def vendors(api: Api) -> Vendors:
    vendors = Vendors(api)
    api.delete("/_sandbox/requests")  # the logins are not what the tests look at
    return vendors
