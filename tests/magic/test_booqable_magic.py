"""Booqable magic value: an order tagged `sandbox-shortage` asks for `confirm_shortage` whenever
it takes stock, even when the stock suffices; a real shortage beyond the limit stays blocking."""

from __future__ import annotations

from typing import Any

import httpx2 as httpx
import pytest

from booking_sandbox.vendors.booqable import magic
from tests.booqable.conftest import CHAIR, MACBOOK, TENT, Booqable, product
from tests.booqable.test_bookings import not_available, shortage, snapshot
from tests.booqable.test_orders import APRIL, MAY, allocations, attributes, new_order, ok, put

TAG = "sandbox-shortage"


def forced(item_id: str, stock: int, needed: int) -> dict[str, Any]:
    """The magic warning: a shortage of one, `reserved` making the vendor's sum hold."""
    return shortage(item_id, stock, stock - needed + 1, needed, 1)


def tagged_reserved(bq: Booqable, *tags: str) -> str:
    """An empty order of April 2030, tagged, reserved (nothing to take: no warning yet)."""
    ident = new_order(bq, tag_list=list(tags or (TAG,)))
    ok(bq.transition(ident, "new", "reserved"))
    return ident


def fulfil(bq: Booqable, ident: str, *actions: dict[str, Any], **attrs: Any) -> httpx.Response:
    body = {
        "data": {
            "type": "order_fulfillments",
            "attributes": {"order_id": ident, "actions": list(actions), **attrs},
        }
    }
    return bq.post("/order_fulfillments", json=body)


def test_the_value_is_the_tables() -> None:
    assert magic.SHORTAGE_TAG == TAG


# ----- POST /order_bookings -------------------------------------------------------------------


def test_booking_onto_a_tagged_reserved_order_warns_then_confirms(bq: Booqable) -> None:
    ident = tagged_reserved(bq)
    before = snapshot(bq, ident)
    warned = bq.book(ident, product(id=CHAIR, quantity=1), product(id=MACBOOK, quantity=2))
    assert warned.status_code == 422
    assert warned.json() == not_available([forced(CHAIR, 8, 1), forced(MACBOOK, 10, 2)], [])
    assert snapshot(bq, ident) == before  # nothing booked, no id spent
    confirmed = bq.book(
        ident,
        product(id=CHAIR, quantity=1),
        product(id=MACBOOK, quantity=2),
        confirm_shortage=True,
    )
    assert confirmed.status_code == 201, confirmed.text
    assert sorted(a["quantity"] for a in allocations(bq, ident)) == [1, 2]
    # Confirmed, it is an ordinary booking: no shortage is recorded, the stock sufficed.
    found = attributes(bq, ident)
    assert (found["shortage"], found["location_shortage"]) == (False, False)
    plannings = ok(bq.get(f"/plannings?filter[order_id]={ident}"))["data"]
    assert [p["attributes"]["shortage_amount"] for p in plannings] == [0, 0]


def test_even_a_product_that_allows_no_shortage_only_warns(bq: Booqable) -> None:
    ident = tagged_reserved(bq)
    warned = bq.book(ident, product(id=TENT, quantity=7))  # all 7 tents: the stock suffices
    assert warned.json() == not_available([forced(TENT, 7, 7)], [])
    ok(bq.book(ident, product(id=TENT, quantity=7), confirm_shortage=True), 201)


def test_a_real_shortage_keeps_its_own_entry(bq: Booqable) -> None:
    ident = tagged_reserved(bq)
    # Chair: stock 8, shortage allowed up to 2. 9 is a real warning, 11 a real blocking one.
    warned = bq.book(ident, product(id=CHAIR, quantity=9), product(id=MACBOOK, quantity=1))
    assert warned.json() == not_available([shortage(CHAIR, 8, 0, 9, 1), forced(MACBOOK, 10, 1)], [])
    before = snapshot(bq, ident)
    blocked = bq.book(
        ident,
        product(id=CHAIR, quantity=11),
        product(id=MACBOOK, quantity=1),
        confirm_shortage=True,
    )
    assert blocked.status_code == 422
    assert blocked.json() == not_available([forced(MACBOOK, 10, 1)], [shortage(CHAIR, 8, 0, 11, 3)])
    assert snapshot(bq, ident) == before


def test_a_tagged_order_that_takes_no_stock_books_freely(bq: Booqable) -> None:
    ident = new_order(bq, tag_list=[TAG])  # new: bookings take no stock, so nothing to warn
    ok(bq.book(ident, product(id=CHAIR, quantity=2)), 201)
    assert allocations(bq, ident) == []


# ----- POST /order_status_transitions ---------------------------------------------------------


def test_reserving_a_tagged_order_warns_then_confirms(bq: Booqable) -> None:
    ident = new_order(bq, tag_list=["vip", TAG])
    ok(bq.book(ident, product(id=CHAIR, quantity=2)), 201)
    before = snapshot(bq, ident)
    warned = bq.transition(ident, "new", "reserved")
    assert warned.status_code == 422
    assert warned.json() == not_available([forced(CHAIR, 8, 2)], [])
    assert snapshot(bq, ident) == before
    assert attributes(bq, ident)["status"] == "new"
    ok(bq.transition(ident, "new", "reserved", confirm_shortage=True))
    assert attributes(bq, ident)["status"] == "reserved"
    assert [a["quantity"] for a in allocations(bq, ident)] == [2]


# ----- PUT /orders/{id} -----------------------------------------------------------------------


def test_moving_a_tagged_reserved_order_warns_then_confirms(bq: Booqable) -> None:
    ident = tagged_reserved(bq)
    ok(bq.book(ident, product(id=CHAIR, quantity=3), confirm_shortage=True), 201)
    before = snapshot(bq, ident)
    warned = put(bq, ident, starts_at=MAY[0], stops_at=MAY[1])
    assert warned.status_code == 422
    assert warned.json() == not_available([forced(CHAIR, 8, 3)], [])
    assert snapshot(bq, ident) == before
    ok(put(bq, ident, starts_at=MAY[0], stops_at=MAY[1], confirm_shortage=True))
    assert attributes(bq, ident)["starts_at"].startswith("2030-05-01")
    # An update that moves no stock is not refused.
    ok(put(bq, ident, tag_list=[TAG, "vip"]))


def test_tagging_while_moving_counts_untagging_ends_it(bq: Booqable) -> None:
    ident = new_order(bq)
    ok(bq.book(ident, product(id=CHAIR, quantity=1)), 201)
    ok(bq.transition(ident, "new", "reserved"))
    warned = put(bq, ident, starts_at=MAY[0], stops_at=MAY[1], tag_list=[TAG])
    assert warned.json() == not_available([forced(CHAIR, 8, 1)], [])
    assert attributes(bq, ident)["tag_list"] == []
    ok(put(bq, ident, tag_list=[TAG]))  # tagged now, without moving
    ok(put(bq, ident, starts_at=MAY[0], stops_at=MAY[1], tag_list=[]))  # untagged on the way
    assert attributes(bq, ident)["starts_at"].startswith("2030-05-01")


# ----- POST /order_fulfillments ---------------------------------------------------------------


def test_fulfillment_bookings_and_starts_warn(bq: Booqable) -> None:
    ident = tagged_reserved(bq)
    book = {"action": "book_product", "product_id": MACBOOK, "quantity": 1}
    before = snapshot(bq, ident)
    warned = fulfil(bq, ident, book)
    assert warned.status_code == 422
    assert warned.json() == not_available([forced(MACBOOK, 10, 1)], [])
    assert snapshot(bq, ident) == before
    ok(fulfil(bq, ident, book, confirm_shortage=True))
    # Starting a new tagged order reserves it on the way: the same warning.
    fresh = new_order(bq, tag_list=[TAG])
    ok(bq.book(fresh, product(id=CHAIR, quantity=1)), 201)
    start = {"action": "start_product", "product_id": CHAIR, "quantity": 1}
    assert fulfil(bq, fresh, start).json() == not_available([forced(CHAIR, 8, 1)], [])
    ok(fulfil(bq, fresh, start, confirm_shortage=True))
    assert attributes(bq, fresh)["status"] == "started"


# ----- near misses ----------------------------------------------------------------------------


@pytest.mark.parametrize("tags", [["sandbox-shortages"], ["Sandbox-Shortage"], ["sandbox"]])
def test_near_miss_tags_book_normally(bq: Booqable, tags: list[str]) -> None:
    ident = tagged_reserved(bq, *tags)
    ok(bq.book(ident, product(id=CHAIR, quantity=1)), 201)
    assert [a["quantity"] for a in allocations(bq, ident)] == [1]


def test_a_tagged_customer_is_not_a_tagged_order(bq: Booqable) -> None:
    customer = ok(bq.create("customers", name="Magic Mike", tag_list=[TAG]), 201)["data"]["id"]
    ident = new_order(bq, customer_id=customer)
    ok(bq.book(ident, product(id=CHAIR, quantity=1)), 201)
    ok(bq.transition(ident, "new", "reserved"))
    assert attributes(bq, ident)["status"] == "reserved"


def test_an_untagged_order_moves_freely(bq: Booqable) -> None:
    ident = new_order(bq, tag_list=["vip"], period=APRIL)
    ok(bq.book(ident, product(id=CHAIR, quantity=1)), 201)
    ok(bq.transition(ident, "new", "reserved"))
    ok(put(bq, ident, starts_at=MAY[0], stops_at=MAY[1]))
