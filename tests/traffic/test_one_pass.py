"""One pass per request: the route, the credential check and the write's engine call, once.

In-process only: these count calls inside the server (monkeypatched), which a live server
cannot show. What the client sees is the other tests' business (every path, both transports).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.routing import IndexedRouter
from booking_sandbox.core.settings import Settings
from booking_sandbox.engine import Inventory
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.korus import jwt
from tests.booqable.conftest import CHAIR, ORDER_RESERVED
from tests.conftest import START, Api
from tests.korus.conftest import seed_item
from tests.traffic.conftest import Vendors


@pytest.fixture(params=[True, False], ids=["raw", "starlette"])
def vendors(request: pytest.FixtureRequest) -> Iterator[Vendors]:
    """Both dispatches: the raw one (the default) and Starlette's stack (the fallback)."""
    app = create_app(Settings(start_time=parse_instant(START)), raw=request.param)
    with TestClient(app, raise_server_exceptions=False) as client:
        found = Vendors(Api(client, "one-pass"))
        found.api.delete("/_sandbox/requests")
        yield found


def _count(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, calls: Counter[str]) -> None:
    original: Callable[..., Any] = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)


def test_a_vendor_request_is_routed_once_though_fault_rules_exist(
    vendors: Vendors, monkeypatch: pytest.MonkeyPatch
) -> None:
    vendors.fault(match={"operation": "korus.reservation"}, action={"status": 503})
    calls: Counter[str] = Counter()
    _count(monkeypatch, IndexedRouter, "route", calls)
    assert vendors.korus.get("/v1/ticketing/catalogs").status_code == 200  # no rule fires
    assert calls["route"] == 1
    # The rule matches on the operation that one routing found, before the handler runs.
    missing = vendors.korus.get(f"/v1/booking/reservations/{uuid.uuid4()}")
    assert missing.status_code == 503
    assert calls["route"] == 2
    entries = vendors.journal()
    assert [e["operation"] for e in entries] == ["korus.catalogs", "korus.reservation"]
    assert entries[1]["fault"]["action"] == {"status": 503}


def test_a_korus_token_is_verified_once_per_request(
    vendors: Vendors, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: Counter[str] = Counter()
    _count(monkeypatch, jwt, "verify", calls)
    assert vendors.korus.get("/v1/ticketing/catalogs").status_code == 200
    assert calls["verify"] == 1
    # The same with the namespace header, which needs no token to find the namespace.
    headers = {"X-Sandbox-Namespace": "one-pass"}
    assert vendors.korus.get("/v1/ticketing/catalogs", headers=headers).status_code == 200
    assert calls["verify"] == 2
    refused = vendors.korus.get("/v1/ticketing/catalogs", headers={"Authorization": "Bearer x"})
    assert refused.status_code == 401
    assert calls["verify"] == 3


def _engine_calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    calls: Counter[str] = Counter()
    for name in ("availability", "check", "take", "allocation", "allocations"):
        _count(monkeypatch, Inventory, name, calls)
    return calls


def test_a_korus_reservation_is_one_engine_call(
    vendors: Vendors, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _engine_calls(monkeypatch)
    made = vendors.korus.post("/v1/booking/reservations/_bulk", json={"items": [seed_item(2)]})
    assert made.status_code == 200, made.text
    assert made.json()["reservations"][0]["expired"] is False
    assert calls == Counter({"take": 1})  # no availability first, no status lookup after


def test_a_booqable_booking_plans_once(vendors: Vendors, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _engine_calls(monkeypatch)
    booked = vendors.booqable.book(ORDER_RESERVED, {"type": "products", "id": CHAIR, "quantity": 1})
    assert booked.status_code == 201, booked.text
    assert calls["take"] == 1
    assert calls["check"] == 0
    # A shortage refused is one planning pass too, and takes nothing.
    calls.clear()
    short = vendors.booqable.book(ORDER_RESERVED, {"type": "products", "id": CHAIR, "quantity": 50})
    assert short.status_code == 422, short.text
    assert calls["take"] == 1
    assert calls["check"] == 0
