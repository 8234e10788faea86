"""Order status transitions: the docs' examples, the lifecycle, shortages and the rules.

The DOCS-2024 examples are replayed on orders of this namespace put in the example's
status: the answer's attributes must be the example's (its `order_id` ours), its id a
version-5-looking UUID. Their `"relationships": {}` is the 2024 era's; ours lists `order`
as not included, as the seed's era does.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import httpx2 as httpx
import pytest

from tests.booqable.conftest import CHAIR, IPAD, IPAD_ITEMS, JSONAPI, Booqable, product
from tests.booqable.test_orders import (
    APRIL,
    MAY,
    UNKNOWN,
    allocations,
    attributes,
    fulfil,
    golden,
    new_order,
    ok,
    reserved_with,
    unchecked,
)

V5 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def transition(bq: Booqable, query: str, ident: str, current: str, wanted: str) -> httpx.Response:
    """A transition with a query string (`bq.transition` sends attributes only)."""
    sent = {"order_id": ident, "transition_from": current, "transition_to": wanted}
    body = {"data": {"type": "order_status_transitions", "attributes": sent}}
    return bq.post(f"/order_status_transitions{query}", json=body)


def refused(bq: Booqable, ident: str, current: str, wanted: str, **attrs: Any) -> httpx.Response:
    """A transition answered `wrong_status` or 400: not JSON:API 1.0 (`"meta": null`,
    pointers without a leading slash), so sent without the client's schema check."""
    sent = {"order_id": ident, "transition_from": current, "transition_to": wanted, **attrs}
    body = {"data": {"type": "order_status_transitions", "attributes": sent}}
    return unchecked(bq, "POST", "/order_status_transitions", json=body)


def order_in(bq: Booqable, status: str, chairs: int = 0) -> str:
    """An order of this namespace in `status`; started and stopped through fulfillments."""
    if status in ("started", "stopped", "archived"):
        chairs = chairs or 1
    ident = new_order(bq, status="concept" if status == "concept" else "new")
    if chairs:
        ok(bq.book(ident, product(id=CHAIR, quantity=chairs)), 201)
    if status in ("reserved", "started", "stopped", "archived", "canceled"):
        ok(bq.transition(ident, attributes(bq, ident)["status"], "reserved"))
    if status in ("started", "stopped", "archived"):
        fulfil(bq, ident, "start_product", chairs)
    if status in ("stopped", "archived"):
        fulfil(bq, ident, "stop_product", chairs)
    if status == "archived":
        ok(bq.transition(ident, "stopped", "archived"))
    if status == "canceled":
        ok(bq.transition(ident, "reserved", "canceled"))
    assert attributes(bq, ident)["status"] == status
    return ident


@pytest.mark.parametrize(
    ("name", "status", "chairs"),
    [
        ("transitions_save_new_as_concept_200", "new", 0),
        ("transitions_reserve_concept_200", "concept", 2),
        ("transitions_reserve_override_warning_200", "concept", 9),
        ("transitions_revert_reserved_to_concept_200", "reserved", 2),
        ("transitions_archive_stopped_200", "stopped", 2),
    ],
)
def test_docs_examples(bq: Booqable, name: str, status: str, chairs: int) -> None:
    example = golden(name)
    request = copy.deepcopy(example["request"] or example["reconstructed_request"])
    ident = order_in(bq, status, chairs)
    request["data"]["attributes"]["order_id"] = ident
    response = bq.post("/order_status_transitions", json=request)
    body = ok(response)
    assert response.headers["content-type"] == JSONAPI
    theirs = example["response"]["data"]
    assert body["data"]["type"] == theirs["type"]
    assert body["data"]["attributes"] == {**theirs["attributes"], "order_id": ident}
    assert list(body["data"]["attributes"]) == list(theirs["attributes"])
    assert V5.match(body["data"]["id"])
    assert V5.match(theirs["id"])
    assert body["data"]["relationships"] == {"order": {"meta": {"included": False}}}
    assert body["meta"] == example["response"]["meta"] == {}
    assert attributes(bq, ident)["status"] == theirs["attributes"]["transition_to"]


def test_archiving_a_reserved_order_is_the_docs_422(bq: Booqable) -> None:
    example = golden("transitions_archive_reserved_422")
    ident = order_in(bq, "reserved", 1)
    example["request"]["data"]["attributes"]["order_id"] = ident
    other = Booqable(bq.api, "/api/4")
    response = unchecked(other, "POST", "/order_status_transitions", json=example["request"])
    assert response.status_code == 422
    assert response.headers["content-type"] == JSONAPI
    assert response.json() == example["response"]
    assert attributes(bq, ident)["status"] == "reserved"


def test_lifecycle_takes_and_releases_stock(bq: Booqable) -> None:
    ident = new_order(bq)
    ok(bq.book(ident, product(id=CHAIR, quantity=3)), 201)
    ok(bq.book(ident, product(id=IPAD, quantity=1, stock_item_ids=[IPAD_ITEMS[0]])), 201)
    assert attributes(bq, ident)["number"] is None
    ok(bq.transition(ident, "new", "concept"))
    found = attributes(bq, ident)
    assert (found["status"], found["number"]) == ("concept", 201)  # numbered leaving `new`
    assert allocations(bq, ident) == []  # a concept order takes no stock
    body = ok(transition(bq, "?include=order.plannings", ident, "concept", "reserved"))
    included = {(r["type"], r["id"]): r for r in body["included"]}
    found = included[("orders", ident)]["attributes"]
    assert (found["status"], found["statuses"]) == ("reserved", ["reserved"])
    assert found["status_counts"]["reserved"] == 4
    plannings = [r["attributes"] for r in body["included"] if r["type"] == "plannings"]
    assert [p["reserved"] for p in plannings] == [True, True]
    assert sorted((a["quantity"], tuple(a["units"])) for a in allocations(bq, ident)) == [
        (1, (IPAD_ITEMS[0],)),
        (3, ()),
    ]
    sips = ok(bq.get(f"/stock_item_plannings?filter[order_id]={ident}"))["data"]
    assert [s["attributes"]["reserved"] for s in sips] == [True]
    ok(bq.transition(ident, "reserved", "canceled"))
    assert allocations(bq, ident) == []
    found = attributes(bq, ident)
    assert (found["status"], found["number"]) == ("canceled", 201)
    sips = ok(bq.get(f"/stock_item_plannings?filter[order_id]={ident}"))["data"]
    assert [s["attributes"]["reserved"] for s in sips] == [False]
    body = ok(refused(bq, ident, "canceled", "reserved"), 422)  # never resurrected
    assert body["errors"][0]["code"] == "wrong_status"


def test_shortage_warning_then_confirmed(bq: Booqable) -> None:
    ident = order_in(bq, "concept", 9)  # 8 chairs, 2 may be overbooked
    body = ok(bq.transition(ident, "concept", "reserved"), 422)
    shape = golden("transitions_reserve_shortage_warning_422")["response"]
    entry = {"item_id": CHAIR, "stock_count": 8, "reserved": 0, "needed": 9, "shortage": 1}
    expected = copy.deepcopy(shape)
    expected["errors"][0]["meta"]["warning"][0].update(entry)
    assert body == expected
    assert attributes(bq, ident)["status"] == "concept"
    assert allocations(bq, ident) == []
    ok(bq.transition(ident, "concept", "reserved", confirm_shortage=True))
    found = attributes(bq, ident)
    assert (found["status"], found["shortage"], found["location_shortage"]) == (
        "reserved",
        True,
        True,
    )
    planning = ok(bq.get(f"/plannings?filter[order_id]={ident}"))["data"][0]["attributes"]
    assert (planning["shortage_amount"], planning["location_shortage_amount"]) == (1, 1)
    # Released, the shortage goes with the stock.
    ok(bq.transition(ident, "reserved", "concept", revert=True))
    assert attributes(bq, ident)["shortage"] is False


def test_blocking_shortage_is_never_confirmed(bq: Booqable) -> None:
    ident = order_in(bq, "concept", 11)
    before = attributes(bq, ident)
    body = ok(bq.transition(ident, "concept", "reserved", confirm_shortage=True), 422)
    shape = golden("transitions_reserve_blocking_shortage_422")["response"]
    expected = copy.deepcopy(shape)
    expected["errors"][0]["meta"]["blocking"][0].update(
        {"item_id": CHAIR, "stock_count": 8, "reserved": 0, "needed": 11, "shortage": 3}
    )
    assert body == expected
    assert attributes(bq, ident) == before
    assert allocations(bq, ident) == []


def test_concept_orders_take_no_stock(bq: Booqable) -> None:
    first, second = order_in(bq, "concept", 8), order_in(bq, "concept", 8)
    ok(bq.transition(first, "concept", "reserved"))
    body = ok(bq.transition(second, "concept", "reserved"), 422)
    assert body["errors"][0]["meta"]["blocking"][0]["reserved"] == 8


def test_disjoint_periods_fit_overlapping_ones_go_short(bq: Booqable) -> None:
    reserved_with(bq, APRIL, 8)
    assert attributes(bq, reserved_with(bq, MAY, 8))["shortage"] is False
    overlapping = new_order(bq, ("2030-04-04T12:00:00Z", "2030-04-10T12:00:00Z"))
    ok(bq.book(overlapping, product(id=CHAIR, quantity=2)), 201)
    body = ok(bq.transition(overlapping, "new", "reserved"), 422)
    assert body["errors"][0]["meta"]["warning"][0]["shortage"] == 2


@pytest.mark.parametrize(
    ("status", "sent_from", "to", "revert"),
    [
        ("new", "concept", "reserved", None),  # not the current status
        ("reserved", "reserved", "archived", None),
        ("reserved", "reserved", "started", None),
        ("reserved", "reserved", "reserved", None),
        ("concept", "concept", "new", None),
        ("new", "new", "concept", True),  # forward moves are not reverts
        ("reserved", "reserved", "concept", None),  # reverts need `revert: true`
        ("stopped", "stopped", "started", False),
        ("started", "started", "canceled", None),
        ("started", "started", "stopped", None),
        ("archived", "archived", "reserved", True),
        ("canceled", "canceled", "concept", True),
        ("new", "new", "nonsense", None),
    ],
)
def test_wrong_status(
    bq: Booqable, status: str, sent_from: str, to: str, revert: bool | None
) -> None:
    ident = order_in(bq, status)
    body = ok(refused(bq, ident, sent_from, to, revert=revert), 422)
    assert body == {
        "errors": [
            {
                "code": "wrong_status",
                "status": "422",
                "title": "Wrong status",
                "detail": f"Can't transition order from '{status}' to '{to}'",
                "meta": None,
            }
        ]
    }
    assert attributes(bq, ident)["status"] == status


def test_reverts_walk_back_to_concept(bq: Booqable) -> None:
    ident = order_in(bq, "archived", 2)
    assert allocations(bq, ident) == []  # stopped: the chairs are back for other rentals
    ok(bq.transition(ident, "archived", "stopped", revert=True))
    assert allocations(bq, ident) == []  # still back
    assert chairs_planning(bq, ident)[:2] == (2, 2)
    ok(bq.transition(ident, "stopped", "started", revert=True))
    assert [a["quantity"] for a in allocations(bq, ident)] == [2]  # out again
    assert chairs_planning(bq, ident)[:2] == (2, 0)
    assert attributes(bq, ident)["entirely_started"] is True
    ok(bq.transition(ident, "started", "reserved", revert=True))
    assert chairs_planning(bq, ident) == (0, 0, True)
    assert [a["quantity"] for a in allocations(bq, ident)] == [2]
    ok(bq.transition(ident, "reserved", "concept", revert=True))
    assert allocations(bq, ident) == []
    assert chairs_planning(bq, ident) == (0, 0, False)
    assert attributes(bq, ident)["status"] == "concept"


def test_reverting_returned_items_out_again_can_be_short(bq: Booqable) -> None:
    ident = order_in(bq, "stopped", 8)
    other = reserved_with(bq, APRIL, 8)  # the chairs came back and went out again
    before = (attributes(bq, ident), chairs_planning(bq, ident), allocations(bq, ident))
    body = ok(bq.transition(ident, "stopped", "started", revert=True), 422)
    assert body["errors"][0]["meta"]["blocking"][0]["reserved"] == 8
    assert (attributes(bq, ident), chairs_planning(bq, ident), allocations(bq, ident)) == before
    ok(bq.transition(other, "reserved", "canceled"))
    ok(bq.transition(ident, "stopped", "started", revert=True))
    assert [a["quantity"] for a in allocations(bq, ident)] == [8]


def chairs_planning(bq: Booqable, ident: str) -> tuple[int, int, bool]:
    """(started, stopped, reserved) of the order's one planning."""
    found = ok(bq.get(f"/plannings?filter[order_id]={ident}"))["data"][0]["attributes"]
    return found["started"], found["stopped"], found["reserved"]


def test_draft_is_read_as_concept(bq: Booqable) -> None:
    ident = new_order(bq)
    body = ok(bq.transition(ident, "new", "draft"))
    assert body["data"]["attributes"]["transition_to"] == "draft"  # echoed as sent
    assert attributes(bq, ident)["status"] == "concept"
    ok(bq.transition(ident, "draft", "reserved"))


def test_reserving_needs_a_period(bq: Booqable) -> None:
    ident = new_order(bq, None)
    body = ok(bq.transition(ident, "new", "reserved"), 422)
    assert [e["meta"]["attribute"] for e in body["errors"]] == ["starts_at", "stops_at"]
    found = attributes(bq, ident)
    assert (found["status"], found["number"]) == ("new", None)


def test_request_errors(bq: Booqable) -> None:
    ident = new_order(bq)
    assert bq.transition(UNKNOWN, "new", "concept").status_code == 404
    body = ok(
        bq.post("/order_status_transitions", json={"data": {"type": "order_status_transitions"}}),
        422,
    )
    assert [e["meta"]["attribute"] for e in body["errors"]] == [
        "order_id",
        "transition_from",
        "transition_to",
    ]
    body = ok(refused(bq, ident, "new", "concept", status="x"), 400)
    assert body["errors"][0]["meta"]["code"] == "unknown_attribute"
    assert refused(bq, ident, "new", "concept", revert="maybe").status_code == 400
    response = bq.post(
        "/order_status_transitions?include=customer",
        json={"data": {"type": "order_status_transitions", "attributes": {"order_id": ident}}},
    )
    assert response.status_code == 400
    assert attributes(bq, ident)["status"] == "new"


def test_include_order_lines_on_the_other_prefix(bq: Booqable) -> None:
    ident = order_in(bq, "new", 2)
    other = Booqable(bq.api, "/api/4")
    body = ok(transition(other, "?include=order.lines", ident, "new", "concept"))
    assert body["data"]["relationships"]["order"] == {"data": {"type": "orders", "id": ident}}
    kinds = [r["type"] for r in body["included"]]
    assert kinds == ["orders", "lines"]
    lines: Any = body["included"][0]["relationships"]["lines"]["data"]
    assert lines == [{"type": "lines", "id": body["included"][1]["id"]}]
