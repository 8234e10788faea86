"""Retention of finished records (--retain-finished): finished records beyond the most recent
are pruned with their allocations, live ones never; the kept ones answer exactly; a pruned id
answers as one never issued; the export says what was pruned and imports back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.testing.live import LiveServer
from booking_sandbox.timefmt import parse_instant
from tests import retention_apps
from tests.conftest import START, Api
from tests.korus.conftest import CATALOG, Client, login, seed_item
from tests.pontcentral.conftest import Partner, at_seed_moment, token_for

KEEP = retention_apps.KEEP
CYCLES = 70  # > 64 writes, the fewest between two passes: at least one pass runs
DAY = {"offer": f"{CATALOG}/offers/0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8eb0", "quantity": 1}
CUSTOMER = {"firstname": "John", "lastname": "Doe", "email": "john.doe@example.com"}
NEVER_ISSUED = "0194b10f-3ddd-70a5-a96a-d1026cd42746"
GENID = re.compile(rb"genid\\/[0-9a-f]+")  # blank node ids: drawn afresh by each answer


def same(content: bytes) -> bytes:
    return GENID.sub(b"genid", content)


@pytest.fixture(scope="module")
def small_server() -> Iterator[LiveServer]:
    yield from retention_apps.small_server()


@pytest.fixture(params=["asgi", pytest.param("live", marks=pytest.mark.live)])
def small(request: pytest.FixtureRequest) -> Iterator[Api]:
    """`api`, on a server keeping 2 finished records per vendor and kind."""
    yield from retention_apps.small_api(request, "retention")


def _scenario(api: Api, name: str, **params: str) -> None:
    response = api.post(f"/_sandbox/scenarios/{name}", json=params)
    assert response.status_code == 200, response.text


def _reimports(api: Api) -> dict[str, Any]:
    exported: dict[str, Any] = api.get("/_sandbox/state").json()
    response = api.put("/_sandbox/state", json=exported)
    assert response.status_code == 200, response.text
    assert api.get("/_sandbox/state").json() == exported
    return exported


def test_pontcentral_keeps_live_and_recent_cancelled_bookings_exact(small: Api) -> None:
    at_seed_moment(small)
    pc = Partner(small, token_for(small))
    live = [pc.book().json()["booking"]["bookingNumber"] for _ in range(3)]
    live_bytes = [pc.get(f"/bookings/{n}").content for n in live]
    cancelled = []
    last_bytes: dict[str, bytes] = {}
    for _ in range(CYCLES):
        number = pc.book().json()["booking"]["bookingNumber"]
        assert pc.delete(f"/bookings/{number}").status_code == 200
        cancelled.append(number)
        last_bytes[number] = pc.get(f"/bookings/{number}").content
    assert [pc.get(f"/bookings/{n}").content for n in live] == live_bytes
    kept = [n for n in cancelled if pc.get(f"/bookings/{n}").status_code == 200]
    pruned = [n for n in cancelled if n not in kept]
    assert pruned
    assert cancelled[: len(pruned)] == pruned
    assert len(kept) <= KEEP + 64
    for number in kept[-KEEP:] + kept:
        assert pc.get(f"/bookings/{number}").content == last_bytes[number]
    unknown = pc.get("/bookings/PC0000AAA")
    for number in pruned[:3]:
        answer = pc.get(f"/bookings/{number}")
        assert (answer.status_code, answer.content) == (404, unknown.content)
        gone = pc.delete(f"/bookings/{number}")
        assert (gone.status_code, gone.content) == (404, pc.delete("/bookings/PC0000AAA").content)
    exported = _reimports(small)
    assert exported["pruned"] == {
        "policy": {"retain_finished": KEEP},
        "counts": {"pontcentral": {"bookings": len(pruned), "allocations": len(pruned)}},
    }
    owners = {a["owner"] for a in exported["inventory"]["allocations"]}
    assert owners.isdisjoint(pruned)
    assert set(live) <= owners


def test_korus_prunes_expired_released_and_cancelled_but_never_live_records(small: Api) -> None:
    small.put("/_sandbox/clock", json={"now": START, "frozen": True})
    korus = Client(small, login(small)["access_token"])

    def reserve(item: dict[str, Any]) -> dict[str, Any]:
        made = korus.post("/v1/booking/reservations/_bulk", json={"items": [item]})
        assert made.status_code == 200, made.text
        reservation: dict[str, Any] = made.json()["reservations"][0]
        return reservation

    def order(reservation: dict[str, Any]) -> dict[str, Any]:
        body = {"reservations": [reservation["@id"]], "customer": CUSTOMER}
        made = korus.post("/v1/booking/orders/_bulk", json=body)
        assert made.status_code == 200, made.text
        found: dict[str, Any] = made.json()["orders"][0]
        return found

    expired = reserve(DAY)
    small.post("/_sandbox/clock/advance", json={"seconds": 16 * 60})
    held = reserve(seed_item())
    sold = order(reserve(DAY))
    cancelled = [order(reserve(DAY)) for _ in range(KEEP + 1)]
    for made in cancelled:
        _scenario(small, "korus-order-cancelled", order=made["id"])
    keep = [held["@id"], sold["@id"], sold["reservation"]]
    before = [same(korus.get(iri).content) for iri in keep]
    released = []
    for _ in range(CYCLES):
        reservation = reserve(DAY)
        _scenario(small, "korus-reservation-released", reservation=reservation["id"])
        released.append(reservation["@id"])
    assert [same(korus.get(iri).content) for iri in keep] == before
    unknown = korus.get(f"/v1/booking/reservations/{NEVER_ISSUED}")
    oldest = cancelled[0]  # the 2 cancelled orders after it are the most recent: kept
    for iri in (expired["@id"], oldest["@id"], oldest["reservation"], released[0]):
        answer = korus.get(iri)
        assert answer.status_code == 404
        assert answer.content == unknown.content
    for iri in [*released[-KEEP:], *(o["@id"] for o in cancelled[1:])]:
        assert korus.get(iri).status_code == 200
    # Ordering a pruned reservation answers as ordering one never issued ("Reservation not
    # found"), where a kept expired one is the 422 `reservations[0].expired`.
    body = {"reservations": [expired["@id"]], "customer": CUSTOMER}
    gone = korus.post("/v1/booking/orders/_bulk", json=body)
    never_iri = f"/v1/booking/reservations/{NEVER_ISSUED}"
    never = korus.post("/v1/booking/orders/_bulk", json={**body, "reservations": [never_iri]})
    assert gone.status_code == never.status_code
    assert gone.json()["failedOrders"] == [
        {**failure, "reservation": expired["@id"]} for failure in never.json()["failedOrders"]
    ]
    exported = _reimports(small)
    counts = exported["pruned"]["counts"]["korus"]
    assert counts["orders"] == 1
    records = exported["vendors"]["korus"]
    assert counts["reservations"] == CYCLES + 6 - len(records["reservations"])
    assert counts["allocations"] >= counts["reservations"]
    assert set(records["orders"]) == {sold["id"], *(o["id"] for o in cancelled[1:])}


def test_keeping_all_prunes_nothing_and_exports_no_pruned_object() -> None:
    settings = Settings(start_time=parse_instant(START), retain_finished=None)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        api = Api(client, "keep-all")
        at_seed_moment(api)
        pc = Partner(api, token_for(api))
        numbers = []
        for _ in range(CYCLES):
            numbers.append(pc.book().json()["booking"]["bookingNumber"])
            assert pc.delete(f"/bookings/{numbers[-1]}").status_code == 200
        exported = api.get("/_sandbox/state").json()
        assert "pruned" not in exported
        assert list(exported["vendors"]["pontcentral"]["bookings"]) == numbers


def test_an_export_without_pruned_imports_into_a_pruning_server(small: Api) -> None:
    at_seed_moment(small)
    pc = Partner(small, token_for(small))
    pc.book()
    exported = small.get("/_sandbox/state").json()
    assert "pruned" not in exported
    response = small.put("/_sandbox/state", json=exported)
    assert response.status_code == 200, response.text
    assert small.get("/_sandbox/state").json() == exported
