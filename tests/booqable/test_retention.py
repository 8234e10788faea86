"""Booqable's retention (--retain-finished): canceled orders beyond the most recent are pruned
with their lines, plannings, stock item plannings, notes, barcode and engine allocations; live
and archived orders never are; the kept ones answer exactly; a pruned id answers as one never
issued on both prefixes; the export says what was pruned and imports back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.testing.live import LiveServer
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable.catalog import CHILDREN
from tests import retention_apps
from tests.booqable.conftest import CHAIR, IPAD, IPAD_ITEMS, ORDER_RESERVED, Booqable, product
from tests.booqable.test_orders import MAY, UNKNOWN, new_order, ok
from tests.booqable.test_transitions import order_in
from tests.conftest import START, Api

KEEP = retention_apps.KEEP
CYCLES = 20  # 4 writes each: > 64 writes, the fewest between two passes
SHOWN = "?include=lines,plannings,stock_item_plannings,notes,barcode"


@pytest.fixture(scope="module")
def small_server() -> Iterator[LiveServer]:
    yield from retention_apps.small_server()


@pytest.fixture(params=["asgi", pytest.param("live", marks=pytest.mark.live)])
def small(request: pytest.FixtureRequest) -> Iterator[Api]:
    """`api`, on a server keeping 2 finished records per vendor and kind."""
    yield from retention_apps.small_api(request, "bq-retention")


@pytest.fixture
def bq(small: Api) -> Booqable:
    """The `bq` of conftest.py, on the small server, its clock frozen (exports compare)."""
    assert small.put("/_sandbox/clock", json={"now": START, "frozen": True}).status_code == 200
    return Booqable(small)


def canceled(bq: Booqable) -> str:
    """A new order, booked, reserved (its stock taken) and canceled (released)."""
    ident = new_order(bq, MAY)
    ok(bq.book(ident, product(id=CHAIR, quantity=1)), 201)
    ok(bq.transition(ident, "new", "reserved"))
    ok(bq.transition(ident, "reserved", "canceled"))
    return ident


def test_canceled_orders_beyond_the_limit_go_with_everything_theirs(bq: Booqable) -> None:
    live = [ORDER_RESERVED, order_in(bq, "archived"), order_in(bq, "reserved", 2)]
    live.append(order_in(bq, "concept", 1))
    # The oldest canceled order also has a stock item planning, a note and a barcode.
    first = new_order(bq, MAY)
    ok(bq.book(first, {"type": "products", "id": IPAD, "stock_item_ids": [IPAD_ITEMS[0]]}), 201)
    note = ok(bq.create("notes", body="gone", owner_id=first, owner_type="orders"), 201)
    code = ok(
        bq.create("barcodes", barcode_type="qr_code", owner_id=first, owner_type="orders"), 201
    )
    ok(bq.transition(first, "new", "reserved"))
    ok(bq.transition(first, "reserved", "canceled"))
    shown_live = [bq.get(f"/orders/{o}{SHOWN}").content for o in live]
    held_live = _allocations(bq, live)
    orders = [first]
    last: dict[str, bytes] = {}
    for _ in range(CYCLES):
        orders.append(canceled(bq))
        last[orders[-1]] = bq.get(f"/orders/{orders[-1]}{SHOWN}").content

    assert [bq.get(f"/orders/{o}{SHOWN}").content for o in live] == shown_live
    assert _allocations(bq, live) == held_live
    kept = [o for o in orders if bq.get(f"/orders/{o}").status_code == 200]
    pruned = [o for o in orders if o not in kept]
    assert pruned
    assert orders[: len(pruned)] == pruned  # the oldest go
    assert KEEP <= len(kept) <= KEEP + 64
    for ident in kept:
        assert bq.get(f"/orders/{ident}{SHOWN}").content == last[ident]

    v4 = Booqable(bq.api, "/api/4")
    for client in (bq, v4):
        unknown = client.get(f"/orders/{UNKNOWN}")
        for ident in pruned[:3]:
            answer = client.get(f"/orders/{ident}")
            assert (answer.status_code, answer.content) == (404, unknown.content)
    listed = {o["id"] for o in ok(bq.get("/orders?page[size]=100"))["data"]}
    assert set(live) | set(kept) <= listed
    assert listed.isdisjoint(pruned)
    assert ok(bq.get(f"/plannings?filter[order_id]={first}"))["data"] == []
    assert bq.get(f"/notes/{note['data']['id']}").status_code == 404
    assert bq.get(f"/barcodes/{code['data']['id']}").status_code == 404

    exported = _reimports(bq.api)
    per_order = len(pruned)
    assert exported["pruned"] == {
        "policy": {"retain_finished": KEEP},
        "counts": {
            "booqable": {
                "orders": per_order,
                "lines": per_order,
                "plannings": per_order,
                "stock_item_plannings": 1,
                "notes": 1,
                "barcodes": 1,
                "allocations": per_order,  # one per reserved planning, released on cancel
            }
        },
    }
    records = exported["vendors"]["booqable"]
    assert set(records["orders"]).isdisjoint(pruned)
    for kind in ("lines", "plannings", "stock_item_plannings"):
        owners = {r.get("order_id", r.get("owner_id")) for r in records[kind].values()}
        assert owners.isdisjoint(pruned)
    owners = {a["owner"] for a in exported["inventory"]["allocations"]}
    assert owners.isdisjoint(pruned)
    assert set(kept) <= owners


def test_without_canceled_orders_nothing_is_pruned(bq: Booqable) -> None:
    """Archived orders can be reverted (archived -> stopped): never finished, never pruned."""
    archived = [order_in(bq, "archived") for _ in range(KEEP + 1)]
    for _ in range(70):  # writes enough for a pass: a refused transition is a write too
        assert bq.transition(archived[0], "new", "reserved").status_code == 422
    for ident in archived:
        assert ok(bq.get(f"/orders/{ident}"))["data"]["attributes"]["status"] == "archived"
    assert "pruned" not in ok(bq.api.get("/_sandbox/state"))


def test_the_stores_indexes_keep_no_trace_of_pruned_orders() -> None:
    """The child indexes (state.BooqableStore) drop a group once emptied: keyed by a pruned
    order's or planning's id, it would otherwise stay for good (~1 KiB per order)."""
    settings = Settings(start_time=parse_instant(START), retain_finished=KEEP)
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        bq = Booqable(Api(client, "bq-indexes"))
        orders = [canceled(bq) for _ in range(CYCLES)]
        space = app.state.sandbox.namespaces.peek("bq-indexes")
        records = space.vendor_state["booqable"]
        pruned = [o for o in orders if o not in records["orders"]]
        assert pruned
        for (kind, _key), groups in space.derived[CHILDREN].items():
            assert set(groups).isdisjoint(pruned)
            for group in groups.values():
                assert group  # no emptied group left behind
                assert kind not in records or set(group) <= set(records[kind])


def _allocations(bq: Booqable, owners: list[str]) -> list[dict[str, Any]]:
    state = ok(bq.api.get("/_sandbox/state"))
    return [a for a in state["inventory"]["allocations"] if a["owner"] in owners]


def _reimports(api: Api) -> dict[str, Any]:
    exported: dict[str, Any] = ok(api.get("/_sandbox/state"))
    response = api.put("/_sandbox/state", json=exported)
    assert response.status_code == 200, response.text
    assert api.get("/_sandbox/state").json() == exported
    return exported
