"""Issue 15: every documented fulfillment action, the `changed_*` includes, the 2024-2025
shortage bodies on `/api/4`, `draft` and the all-or-nothing rule (reference §4.2, §4.4).

`/api/boomerang` keeps the 2022 docs' answers (items_not_available, entries without
`orders`/`downtimes`); `/api/4` answers as the DOCS-HEAD examples (golden `*_head_*`,
`fulfillments_remove_stock_item_200`).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from tests.booqable.conftest import (
    CHAIR,
    IPAD,
    IPAD_ITEMS,
    MACBOOK,
    ORDER_RESERVED,
    TENT,
    Booqable,
    product,
)
from tests.booqable.test_bookings import KIT, included, not_available, shortage, snapshot
from tests.booqable.test_fulfillment_moves import count, held, units
from tests.booqable.test_fulfillments import book_product, fulfil, invalid
from tests.booqable.test_orders import attributes, golden, new_order, ok, unchecked
from tests.conftest import Api

DJ = "141692f0-98a4-41c6-995e-33f1d37b03e6"  # trackable, two stock items
DJ_ITEMS = ("6ca9c502-4844-4b54-b7cb-4425d411bbe4", "396724af-2cc9-44d7-945f-2dc10ce9cbd8")
PROJECTOR = "dc98bab9-fec1-446c-a7d1-b70ebdf32946"  # bulk, stock 1, shortage up to 2
CHANGED = "changed_lines,changed_plannings,changed_stock_item_plannings"


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def specify(product_id: str, add: list[str], remove: list[str], **rest: Any) -> dict[str, Any]:
    return {
        "action": "specify_stock_items",
        "product_id": product_id,
        "stock_item_ids_to_add": add,
        "stock_item_ids_to_remove": remove,
        **rest,
    }


def sips_of(bq: Booqable, order_id: str) -> list[dict[str, Any]]:
    shown = ok(bq.get(f"/orders/{order_id}?include=stock_item_plannings"))
    return [s["attributes"] for s in included(shown, "stock_item_plannings")]


def planning_ids(bq: Booqable, order_id: str, product_id: str) -> list[str]:
    found = ok(bq.get(f"/plannings?filter[order_id]={order_id}&filter[item_id]={product_id}"))
    return [p["id"] for p in found["data"]]


def units_held(bq: Booqable, order_id: str, product_id: str) -> list[str]:
    allocations = ok(bq.api.get("/_sandbox/state"))["inventory"]["allocations"]
    return sorted(
        u
        for a in allocations
        if a["owner"] == order_id
        and a["pool"] == f"booqable:product:{product_id}"
        and a["status"] == "confirmed"
        for u in a["units"]
    )


def order_with(bq: Booqable, status: str, *items: dict[str, Any]) -> str:
    """A 2030 order of this namespace with `items` booked, then put in `status`."""
    ident = new_order(bq)
    if items:
        ok(bq.book(ident, *items), 201)
    if status in ("concept", "reserved"):
        ok(bq.transition(ident, "new", status))
    return ident


def linkage(body: dict[str, Any], name: str) -> list[str]:
    return [r["id"] for r in body["data"]["relationships"][name]["data"]]


def state_round_trips(bq: Booqable) -> None:
    """The state check (PUT /_sandbox/state) accepts what the actions left."""
    state = ok(bq.api.get("/_sandbox/state"))
    ok(bq.api.put("/_sandbox/state", json=state))


# ----- specify_stock_items --------------------------------------------------------------------


def test_specify_adds_stock_items_and_the_engine_holds_them(v4: Booqable) -> None:
    ident = order_with(v4, "reserved", product(id=IPAD, quantity=2))
    assert units_held(v4, ident, IPAD) == []
    action = specify(IPAD, [IPAD_ITEMS[0], IPAD_ITEMS[1]], [])
    body = ok(fulfil(v4, ident, action, query=f"?include={CHANGED}"))
    assert body["data"]["relationships"]["changed_lines"] == {"data": []}
    assert body["data"]["relationships"]["changed_plannings"] == {"data": []}
    made = included(body, "stock_item_plannings")
    assert [s["attributes"]["stock_item_id"] for s in made] == list(IPAD_ITEMS[:2])
    assert [s["attributes"]["reserved"] for s in made] == [True, True]
    assert linkage(body, "changed_stock_item_plannings") == [s["id"] for s in made]
    assert [s["stock_item_id"] for s in sips_of(v4, ident)] == list(IPAD_ITEMS[:2])
    assert units_held(v4, ident, IPAD) == sorted(IPAD_ITEMS[:2])
    # Specified here, the unit is this order's: another overlapping order cannot take it.
    other = order_with(v4, "new", product(id=IPAD, stock_item_ids=[IPAD_ITEMS[0]]))
    response = v4.transition(other, "new", "reserved")
    assert response.json()["errors"][0]["code"] == "stock_item_specified"
    state_round_trips(v4)


def test_the_docs_remove_example_on_fixture_ids(v4: Booqable) -> None:
    """DOCS-HEAD 'Remove a StockItem', `include` in the body: the archived stock item
    planning comes back as `changed_stock_item_plannings` (golden file)."""
    ident = order_with(v4, "concept", product(id=DJ, stock_item_ids=[DJ_ITEMS[0]]))
    [planning] = planning_ids(v4, ident, DJ)
    example = golden("fulfillments_remove_stock_item_200")
    ids = {
        "fd750947-416c-4da3-8158-cf456b81dc87": ident,
        "45cd8238-74d4-4f33-836f-31a80860316a": DJ,
        "efda8344-0d43-4bf2-8360-2eaf863301df": planning,
        "1cf99ea9-3582-4711-8d60-f289187d90b5": DJ_ITEMS[0],
    }
    text = json.dumps(example)
    for theirs, ours in ids.items():
        text = text.replace(theirs, ours)
    example = json.loads(text)
    [sip_id] = [
        s["id"] for s in ok(v4.get(f"/stock_item_plannings?filter[order_id]={ident}"))["data"]
    ]
    response = v4.post(example["path"].removeprefix("/api/4"), json=example["request"])
    body = ok(response, example["status"])
    expected = example["response"]
    assert list(body) == list(expected)
    assert body["data"]["type"] == "order_fulfillments"
    assert body["data"]["attributes"] == expected["data"]["attributes"]
    assert body["data"]["relationships"] == {
        "changed_stock_item_plannings": {"data": [{"type": "stock_item_plannings", "id": sip_id}]}
    }
    [ours] = body["included"]
    [theirs] = expected["included"]
    assert list(ours) == list(theirs)
    assert (ours["id"], ours["type"], ours["relationships"]) == (sip_id, theirs["type"], {})
    # The attributes this sandbox writes are the example's, in its order (timestamps aside).
    written = [k for k in theirs["attributes"] if k in ours["attributes"]]
    assert [k for k in ours["attributes"] if k in theirs["attributes"]] == written
    assert {"archived", "archived_at", "stock_item_id", "planning_id"} <= set(written)
    stamps = {"created_at", "updated_at", "archived_at"}
    assert {k: ours["attributes"][k] for k in written if k not in stamps} == {
        k: theirs["attributes"][k] for k in written if k not in stamps
    }
    assert ours["attributes"]["archived_at"].endswith(".000000+00:00")
    assert sips_of(v4, ident) == []


def test_specify_swaps_a_unit_and_frees_the_removed_one(v4: Booqable) -> None:
    ident = order_with(v4, "reserved", product(id=DJ, stock_item_ids=[DJ_ITEMS[0]]))
    assert units_held(v4, ident, DJ) == [DJ_ITEMS[0]]
    swap = specify(DJ, [DJ_ITEMS[1]], [DJ_ITEMS[0]])
    body = ok(fulfil(v4, ident, swap, query="?include=changed_stock_item_plannings"))
    changed = [r["attributes"] for r in body["included"]]
    # The new one, then the removed one (archived, no longer reserving anything).
    assert [s["stock_item_id"] for s in changed] == [DJ_ITEMS[1], DJ_ITEMS[0]]
    assert [s["archived"] is True for s in changed] == [False, True]
    assert [s["reserved"] for s in changed] == [True, False]
    assert units_held(v4, ident, DJ) == [DJ_ITEMS[1]]
    # DJ_ITEMS[0] is free again for an overlapping order.
    other = order_with(v4, "new", product(id=DJ, stock_item_ids=[DJ_ITEMS[0]]))
    ok(v4.transition(other, "new", "reserved"))
    state_round_trips(v4)


def test_specify_on_a_concept_order_takes_no_stock(bq: Booqable) -> None:
    ident = order_with(bq, "concept", product(id=IPAD, quantity=1))
    ok(fulfil(bq, ident, specify(IPAD, [IPAD_ITEMS[2]], [])))
    assert [(s["stock_item_id"], s["reserved"]) for s in sips_of(bq, ident)] == [
        (IPAD_ITEMS[2], False)
    ]
    assert units_held(bq, ident, IPAD) == []
    ok(bq.transition(ident, "concept", "reserved"))  # reserving takes the named unit
    assert units_held(bq, ident, IPAD) == [IPAD_ITEMS[2]]


def test_a_started_unit_cannot_be_removed(bq: Booqable) -> None:
    ident = order_with(bq, "reserved", product(id=IPAD, quantity=2))
    ok(fulfil(bq, ident, units("start_stock_items", IPAD, IPAD_ITEMS[0])))
    response = fulfil(bq, ident, specify(IPAD, [], [IPAD_ITEMS[0]]))
    assert response.json() == invalid(
        f"stock_item_id {IPAD_ITEMS[0]} has been started: it cannot be removed"
    )
    # On a started order the other unit can still be named; the engine holds both.
    ok(fulfil(bq, ident, specify(IPAD, [IPAD_ITEMS[1]], [])))
    assert units_held(bq, ident, IPAD) == sorted(IPAD_ITEMS[:2])
    state_round_trips(bq)


def test_no_more_units_than_the_planning_quantity(bq: Booqable) -> None:
    ident = order_with(bq, "reserved", product(id=IPAD, quantity=2, stock_item_ids=[IPAD_ITEMS[0]]))
    response = fulfil(bq, ident, specify(IPAD, [IPAD_ITEMS[1], IPAD_ITEMS[2]], []))
    assert response.json() == invalid(
        f"stock_item_id {IPAD_ITEMS[2]} cannot be specified: every unit of the planning is "
        "specified"
    )
    # Removing one in the same request makes room (across actions too).
    actions = (
        specify(IPAD, [IPAD_ITEMS[1], IPAD_ITEMS[2]], []),
        specify(IPAD, [], [IPAD_ITEMS[0]]),
    )
    ok(fulfil(bq, ident, *actions))
    assert sorted(s["stock_item_id"] for s in sips_of(bq, ident)) == sorted(IPAD_ITEMS[1:])
    assert units_held(bq, ident, IPAD) == sorted(IPAD_ITEMS[1:])


BAD_SPECIFIES = [
    (specify(IPAD, [], []),
     "actions[0].stock_item_ids_to_add can't be blank when stock_item_ids_to_remove is blank"),
    ({"action": "specify_stock_items", "product_id": IPAD, "stock_item_ids_to_add": "x"},
     "actions[0].stock_item_ids_to_add must be an array of stock item ids"),
    (specify(IPAD, [], [{}]),  # type: ignore[list-item]
     "actions[0].stock_item_ids_to_remove must be an array of stock item ids"),
    (specify(IPAD, [IPAD_ITEMS[0]], [], quantity=1),
     "actions[0].quantity is not a member of a specify_stock_items action"),
    (specify(TENT, [IPAD_ITEMS[0]], []),
     f"actions[0].product_id {TENT} has no stock items (not trackable)"),
    (specify(DJ, [DJ_ITEMS[0]], []),
     f"actions[0].planning_id can't be blank: {DJ} is not booked on this order"),
    (specify(IPAD, [IPAD_ITEMS[0]], [], planning_id=TENT),
     f"actions[0].planning_id {TENT} is not a planning of {IPAD} on this order"),
    (specify(IPAD, [DJ_ITEMS[0]], []),
     f"stock_item_id {DJ_ITEMS[0]} is not a stock item of {IPAD}"),
    (specify(IPAD, [IPAD_ITEMS[2]], [IPAD_ITEMS[2]]),
     f"stock_item_id {IPAD_ITEMS[2]} is named twice"),
    (specify(IPAD, [], [IPAD_ITEMS[1]]),
     f"stock_item_id {IPAD_ITEMS[1]} is not specified on this planning"),
    (specify(IPAD, [IPAD_ITEMS[2]], []),
     f"stock_item_id {IPAD_ITEMS[2]} has already been booked on this order"),
]  # fmt: skip


@pytest.mark.parametrize(("action", "message"), BAD_SPECIFIES)
def test_a_refused_specify(bq: Booqable, action: Any, message: str) -> None:
    # Two IPAD plannings would make planning_id required: one IPAD planning, one DJ-less order.
    ident = order_with(bq, "reserved", product(id=IPAD, quantity=2, stock_item_ids=[IPAD_ITEMS[2]]))
    before = snapshot(bq, ident)
    assert fulfil(bq, ident, action).json() == invalid(message)
    assert snapshot(bq, ident) == before


# ----- stock item conflicts and shortages, per era ---------------------------------------------


def _conflict(bq: Booqable) -> tuple[str, str]:
    """(holder, order): the holder reserved DJ_ITEMS[0] over APRIL; the order has a DJ."""
    holder = order_with(bq, "reserved", product(id=DJ, stock_item_ids=[DJ_ITEMS[0]]))
    ident = order_with(bq, "reserved", product(id=DJ, quantity=1))
    return holder, ident


def test_specifying_a_unit_held_elsewhere_on_v4(v4: Booqable) -> None:
    holder, ident = _conflict(v4)
    before = snapshot(v4, ident, holder)
    response = fulfil(v4, ident, specify(DJ, [DJ_ITEMS[0]], []), confirm_shortage=True)
    assert response.status_code == 422
    expected = copy.deepcopy(golden("transitions_head_stock_item_specified_422")["response"])
    expected["errors"][0]["meta"]["blocking"][0].update(
        item_id=DJ,
        unavailable=[DJ_ITEMS[0]],
        available=[DJ_ITEMS[1]],
        orders=[{"id": holder, "stock_item_ids": [DJ_ITEMS[0]], "conflicts": 1}],
    )
    assert json.dumps(response.json()) == json.dumps(expected)  # key order too
    assert snapshot(v4, ident, holder) == before


def test_specifying_a_unit_held_elsewhere_on_boomerang(bq: Booqable) -> None:
    _, ident = _conflict(bq)
    response = fulfil(bq, ident, specify(DJ, [DJ_ITEMS[0]], []))
    entry = {
        "reason": "stock_item_specified",
        "item_id": DJ,
        "unavailable": [DJ_ITEMS[0]],
        "available": [DJ_ITEMS[1]],
    }
    assert response.json() == not_available([], [entry])


def test_reserving_with_a_unit_held_elsewhere_per_era(api: Api) -> None:
    """§4.2 'Reserve a concept Order, causing a stock item specified error'."""
    v4, boomerang = Booqable(api, "/api/4"), Booqable(api)
    holder = order_with(v4, "reserved", product(id=DJ, stock_item_ids=[DJ_ITEMS[0]]))
    ident = order_with(v4, "concept", product(id=DJ, stock_item_ids=[DJ_ITEMS[0]]))
    answer = v4.transition(ident, "concept", "reserved")
    expected = copy.deepcopy(golden("transitions_head_stock_item_specified_422")["response"])
    expected["errors"][0]["meta"]["blocking"][0].update(
        item_id=DJ,
        unavailable=[DJ_ITEMS[0]],
        available=[DJ_ITEMS[1]],
        orders=[{"id": holder, "stock_item_ids": [DJ_ITEMS[0]], "conflicts": 1}],
    )
    assert answer.status_code == 422
    assert json.dumps(answer.json()) == json.dumps(expected)
    # Its DOCS-2024 version (golden) has the same code without `orders`/`downtimes`.
    docs_2024 = golden("transitions_reserve_stock_item_specified_422")["response"]["errors"][0]
    assert answer.json()["errors"][0]["code"] == docs_2024["code"]
    # /api/boomerang: the 2022 docs' code and entries (the pre-2024-07 page), unchanged.
    old = boomerang.transition(ident, "concept", "reserved").json()
    entry = dict(expected["errors"][0]["meta"]["blocking"][0])
    del entry["orders"], entry["downtimes"]
    assert old == not_available([], [entry])
    assert attributes(v4, ident)["status"] == "concept"


def test_the_head_shortage_warning(api: Api) -> None:
    """DOCS-HEAD 'causing a shortage warning': projector stock 1, 2 wanted, nobody else."""
    v4 = Booqable(api, "/api/4")
    ident = order_with(v4, "concept", product(id=PROJECTOR, quantity=2))
    answer = v4.transition(ident, "draft", "reserved")
    expected = copy.deepcopy(golden("transitions_head_shortage_warning_422")["response"])
    expected["errors"][0]["meta"]["warning"][0]["item_id"] = PROJECTOR
    assert json.dumps(answer.json()) == json.dumps(expected)
    old = Booqable(api).transition(ident, "concept", "reserved").json()
    assert old == not_available([shortage(PROJECTOR, 1, 0, 2, 1)], [])


def test_shortage_entries_name_the_orders_holding_the_stock(v4: Booqable) -> None:
    holder = order_with(v4, "reserved", product(id=CHAIR, quantity=7))
    ident = order_with(v4, "reserved")
    response = fulfil(v4, ident, book_product(CHAIR, 2))
    entry = {**shortage(CHAIR, 8, 7, 2, 1), "orders": [{"id": holder, "conflicts": 7}]}
    entry["downtimes"] = []
    assert response.json() == not_available([entry], [])
    ok(fulfil(v4, ident, book_product(CHAIR, 2), confirm_shortage=True))


# ----- changed_* includes ----------------------------------------------------------------------


def test_changed_includes_of_a_booking(v4: Booqable) -> None:
    ident = order_with(v4, "reserved", product(id=MACBOOK, quantity=1))
    [line_before] = ok(v4.get(f"/lines?filter[order_id]={ident}"))["data"]
    actions = (
        book_product(TENT, 2),
        {"action": "book_stock_items", "product_id": IPAD, "stock_item_ids": [IPAD_ITEMS[0]]},
    )
    body = ok(fulfil(v4, ident, *actions, query=f"?include={CHANGED},order"))
    lines = included(body, "lines")
    assert [ln["attributes"]["item_id"] for ln in lines] == [TENT, IPAD]  # not the Macbook
    assert line_before["id"] not in linkage(body, "changed_lines")
    assert [p["attributes"]["item_id"] for p in included(body, "plannings")] == [TENT, IPAD]
    assert [s["attributes"]["stock_item_id"] for s in included(body, "stock_item_plannings")] == [
        IPAD_ITEMS[0]
    ]
    assert list(body["data"]["relationships"]) == [*CHANGED.split(","), "order"]
    [order] = included(body, "orders")
    assert order["attributes"]["status_counts"]["reserved"] == 4


def test_changed_includes_of_a_bundle_name_its_nested_plannings(v4: Booqable) -> None:
    ident = order_with(v4, "reserved")
    action = {"action": "book_bundle", "bundle_id": KIT, "product_variations": []}
    body = ok(fulfil(v4, ident, action, query="?include=changed_plannings,changed_lines.item"))
    plannings = included(body, "plannings")
    assert plannings[0]["attributes"]["item_id"] == KIT
    assert len(plannings) == 3  # the bundle's and one per bundle item
    [bundle] = included(body, "bundles")
    assert bundle["id"] == KIT


def test_changed_includes_of_starting_and_stopping(v4: Booqable) -> None:
    ident = order_with(v4, "new", product(id=MACBOOK, quantity=2), product(id=TENT, quantity=1))
    macbook, tent = planning_ids(v4, ident, MACBOOK)[0], planning_ids(v4, ident, TENT)[0]
    # Starting a new order reserves it: every planning changed (`reserved`), no line did.
    body = ok(fulfil(v4, ident, count("start_product", MACBOOK, 1), query=f"?include={CHANGED}"))
    assert sorted(linkage(body, "changed_plannings")) == sorted([macbook, tent])
    assert linkage(body, "changed_lines") == []
    body = ok(fulfil(v4, ident, count("start_product", MACBOOK, 1), query=f"?include={CHANGED}"))
    assert linkage(body, "changed_plannings") == [macbook]
    [planning] = body["included"]
    assert planning["attributes"]["started"] == 2
    body = ok(
        fulfil(v4, ident, count("stop_product", MACBOOK, 2), query="?include=changed_plannings")
    )
    assert linkage(body, "changed_plannings") == [macbook]
    assert held(v4, ident, MACBOOK) == 0


def test_changed_includes_on_boomerang(bq: Booqable) -> None:
    """Accepted on both paths; the seed's era writes them only when included."""
    ident = order_with(bq, "reserved")
    plain = ok(fulfil(bq, ident, book_product(TENT, 1)))
    assert plain["data"]["relationships"] == {"order": {"meta": {"included": False}}}
    body = ok(fulfil(bq, ident, book_product(TENT, 1), query="?include=changed_lines"))
    assert body["data"]["relationships"] == {
        "order": {"meta": {"included": False}},
        "changed_lines": {"data": [{"type": "lines", "id": included(body, "lines")[0]["id"]}]},
    }
    assert included(body, "lines")[0]["attributes"]["quantity"] == 2


def test_a_bad_nested_include_changes_nothing(bq: Booqable) -> None:
    before = snapshot(bq, ORDER_RESERVED)
    response = fulfil(bq, ORDER_RESERVED, book_product(TENT, 1), query="?include=changed_lines.x")
    assert response.status_code == 400
    assert snapshot(bq, ORDER_RESERVED) == before


# ----- the docs' 2024-2025 examples on /api/4 ---------------------------------------------------


def test_the_book_product_example_on_v4(v4: Booqable) -> None:
    example = golden("fulfillments_book_product_200")
    request = json.loads(
        json.dumps(example["request"])
        .replace("c32e4163-8d68-4a71-a78b-fa23eacc7365", ORDER_RESERVED)
        .replace("abc540f6-0f61-4274-b106-9ea0abaaa46e", TENT)
    )
    body = ok(v4.post("/order_fulfillments", json=request))
    expected = copy.deepcopy(example["response"])
    expected["data"].update(id=body["data"]["id"], attributes={"order_id": ORDER_RESERVED})
    assert json.dumps(body) == json.dumps(expected)


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("transitions_save_new_as_concept_200", "new"),
        ("transitions_reserve_concept_200", "concept"),
        ("transitions_revert_reserved_to_concept_200", "reserved"),
    ],
)
def test_transition_examples_on_v4(v4: Booqable, name: str, status: str) -> None:
    example = golden(name)
    ident = order_with(v4, status, product(id=CHAIR, quantity=1))
    request = copy.deepcopy(example["request"])
    request["data"]["attributes"]["order_id"] = ident
    body = ok(v4.post("/order_status_transitions", json=request))
    expected = copy.deepcopy(example["response"])
    expected["data"].update(id=body["data"]["id"])
    expected["data"]["attributes"]["order_id"] = ident
    assert json.dumps(body) == json.dumps(expected)


# ----- draft on /api/4 ------------------------------------------------------------------------


def test_draft_is_the_later_name_of_concept_on_v4(v4: Booqable) -> None:
    ident = order_with(v4, "new", product(id=CHAIR, quantity=1))
    body = ok(v4.transition(ident, "new", "draft"))
    assert body["data"]["attributes"]["transition_to"] == "draft"  # echoed as sent
    assert attributes(v4, ident)["status"] == "concept"  # as recorded on 2025-07-09 (§9.13)
    ok(v4.transition(ident, "draft", "reserved"))
    ok(v4.transition(ident, "reserved", "draft", revert=True))
    ok(v4.transition(ident, "concept", "reserved"))  # the old name still works
    refused = unchecked(
        v4,
        "POST",
        "/order_status_transitions",
        json={
            "data": {
                "type": "order_status_transitions",
                "attributes": {
                    "order_id": ident,
                    "transition_from": "reserved",
                    "transition_to": "draft",
                },
            }
        },
    )
    assert refused.status_code == 422
    assert (
        refused.json()["errors"][0]["detail"] == "Can't transition order from 'reserved' to 'draft'"
    )


# ----- all or nothing --------------------------------------------------------------------------


def _two_ipads(bq: Booqable) -> str:
    return order_with(bq, "reserved", product(id=IPAD, quantity=2), product(id=MACBOOK, quantity=2))


@pytest.mark.parametrize(
    "actions",
    [
        # specify: the second names a unit that is not the product's
        (specify(IPAD, [IPAD_ITEMS[0]], []), specify(IPAD, [DJ_ITEMS[0]], [])),
        # start: the second starts more than is booked
        (count("start_product", MACBOOK, 1), count("start_product", MACBOOK, 5)),
        (units("start_stock_items", IPAD, IPAD_ITEMS[0]), units("start_stock_items", IPAD, "x")),
        # booking then specifying: kinds do not mix
        (book_product(TENT, 1), specify(IPAD, [IPAD_ITEMS[0]], [])),
        # book: the second is a blocking shortage (tent stock 7)
        (book_product(MACBOOK, 1), book_product(TENT, 8)),
    ],
)
def test_one_failing_action_changes_nothing(bq: Booqable, actions: tuple[Any, ...]) -> None:
    ident = _two_ipads(bq)
    before = snapshot(bq, ident)
    response = fulfil(bq, ident, *actions)
    assert response.status_code == 422
    assert snapshot(bq, ident) == before


def test_an_engine_refusal_of_the_second_planning_changes_nothing(bq: Booqable) -> None:
    """Two plannings specified in one request, the second's unit held elsewhere: the first
    keeps its old allocation, no stock item planning is written."""
    holder = order_with(bq, "reserved", product(id=DJ, stock_item_ids=[DJ_ITEMS[0]]))
    ident = order_with(bq, "reserved", product(id=IPAD, quantity=1), product(id=DJ, quantity=1))
    before = snapshot(bq, ident, holder)
    actions = (specify(IPAD, [IPAD_ITEMS[0]], []), specify(DJ, [DJ_ITEMS[0]], []))
    response = fulfil(bq, ident, *actions)
    assert response.json()["errors"][0]["meta"]["blocking"][0]["unavailable"] == [DJ_ITEMS[0]]
    assert snapshot(bq, ident, holder) == before
    ok(fulfil(bq, ident, specify(IPAD, [IPAD_ITEMS[0]], []), specify(DJ, [DJ_ITEMS[1]], [])))
    assert units_held(bq, ident, DJ) == [DJ_ITEMS[1]]


def test_stopping_two_where_one_fails_changes_nothing(bq: Booqable) -> None:
    ident = _two_ipads(bq)
    ok(fulfil(bq, ident, units("start_stock_items", IPAD, IPAD_ITEMS[0])))
    ok(fulfil(bq, ident, count("start_product", MACBOOK, 2)))
    before = snapshot(bq, ident)
    actions = (count("stop_product", MACBOOK, 2), units("stop_stock_items", IPAD, IPAD_ITEMS[1]))
    response = fulfil(bq, ident, *actions)
    assert response.json() == invalid(
        f"stock_item_id {IPAD_ITEMS[1]} is not started on this planning"
    )
    assert snapshot(bq, ident) == before


def test_the_2022_stop_names_on_boomerang_only(api: Api) -> None:
    """The 2022-10 docs' `stop_bulk`/`stop_trackable` (reference §4.4), `planning_id` null."""
    bq, v4 = Booqable(api), Booqable(api, "/api/4")
    ident = order_with(
        bq, "reserved", product(id=MACBOOK, quantity=1), product(id=IPAD, quantity=1)
    )
    ok(fulfil(bq, ident, count("start_product", MACBOOK, 1)))
    ok(fulfil(bq, ident, units("start_stock_items", IPAD, IPAD_ITEMS[0])))
    bulk = count("stop_bulk", MACBOOK, 1, planning_id=None)
    trackable = units("stop_trackable", IPAD, IPAD_ITEMS[0], planning_id=None)
    assert fulfil(v4, ident, bulk).json() == invalid(
        "actions[0].action 'stop_bulk' is not a known action"
    )
    ok(fulfil(bq, ident, bulk, trackable))
    assert attributes(bq, ident)["status"] == "stopped"
