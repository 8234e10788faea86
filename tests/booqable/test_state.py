"""Booqable records survive GET/PUT /_sandbox/state, and an inconsistent import is refused.

The state under test is built in-process with `booking.book` (products, a stock item, a
bundle, a booking on a new order, a canceled order), exported once, then imported over both
transports; each problem is one mutation of that export.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.fixtures import schema_validator
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable import booking, order_records, seeding, stock
from booking_sandbox.vendors.booqable.records import Order
from booking_sandbox.vendors.booqable.state import BooqableStore
from booking_sandbox.vendors.booqable.state_check import state_problems
from tests.booqable.conftest import API_KEY, CHAIR, DJ, IPAD, IPAD_ITEMS, ORDER_NEW, TENT
from tests.conftest import START, Api

State = dict[str, Any]
ORDER_AMS = "7342d776-05bf-4899-a02d-b61370b3ba82"  # reserved, 1980-04-01 .. 1980-05-01
ORDER_SHORT = "8fee2053-e1a4-41e1-9bba-bb67bb6ecbd7"  # reserved, canceled below
MACBOOK_ORDER = "09d04c6d-779b-444e-ab5c-d4567a5a8f72"  # the fixtures' pre-booked order
MACBOOK_PRODUCT = "62b10cd2-5c91-4c26-a7ab-b908bfcbee14"
KIT = "9bf34d16-2144-45a5-8461-ebae7bf0f4ca"  # bundle: Macbook Pro + Delivery & setup
DJ_ITEM = "6ca9c502-4844-4b54-b7cb-4425d411bbe4"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


@functools.cache
def _built() -> State:
    app = create_app(Settings(start_time=parse_instant(START)))
    with TestClient(app):
        space = app.state.sandbox.namespaces.get("build")
        store = BooqableStore(space, seeding.records(space))
        now = space.clock.now()

        def product(ident: str) -> dict[str, Any]:
            found = store.find("products", ident)
            assert found is not None
            return found

        def order(ident: str) -> Order:
            found = store.find("orders", ident)
            assert found is not None
            return found

        kit = store.catalog.by_id["bundles"][KIT]
        choices = tuple(
            (item, product(item["product_id"]))
            for item in store.catalog.lists["bundle_items"]
            if item["bundle_id"] == KIT
        )
        wants = [
            booking.Want(2, product(IPAD), IPAD_ITEMS[:1]),
            booking.Want(1, None, (), kit, choices),
        ]
        booking.book(store, order(ORDER_AMS), wants, confirm_shortage=False, now=now)
        booking.book(
            store,
            order(ORDER_NEW),
            [booking.Want(1, product(TENT))],
            confirm_shortage=False,
            now=now,
        )
        short = order(ORDER_SHORT)
        booking.book(
            store, short, [booking.Want(2, product(CHAIR))], confirm_shortage=False, now=now
        )
        stock.release(store, order_records.plannings_of(store, short))
        short["status"] = "canceled"
        order_records.refresh(store, short, now)
        exported: State = copy.deepcopy(space.export())
    exported["clock"]["frozen"] = True  # so that two exports of it are byte for byte equal
    return exported


def built() -> State:
    return copy.deepcopy(_built())


def records(state: State) -> State:
    found: State = state["vendors"]["booqable"]
    return found


def one(state: State, kind: str, **match: Any) -> tuple[str, State]:
    """The key and record of the only record of `kind` with these attributes."""
    found = [(k, r) for k, r in records(state)[kind].items() if match.items() <= r.items()]
    assert len(found) == 1, (kind, match, found)
    return found[0]


def allocation(state: State, ident: str) -> State:
    found: State = next(a for a in state["inventory"]["allocations"] if a["id"] == ident)
    return found


def ipad(state: State) -> tuple[str, State]:
    return one(state, "plannings", item_id=IPAD, order_id=ORDER_AMS)


def kit_line(state: State) -> State:
    return one(state, "lines", item_id=KIT)[1]


def problems_of(state: State) -> list[tuple[str, str]]:
    allocations = {a["id"]: a for a in state["inventory"]["allocations"]}
    return state_problems(records(state), state["catalogs"]["booqable"], allocations)


# --- the export is valid --------------------------------------------------------------------


def test_the_export_is_schema_valid_and_consistent() -> None:
    state = built()
    validator = schema_validator("booqable", Settings().schemas, "state")
    assert [e.message for e in validator.iter_errors(records(state))] == []
    assert problems_of(state) == []
    # What the mutations below rely on: every kind of record is there.
    assert kit_line(state)["_choices"]
    assert records(state)["stock_item_plannings"]
    assert ipad(state)[1]["_allocations"]


def _put(api: Api, state: State) -> Any:
    return api.put("/_sandbox/state", json=state)


def test_state_round_trips_byte_for_byte(api: Api) -> None:
    assert _put(api, built()).status_code == 200
    exported = api.get("/_sandbox/state")
    headers = {"Content-Type": "application/json"}
    response = api.put("/_sandbox/state", content=exported.content, headers=headers)
    assert response.status_code == 200, response.text
    assert api.get("/_sandbox/state").content == exported.content
    orders = api.get(
        f"/api/boomerang/orders/{ORDER_AMS}", headers={"Authorization": f"Bearer {API_KEY}"}
    )
    assert orders.json()["data"]["attributes"]["status_counts"]["reserved"] == 3


def test_seeded_state_round_trips(api: Api) -> None:
    api.put("/_sandbox/clock", json={"now": START, "frozen": True})
    auth = {"Authorization": f"Bearer {API_KEY}"}
    assert api.get("/api/boomerang/orders", headers=auth).status_code == 200  # seeds
    exported = api.get("/_sandbox/state").json()
    assert exported["vendors"]["booqable"]["plannings"]
    assert _put(api, exported).json() == exported


# --- every problem, with its path ---------------------------------------------------------

Mutation = Callable[[State], str]  # breaks the state, returns the path (under the records)


def _key_differs(s: State) -> str:
    records(s)["orders"][ORDER_AMS]["id"] = UNKNOWN
    return f"$.orders.{ORDER_AMS}.id"


def _set(kind: str, key_of: Callable[[State], str], attribute: str, value: Any) -> Mutation:
    def mutate(s: State) -> str:
        key = key_of(s)
        records(s)[kind][key][attribute] = value(s) if callable(value) else value
        return f"$.{kind}.{key}.{attribute}"

    return mutate


def _ipad_key(s: State) -> str:
    return ipad(s)[0]


def _ipad_line(s: State) -> str:
    return one(s, "lines", item_id=IPAD)[0]


def _kit_child(s: State) -> str:
    return one(s, "plannings", item_id=MACBOOK_PRODUCT, order_id=ORDER_AMS)[0]


def _sip(s: State) -> str:
    return one(s, "stock_item_plannings", stock_item_id=IPAD_ITEMS[0])[0]


def _macbook_planning(s: State) -> str:
    return one(s, "plannings", order_id=MACBOOK_ORDER)[0]


def _choice(index: int, value: str) -> Mutation:
    def mutate(s: State) -> str:
        line = kit_line(s)
        line["_choices"][0][index] = value
        return f"$.lines.{line['id']}._choices[0][{index}]"

    return mutate


def _held_twice(s: State) -> str:
    ident = ipad(s)[1]["_allocations"][0]
    records(s)["plannings"][_macbook_planning(s)]["_allocations"].append(ident)
    return f"$.plannings.{_ipad_key(s)}._allocations[0]"


def _alloc(attribute: str, value: Any) -> Mutation:
    def mutate(s: State) -> str:
        key, planning = ipad(s)
        allocation(s, planning["_allocations"][0])[attribute] = value
        return f"$.plannings.{key}._allocations[0]"

    return mutate


def _more_than_held(s: State) -> str:
    key, planning = ipad(s)
    planning["quantity"] += 1
    return f"$.plannings.{key}._allocations"


def _reserved_without_stock(s: State) -> str:
    records(s)["orders"][ORDER_NEW]["status"] = "reserved"
    return f"$.plannings.{one(s, 'plannings', order_id=ORDER_NEW)[0]}._allocations"


def _new_order_holding(s: State) -> str:
    records(s)["orders"][ORDER_AMS]["status"] = "new"
    return f"$.plannings.{_ipad_key(s)}._allocations[0]"


def _unit_not_held(s: State) -> str:
    allocation(s, ipad(s)[1]["_allocations"][0])["units"] = []
    return f"$.stock_item_plannings.{_sip(s)}.stock_item_id"


def _stock_item_twice(s: State) -> str:
    twin = {**records(s)["stock_item_plannings"][_sip(s)], "id": UNKNOWN}
    records(s)["stock_item_plannings"][UNKNOWN] = twin
    return f"$.stock_item_plannings.{UNKNOWN}.stock_item_id"


def _sequence(name: str) -> Mutation:
    def mutate(s: State) -> str:
        records(s)[name] = 1
        return f"$.{name}"

    return mutate


def _returned(back: int, still_held: int | None) -> Callable[[State], str]:
    """`back` of the two iPads came back (the named one first); the engine holds the rest."""

    def mutate(s: State) -> str:
        records(s)["orders"][ORDER_AMS]["status"] = "started"
        key, planning = ipad(s)
        planning["started"], planning["stopped"] = planning["quantity"], back
        records(s)["stock_item_plannings"][_sip(s)]["stopped"] = True
        held = allocation(s, planning["_allocations"][0])
        if still_held is None:
            held["status"] = "released"
        else:
            held["quantity"], held["units"] = still_held, []
        return f"$.plannings.{key}._allocations" + ("[0]" if back == 2 else "")

    return mutate


OTHER_POOL = f"booqable:product:{DJ}"
BROKEN: dict[str, Mutation] = {
    "key": _key_differs,
    "customer": _set("orders", lambda s: ORDER_AMS, "customer_id", UNKNOWN),
    "location": _set("orders", lambda s: ORDER_AMS, "start_location_id", UNKNOWN),
    "planning location": _set("plannings", _ipad_key, "stop_location_id", UNKNOWN),
    "line owner": _set("lines", _ipad_line, "owner_id", UNKNOWN),
    "line item": _set("lines", _ipad_line, "item_id", UNKNOWN),
    "line planning": _set("lines", _ipad_line, "planning_id", UNKNOWN),
    "line planning of another order": _set("lines", _ipad_line, "planning_id", _macbook_planning),
    "parent line": _set("lines", _ipad_line, "parent_line_id", UNKNOWN),
    "bundle item": _choice(0, UNKNOWN),
    "bundle product": _choice(1, IPAD),
    "planning order": _set("plannings", _kit_child, "order_id", UNKNOWN),
    "planning item": _set("plannings", _kit_child, "item_id", UNKNOWN),
    "parent planning": _set("plannings", _kit_child, "parent_planning_id", UNKNOWN),
    "parent of another order": _set(
        "plannings", _kit_child, "parent_planning_id", _macbook_planning
    ),
    "stock item": _set("stock_item_plannings", _sip, "stock_item_id", UNKNOWN),
    "stock item of another product": _set("stock_item_plannings", _sip, "stock_item_id", DJ_ITEM),
    "sip planning": _set("stock_item_plannings", _sip, "planning_id", UNKNOWN),
    "sip order": _set("stock_item_plannings", _sip, "order_id", MACBOOK_ORDER),
    "stock item twice": _stock_item_twice,
    "no allocation": _set("plannings", _ipad_key, "_allocations", ["alloc-999"]),
    "allocation held twice": _held_twice,
    "allocation owner": _alloc("owner", MACBOOK_ORDER),
    "allocation pool": _alloc("pool", OTHER_POOL),
    "released while reserved": _alloc("status", "released"),
    "confirmed while new": _new_order_holding,
    "quantity not held": _more_than_held,
    "reserved holding nothing": _reserved_without_stock,
    "stock item not held": _unit_not_held,
    "all returned, still held": _returned(2, 2),
    "one returned, both held": _returned(1, 2),
    "order number": _sequence("order_number"),
    "customer number": _sequence("customer_number"),
}


@pytest.mark.parametrize("how", BROKEN)
def test_each_problem_is_found_at_its_path(how: str) -> None:
    state = built()
    path = BROKEN[how](state)
    assert path in [p for p, _ in problems_of(state)], problems_of(state)


@pytest.mark.parametrize("how", BROKEN)
def test_inconsistent_records_are_refused(api: Api, how: str) -> None:
    assert _put(api, built()).status_code == 200
    before = api.get("/_sandbox/state").content
    state = built()
    path = BROKEN[how](state)
    response = _put(api, state)
    assert response.status_code == 422, response.text
    paths = [d["path"] for d in response.json()["error"]["details"]]
    assert f"$.vendors.booqable{path[1:]}" in paths
    assert api.get("/_sandbox/state").content == before


# --- what is consistent although unusual ----------------------------------------------------


def _released_on_canceled(s: State) -> None:
    """A canceled order may still list the allocations it released."""
    released = [a for a in s["inventory"]["allocations"] if a["owner"] == ORDER_SHORT]
    assert [a["status"] for a in released] == ["released"]
    one(s, "plannings", order_id=ORDER_SHORT)[1]["_allocations"] = [released[0]["id"]]


CONSISTENT: dict[str, Callable[[State], Any]] = {
    "released on a canceled order": _released_on_canceled,
    "all returned, released": _returned(2, None),
    "one returned, one held": _returned(1, 1),
}


@pytest.mark.parametrize("how", CONSISTENT)
def test_consistent_variants_are_imported(api: Api, how: str) -> None:
    state = built()
    CONSISTENT[how](state)
    assert problems_of(state) == []
    assert _put(api, state).status_code == 200


def test_locations_are_not_checked_without_a_catalog_of_them() -> None:
    state = built()
    del state["catalogs"]["booqable"]["locations"]
    records(state)["orders"][ORDER_AMS]["start_location_id"] = UNKNOWN
    assert problems_of(state) == []


# --- the schema ---------------------------------------------------------------------------


def _schema_break(how: str, s: State) -> None:
    planning = ipad(s)[1]
    if how == "status":
        records(s)["orders"][ORDER_AMS]["status"] = "shipped"
    elif how == "quantity":
        planning["quantity"] = -1
    elif how == "allocation id":
        planning["_allocations"] = [1]
    elif how == "missing allocations":
        del planning["_allocations"]
    elif how == "reference":
        records(s)["lines"][_ipad_line(s)]["item_id"] = "iPad"
    elif how == "key":
        records(s)["customers"]["jane"] = {"id": "jane"}
    elif how == "sequence":
        records(s)["order_number"] = "7"
    elif how == "extra table":
        records(s)["invoices"] = {}


SCHEMA_BREAKS = [
    "status",
    "quantity",
    "allocation id",
    "missing allocations",
    "reference",
    "key",
    "sequence",
    "extra table",
]


@pytest.mark.parametrize("how", SCHEMA_BREAKS)
def test_the_schema_rejects_malformed_records(api: Api, how: str) -> None:
    state = built()
    _schema_break(how, state)
    validator = schema_validator("booqable", Settings().schemas, "state")
    assert list(validator.iter_errors(records(state)))
    response = _put(api, state)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["path"].startswith("$.vendors.booqable")
