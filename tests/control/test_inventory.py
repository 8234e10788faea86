"""`GET /_sandbox/inventory`: every pool with what is taken now and over a window, read at the
namespace clock's now; bookings made through the vendors' own APIs show up, expired holds go."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.control import inventory as inventory_module
from booking_sandbox.core.fixtures import load_fixtures
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors import VENDORS, Vendor
from booking_sandbox.vendors.adapter import PoolInfo
from tests.booqable.conftest import TENT, Booqable, product
from tests.conftest import Api
from tests.korus.conftest import SEED_MOMENT, Client, login, seed_item
from tests.pontcentral.conftest import Partner, at_seed_moment, token_for

SHOW_POOL = "korus:session:337177bc-e513-444f-bcee-49a3e25b48a3"
DAY_POOL = "korus:ticket:0194ac40-fda7-78c1-8fcb-26fc2df25894:0194ac40-fda7-78c1-8fcb-26fc2e2612d4"
EIFFEL_10AM = "pontcentral:resource:RES-EIFFEL-1000"
TENT_POOL = f"booqable:product:{TENT}"
MARCH_25 = {"from": "2026-03-25T00:00:00Z", "to": "2026-03-26T00:00:00Z"}


@pytest.fixture
def korus(api: Api) -> Client:
    """The demo service account, the clock frozen at the Korus seeds' moment."""
    api.put("/_sandbox/clock", json={"now": SEED_MOMENT, "frozen": True})
    return Client(api, login(api)["access_token"])


@pytest.fixture
def pc(api: Api) -> Partner:
    """Partner 42, the clock frozen at seed 002's moment (20 March 2026, 10:00Z)."""
    at_seed_moment(api)
    return Partner(api, token_for(api))


@pytest.fixture
def bq(api: Api) -> Booqable:
    return Booqable(api)


def inventory(api: Api, **params: Any) -> dict[str, Any]:
    response = api.get("/_sandbox/inventory", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def one_pool(api: Api, pool_id: str, **params: Any) -> dict[str, Any]:
    pools: list[dict[str, Any]] = inventory(api, pool=pool_id, **params)["pools"]
    (found,) = [p for p in pools if p["id"] == pool_id]
    return found


def reserve(korus: Client, quantity: int = 2) -> dict[str, Any]:
    response = korus.post("/v1/booking/reservations/_bulk", json={"items": [seed_item(quantity)]})
    assert response.status_code == 200, response.text
    reservation: dict[str, Any] = response.json()["reservations"][0]
    return reservation


# ----- Korus: timeless holds, read at the namespace's now ----------------------------------------


def test_a_korus_hold_is_listed_until_its_expiry_then_gone(korus: Client) -> None:
    api = korus.api
    before = one_pool(api, SHOW_POOL)
    assert before["now"] == {"held": 0, "confirmed": 0, "free": 200}
    reservation = reserve(korus, 2)
    pool = one_pool(api, SHOW_POOL)
    assert pool["vendor"] == "korus"
    assert pool["kind"] == "session"
    assert pool["timed"] is False
    assert pool["timeline"] == []
    assert "Cinéscénie" in pool["label"]
    assert "2025-06-07T20:00:00+02:00" in pool["label"]
    assert (pool["capacity"], pool["shortage_limit"]) == (200, 0)
    assert pool["now"] == {"held": 2, "confirmed": 0, "free": 198}
    (hold,) = pool["allocations"]
    assert hold["status"] == "held"
    assert hold["quantity"] == 2
    assert len(hold["units"]) == 2  # its seats
    assert hold["owner"] == reservation["id"]
    assert hold["interval"] is None
    assert parse_instant(hold["held_until"]) == parse_instant(reservation["expiresAt"])
    assert one_pool(api, DAY_POOL)["now"]["held"] == 2  # the other ticket of the item
    assert inventory(api, vendor="korus", busy="true")["total"] == 2

    advanced = api.post("/_sandbox/clock/advance", json={"duration": "PT16M"})
    assert advanced.status_code == 200, advanced.text
    after = one_pool(api, SHOW_POOL)
    assert after["allocations"] == []
    assert after["now"] == {"held": 0, "confirmed": 0, "free": 200}
    assert inventory(api, vendor="korus", busy="true")["total"] == 0


def test_a_korus_order_stays_confirmed_past_the_hold(korus: Client) -> None:
    reservation = reserve(korus, 1)
    body = {
        "reservations": [reservation["@id"]],
        "customer": {"firstname": "Jane", "lastname": "Doe", "email": "jane.doe@example.com"},
    }
    ordered = korus.post("/v1/booking/orders/_bulk", json=body)
    assert ordered.status_code == 200, ordered.text
    korus.api.post("/_sandbox/clock/advance", json={"duration": "PT16M"})
    pool = one_pool(korus.api, SHOW_POOL)
    assert pool["now"] == {"held": 0, "confirmed": 1, "free": 199}
    assert [a["status"] for a in pool["allocations"]] == ["confirmed"]


# ----- Pont Central and Booqable: timed pools ----------------------------------------------------


def test_a_pont_central_booking_is_on_the_timeline_at_its_slot(pc: Partner) -> None:
    booked = pc.book()  # 3 places at 10:00 in Paris on 25 March 2026 (09:00Z), for 60 minutes
    assert booked.status_code in (200, 201), booked.text
    pool = one_pool(pc.api, EIFFEL_10AM, **MARCH_25)
    assert pool["vendor"] == "pontcentral"
    assert pool["kind"] == "resource"
    assert pool["timed"] is True
    assert pool["label"] == "Eiffel Tower 10AM Entry (RES-EIFFEL-1000)"
    assert pool["capacity"] == 50
    assert pool["timeline"] == [
        {"start": "2026-03-25T00:00:00Z", "end": "2026-03-25T09:00:00Z", "held": 0, "confirmed": 0},
        {"start": "2026-03-25T09:00:00Z", "end": "2026-03-25T10:00:00Z", "held": 0, "confirmed": 3},
        {"start": "2026-03-25T10:00:00Z", "end": "2026-03-26T00:00:00Z", "held": 0, "confirmed": 0},
    ]
    (booking,) = pool["allocations"]
    assert booking["interval"] == {"start": "2026-03-25T09:00:00Z", "end": "2026-03-25T10:00:00Z"}
    assert booking["status"] == "confirmed"
    # Now (20 March) is before the slot: nothing taken at this instant.
    assert pool["now"] == {"held": 0, "confirmed": 0, "free": 50}
    # A window without the slot: no allocation, one segment of zeros, not busy.
    quiet = {"from": "2026-03-26T00:00:00Z", "to": "2026-03-27T00:00:00Z"}
    elsewhere = one_pool(pc.api, EIFFEL_10AM, **quiet)
    assert elsewhere["allocations"] == []
    assert elsewhere["timeline"] == [
        {"start": quiet["from"], "end": quiet["to"], "held": 0, "confirmed": 0}
    ]
    assert inventory(pc.api, pool=EIFFEL_10AM, busy="true", **quiet)["total"] == 0
    assert inventory(pc.api, pool=EIFFEL_10AM, busy="true", **MARCH_25)["total"] == 1
    # The default window is 7 days from now: it holds the slot.
    assert inventory(pc.api, pool=EIFFEL_10AM, busy="true")["window"] == {
        "from": "2026-03-20T10:00:00Z",
        "to": "2026-03-27T10:00:00Z",
    }
    # At the slot, the booking counts now.
    pc.api.put("/_sandbox/clock", json={"now": "2026-03-25T09:30:00Z", "frozen": True})
    assert one_pool(pc.api, EIFFEL_10AM)["now"] == {"held": 0, "confirmed": 3, "free": 47}


def test_a_booqable_planning_takes_its_order_period(bq: Booqable) -> None:
    period = {"starts_at": "2026-04-01T09:00:00Z", "stops_at": "2026-04-03T17:00:00Z"}
    window = {"from": "2026-03-31T00:00:00Z", "to": "2026-04-05T00:00:00Z"}
    concept = bq.create("orders", status="new", **period).json()["data"]["id"]
    assert bq.book(concept, product(id=TENT, quantity=1)).status_code == 201
    assert one_pool(bq.api, TENT_POOL, **window)["allocations"] == []  # new orders take no stock
    order = bq.create("orders", status="reserved", **period).json()["data"]["id"]
    assert bq.book(order, product(id=TENT, quantity=2)).status_code == 201
    pool = one_pool(bq.api, TENT_POOL, **window)
    assert (pool["vendor"], pool["kind"], pool["label"]) == (
        "booqable",
        "product",
        "Party tent 3x3",
    )
    assert (pool["timed"], pool["capacity"], pool["shortage_limit"]) == (True, 7, 0)
    assert pool["timeline"] == [
        {"start": window["from"], "end": period["starts_at"], "held": 0, "confirmed": 0},
        {"start": period["starts_at"], "end": period["stops_at"], "held": 0, "confirmed": 2},
        {"start": period["stops_at"], "end": window["to"], "held": 0, "confirmed": 0},
    ]
    (planning,) = pool["allocations"]
    assert planning["owner"] == order
    assert planning["interval"] == {"start": period["starts_at"], "end": period["stops_at"]}


# ----- filters, pages, namespaces ----------------------------------------------------------------


def test_pools_come_in_registry_then_catalog_order_and_pages_cover_them(api: Api) -> None:
    everything = inventory(api, limit=1000)
    ids = [p["id"] for p in everything["pools"]]
    assert everything["total"] == len(ids) == len(set(ids))
    vendors = [p["vendor"] for p in everything["pools"]]
    assert vendors == sorted(vendors, key=[v.name for v in VENDORS].index)
    assert ids[:2] == [DAY_POOL, SHOW_POOL]  # the seed offer's tickets, in catalog order
    assert (everything["limit"], everything["offset"]) == (1000, 0)
    paged = []
    for offset in range(0, len(ids), 7):
        page = inventory(api, limit=7, offset=offset)
        assert page["total"] == len(ids)
        paged += [p["id"] for p in page["pools"]]
    assert paged == ids
    assert len(inventory(api)["pools"]) == min(100, len(ids))  # the default limit
    beyond = inventory(api, offset=len(ids))
    assert (beyond["total"], beyond["pools"]) == (len(ids), [])


def test_filters_by_vendor_text_and_busy(pc: Partner) -> None:
    api = pc.api
    assert pc.book().status_code in (200, 201)
    resources = inventory(api, vendor="pontcentral")
    assert {p["vendor"] for p in resources["pools"]} == {"pontcentral"}
    assert resources["total"] == 15
    assert [p["id"] for p in inventory(api, pool="tOUR gUIDE")["pools"]] == [
        "pontcentral:resource:RES-GUIDE-EN"  # by its label ("Tour Guide - English") alone
    ]
    assert [p["id"] for p in inventory(api, pool="337177BC")["pools"]] == [SHOW_POOL]  # by id
    assert inventory(api, pool="no such pool anywhere")["total"] == 0
    assert inventory(api, pool="")["total"] == inventory(api)["total"]
    busy = inventory(api, busy="true", **MARCH_25)
    assert [p["id"] for p in busy["pools"]] == [EIFFEL_10AM]
    idle = inventory(api, busy="false", limit=1000, **MARCH_25)
    assert EIFFEL_10AM not in {p["id"] for p in idle["pools"]}
    assert busy["total"] + idle["total"] == inventory(api)["total"]
    both = inventory(api, vendor="korus", busy="true", **MARCH_25)
    assert both["total"] == 0


def test_namespaces_are_separate(korus: Client) -> None:
    reserve(korus, 2)
    other = f"t-{uuid.uuid4().hex[:12]}"
    theirs = korus.api.get(
        "/_sandbox/inventory", params={"pool": SHOW_POOL}, headers={"X-Sandbox-Namespace": other}
    ).json()
    assert theirs["namespace"] == other
    assert theirs["pools"][0]["allocations"] == []
    mine = inventory(korus.api, pool=SHOW_POOL)
    assert mine["namespace"] == korus.api.namespace
    assert mine["now"] == SEED_MOMENT
    assert mine["pools"][0]["now"]["held"] == 2
    default = korus.api.client.get("/_sandbox/inventory", params={"limit": 1})  # no header
    assert default.json()["namespace"] == "default"


BAD = [
    ({"vendor": "nope"}, "vendor"),
    ({"vendor": ""}, "vendor"),
    ({"busy": "yes"}, "busy"),
    ({"from": "not a date"}, "from"),
    ({"to": "2026-13-01T00:00:00Z"}, "to"),
    ({"from": "2026-03-02T00:00:00Z", "to": "2026-03-01T00:00:00Z"}, "to"),
    ({"from": "2026-03-01T00:00:00Z", "to": "2026-03-01T00:00:00Z"}, "to"),
    ({"from": "2026-01-01T00:00:00Z", "to": "2027-01-02T00:00:01Z"}, "to"),  # 366 days + 1 s
    ({"from": "9999-12-30T00:00:00Z"}, "from"),  # the 7-day default would pass year 9999
    ({"limit": "0"}, "limit"),
    ({"limit": "1001"}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"offset": "-1"}, "offset"),
    ({"offset": "1.5"}, "offset"),
    ({"vendors": "korus"}, "vendors"),
]


@pytest.mark.parametrize(("params", "name"), BAD)
def test_bad_query_values_are_422(api: Api, params: dict[str, str], name: str) -> None:
    response = api.get("/_sandbox/inventory", params=params)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_query"
    assert error["details"][0]["path"] == f"query.{name}"


def test_a_parameter_given_twice_is_422(api: Api) -> None:
    response = api.get("/_sandbox/inventory?vendor=korus&vendor=booqable")
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["path"] == "query.vendor"


def test_a_window_of_exactly_366_days_is_allowed(api: Api) -> None:
    window = {"from": "2026-01-01T00:00:00Z", "to": "2027-01-02T00:00:00Z"}
    assert inventory(api, **window)["window"] == window


# ----- the vendors' descriptions, and what a request costs ---------------------------------------


@pytest.mark.parametrize("vendor", VENDORS, ids=lambda v: v.name)
def test_each_vendor_describes_exactly_its_pools_in_order(vendor: Vendor) -> None:
    catalog = load_fixtures(Settings().fixtures, Settings().schemas).fresh_copy()[vendor.section]
    assert vendor.describe_pools is not None
    described = list(vendor.describe_pools(catalog))
    assert [d.pool_id for d in described] == [p.id for p in vendor.pools(catalog)]
    assert all(d.label for d in described)
    assert len({d.timed for d in described}) == 1  # a property of the vendor, not of a pool


def app_with(vendors: tuple[Vendor, ...]) -> TestClient:
    settings = Settings(start_time=parse_instant(SEED_MOMENT))
    return TestClient(create_app(settings, vendors=vendors), raise_server_exceptions=False)


def test_pools_a_vendor_does_not_describe_are_plain_pools() -> None:
    plain = tuple(
        replace(v, describe_pools=None) if v.name == "pontcentral" else v for v in VENDORS
    )
    with app_with(plain) as client:
        body = client.get("/_sandbox/inventory", params={"vendor": "pontcentral"}).json()
    assert body["total"] == 15
    first = body["pools"][0]
    assert first["id"] == "pontcentral:resource:RES-GUIDE-EN"
    assert (first["vendor"], first["kind"], first["label"]) == ("pontcentral", "pool", first["id"])
    assert first["timed"] is False


def test_a_pool_no_catalog_names_comes_last_without_a_vendor(api: Api) -> None:
    state = api.get("/_sandbox/state").json()
    state["inventory"]["pools"].append(
        {"id": "extra:pool", "capacity": 3, "shortage_limit": 0, "units": []}
    )
    assert api.put("/_sandbox/state", json=state).status_code == 200
    body = inventory(api, limit=1000)
    assert body["pools"][-1] == {
        "id": "extra:pool",
        "vendor": None,
        "kind": "pool",
        "label": "extra:pool",
        "timed": False,
        "capacity": 3,
        "shortage_limit": 0,
        "now": {"held": 0, "confirmed": 0, "free": 3},
        "timeline": [],
        "allocations": [],
    }
    assert "extra:pool" not in {p["id"] for p in inventory(api, vendor="korus")["pools"]}


def test_documents_are_built_for_the_page_and_descriptions_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = {"describe": 0, "document": 0}

    def counted(vendor: Vendor) -> Vendor:
        describe = vendor.describe_pools
        assert describe is not None

        def counting(doc: dict[str, Any]) -> Iterable[PoolInfo]:
            calls["describe"] += 1
            return describe(doc)

        return replace(vendor, describe_pools=counting)

    document = inventory_module.pool_document

    def counting_document(*args: Any) -> dict[str, Any]:
        calls["document"] += 1
        return document(*args)

    monkeypatch.setattr(inventory_module, "pool_document", counting_document)
    with app_with(tuple(counted(v) for v in VENDORS)) as client:
        for params in ({"limit": "5"}, {"limit": "3", "pool": "a"}, {"busy": "false"}):
            assert client.get("/_sandbox/inventory", params=params).status_code == 200
        body = client.get("/_sandbox/inventory", params={"limit": "2", "offset": "4"}).json()
    assert body["total"] > 6
    assert calls == {"describe": len(VENDORS), "document": 5 + 3 + min(100, body["total"]) + 2}
