"""What the review of the adapter found: fixture set-up, id sequences, limits, imports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from booking_sandbox.app import create_app
from booking_sandbox.core.fixtures import FixtureError
from booking_sandbox.core.settings import Settings
from tests.booqable.conftest import MACBOOK, ORDER_RESERVED, TENT, Booqable
from tests.conftest import ROOT, Api

CAMERA = "a2d96edf-7d8b-42de-9897-e5aee335f3ca"  # trackable, lag time 3600 s
DJ_GROUP = "f7f1137e-a7a9-49b5-a85a-d66f90898c6d"


def _doc(kind: str, **attributes: Any) -> dict[str, Any]:
    return {"data": {"type": kind, "attributes": attributes}}


def planning_ids(bq: Booqable) -> list[str]:
    return sorted(p["id"] for p in bq.get("/plannings").json()["data"])


def test_fixture_ids_do_not_depend_on_what_was_asked_before(api: Api) -> None:
    first = planning_ids(Booqable(api))
    other = Api(api.client, f"{api.namespace}-other")
    token = other.post(
        "/realms/korusticket/protocol/openid-connect/token",
        data={"grant_type": "client_credentials", "client_id": "demo-client"}
        | {"client_secret": "demo-secret"},
    )
    assert token.status_code == 200
    assert planning_ids(Booqable(other)) == first


def test_a_new_namespace_holds_the_fixture_orders_stock_before_any_booqable_request(
    api: Api,
) -> None:
    allocations = api.get("/_sandbox/state").json()["inventory"]["allocations"]
    held = [a for a in allocations if a["pool"] == f"booqable:product:{MACBOOK}"]
    assert [(a["owner"], a["quantity"], a["status"]) for a in held] == [
        (ORDER_RESERVED, 1, "confirmed")
    ]


def test_a_refused_write_leaves_the_id_sequence_alone(bq: Booqable) -> None:
    before = bq.api.get("/_sandbox/state").json()["ids"]
    unknown = "00000000-0000-4000-8000-000000000000"
    assert bq.create("orders", customer_id=unknown).status_code == 422
    assert bq.api.get("/_sandbox/state").json()["ids"] == before


def test_an_include_nested_too_deep_is_a_400(bq: Booqable) -> None:
    response = bq.get("/lines", params={"include": ".".join(["owner", "lines"] * 700)})
    assert response.status_code == 400
    assert response.json()["errors"][0]["meta"]["code"] == "invalid_include"


def test_a_period_at_the_end_of_time_is_a_422_not_a_500(bq: Booqable) -> None:
    made = bq.create(
        "orders",
        starts_at="2030-01-01T00:00:00Z",
        stops_at="9999-12-31T23:30:00Z",
        status="reserved",
    )
    assert made.status_code == 201, made.text
    order = made.json()["data"]["id"]
    response = bq.book(order, {"type": "products", "id": CAMERA, "quantity": 1})
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"]["pointer"] == "/data/attributes/stops_at"


def test_stock_held_by_no_planning_is_refused_on_import(bq: Booqable) -> None:
    moved = bq.transition(ORDER_RESERVED, "reserved", "canceled")
    assert moved.status_code == 200
    state = bq.api.get("/_sandbox/state").json()
    for allocation in state["inventory"]["allocations"]:
        if allocation["pool"] == f"booqable:product:{MACBOOK}":
            allocation["status"] = "confirmed"  # canceled, yet still holding its Macbook
    refused = bq.api.put("/_sandbox/state", json=state)
    assert refused.status_code == 422
    assert "held on a Booqable pool by no planning" in refused.text


def test_filters_that_are_not_attributes_take_eq_and_not_eq_only(bq: Booqable) -> None:
    path = "/stock_items?filter[product_group_id]"
    dj = bq.get(f"{path}={DJ_GROUP}").json()["data"]
    others = bq.get(f"{path}[not_eq]={DJ_GROUP}").json()["data"]
    everything = bq.get("/stock_items?page[size]=100").json()["data"]
    assert len(dj) == 2
    assert len(others) == len(everything) - 2
    assert {s["id"] for s in dj}.isdisjoint({s["id"] for s in others})
    assert bq.get(f"{path}[gt]={DJ_GROUP}").status_code == 400


@pytest.fixture
def fixtures(tmp_path: Path) -> Path:
    target = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", target)
    return target


def _edit_orders(directory: Path, items: list[dict[str, Any]], index: int = 0) -> None:
    path = directory / "booqable.json"
    document = json.loads(path.read_text())
    document["orders"][index]["items"] = items
    path.write_text(json.dumps(document))


def test_pre_booked_items_that_name_nothing_are_fixture_errors(fixtures: Path) -> None:
    _edit_orders(fixtures, [{"product_id": "00000000-0000-4000-8000-000000000000", "quantity": 1}])
    with pytest.raises(FixtureError) as err:
        create_app(Settings(fixtures=fixtures))
    assert any("$.orders[0].items[0].product_id" in p for p in err.value.problems)


def test_pre_booked_items_beyond_the_stock_fail_at_start_up(fixtures: Path) -> None:
    _edit_orders(fixtures, [{"product_id": TENT, "quantity": 8}])  # 7 tents, order 0 reserved
    with pytest.raises(FixtureError) as err:
        create_app(Settings(fixtures=fixtures))
    assert any("$.orders[0].items: cannot be booked" in p for p in err.value.problems)


def _records_and_ids(bq: Booqable) -> tuple[Any, Any]:
    state = bq.api.get("/_sandbox/state").json()
    return state["vendors"], state["ids"]


def test_head_of_orders_new_makes_no_order(bq: Booqable) -> None:
    before = _records_and_ids(bq)
    assert bq.request("HEAD", "/orders/new").status_code == 200
    assert _records_and_ids(bq) == before
    assert bq.get("/orders/new").status_code == 200
    assert _records_and_ids(bq) != before
