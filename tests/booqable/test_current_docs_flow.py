"""A client written from today's docs, end to end on `/api/4`, every request signed.

The DOCS-HEAD order workflow (reference §4.1, §4.4): a customer, an order for them, products
booked with `order_fulfillments`, the booking guide's custom price (`PUT /lines/{id}` with only
`price_each_in_cents`), stock items specified, `new` -> `draft` -> `reserved` by transitions,
then `start_stock_items` and `stop_stock_items`. Each request is a single-use JWT (HS256,
as the gem's `single_use` middleware makes it) and the rate-limit window counts it.
"""

from __future__ import annotations

from typing import Any

import httpx2 as httpx
import pytest

from tests.booqable.conftest import IPAD, IPAD_ITEMS
from tests.booqable.signed import Signed
from tests.conftest import Api

START, STOP = "2030-03-02T09:00:00Z", "2030-03-05T09:00:00Z"


class Flow:
    """The signed client plus the rate-limit headers of every answer, in order."""

    def __init__(self, api: Api, algorithm: str) -> None:
        self.client = Signed(api, algorithm)
        self.remaining: list[int] = []

    def call(self, method: str, path: str, status: int = 200, **kwargs: Any) -> dict[str, Any]:
        response: httpx.Response = self.client.request(method, path, **kwargs)
        assert response.status_code == status, response.text
        assert response.headers["x-ratelimit-limit"] == "10000"
        assert response.headers["x-ratelimit-period"] == "60"
        self.remaining.append(int(response.headers["x-ratelimit-remaining"]))
        found: dict[str, Any] = response.json()
        return found

    def fulfil(self, order: str, *actions: dict[str, Any], include: str = "") -> dict[str, Any]:
        body = {
            "data": {
                "type": "order_fulfillments",
                "attributes": {"order_id": order, "actions": list(actions)},
            }
        }
        return self.call("POST", f"/order_fulfillments?include={include}", json=body)

    def transition(self, order: str, current: str, wanted: str) -> dict[str, Any]:
        body = {
            "data": {
                "type": "order_status_transitions",
                "attributes": {
                    "order_id": order,
                    "transition_from": current,
                    "transition_to": wanted,
                },
            }
        }
        return self.call("POST", "/order_status_transitions", json=body)

    def order(self, ident: str) -> dict[str, Any]:
        found: dict[str, Any] = self.call("GET", f"/orders/{ident}")["data"]["attributes"]
        return found


def included(body: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r for r in body.get("included", []) if r["type"] == kind]


@pytest.mark.parametrize("algorithm", ["HS256", "ES256"])
def test_a_current_docs_booking_flow_through_request_signing(api: Api, algorithm: str) -> None:
    flow = Flow(api, algorithm)

    customer = flow.call(
        "POST",
        "/customers",
        201,
        json={"data": {"type": "customers", "attributes": {"name": "Signed Client"}}},
    )["data"]
    assert customer["attributes"]["created_at"].endswith(".000000+00:00")  # the 2025 form

    order = flow.call(
        "POST",
        "/orders",
        201,
        json={
            "data": {
                "type": "orders",
                "attributes": {"customer_id": customer["id"], "starts_at": START, "stops_at": STOP},
            }
        },
    )["data"]
    ident = order["id"]
    assert order["attributes"]["status"] == "new"
    assert order["relationships"] == {}  # 2025: only what `include` names

    booked = flow.fulfil(
        ident,
        {"action": "book_product", "mode": "create_new", "product_id": IPAD, "quantity": 2},
        include="changed_lines,changed_plannings",
    )
    [line] = included(booked, "lines")
    [planning] = included(booked, "plannings")
    assert planning["attributes"]["quantity"] == 2
    priced = flow.order(ident)["price_in_cents"]
    assert priced == 2 * line["attributes"]["price_each_in_cents"] > 0

    # The booking guide's custom price: only `price_each_in_cents`, which makes it manual.
    custom = flow.call(
        "PUT",
        f"/lines/{line['id']}",
        json={
            "data": {"type": "lines", "id": line["id"], "attributes": {"price_each_in_cents": 4250}}
        },
    )["data"]["attributes"]
    assert custom["price_each_in_cents"] == 4250
    assert custom["price_in_cents"] == 8500
    assert flow.order(ident)["price_in_cents"] == 8500  # the order follows its line

    specified = flow.fulfil(
        ident,
        {
            "action": "specify_stock_items",
            "product_id": IPAD,
            "planning_id": planning["id"],
            "stock_item_ids_to_add": list(IPAD_ITEMS[:2]),
            "stock_item_ids_to_remove": [],
        },
        include="changed_stock_item_plannings",
    )
    made = included(specified, "stock_item_plannings")
    assert sorted(s["attributes"]["stock_item_id"] for s in made) == sorted(IPAD_ITEMS[:2])

    flow.transition(ident, "new", "draft")
    assert flow.order(ident)["status"] == "concept"  # as the 2025 recordings still answer
    flow.transition(ident, "draft", "reserved")
    reserved = flow.order(ident)
    assert reserved["status"] == "reserved"
    assert reserved["number"] is not None  # "the order receives a unique order number"

    # The two specified units are held: another reserved order cannot take one of them.
    other = flow.call(
        "POST",
        "/orders",
        201,
        json={
            "data": {
                "type": "orders",
                "attributes": {"status": "reserved", "starts_at": START, "stops_at": STOP},
            }
        },
    )["data"]["id"]
    taken = {"action": "book_stock_items", "mode": "create_new", "product_id": IPAD}
    refused = flow.call(
        "POST",
        "/order_fulfillments",
        422,
        json={
            "data": {
                "type": "order_fulfillments",
                "attributes": {
                    "order_id": other,
                    "actions": [{**taken, "stock_item_ids": [IPAD_ITEMS[0]]}],
                },
            }
        },
    )
    [error] = refused["errors"]
    assert error["code"] == "stock_item_specified"  # the 2024 docs' code on `/api/4`
    [entry] = error["meta"]["blocking"]
    assert entry["unavailable"] == [IPAD_ITEMS[0]]
    assert entry["orders"] == [{"id": ident, "stock_item_ids": [IPAD_ITEMS[0]], "conflicts": 1}]

    started = {"product_id": IPAD, "planning_id": planning["id"]}
    flow.fulfil(
        ident, {"action": "start_stock_items", **started, "stock_item_ids": list(IPAD_ITEMS[:2])}
    )
    assert flow.order(ident)["status"] == "started"
    flow.fulfil(
        ident, {"action": "stop_stock_items", **started, "stock_item_ids": list(IPAD_ITEMS[:2])}
    )
    stopped = flow.order(ident)
    assert stopped["status"] == "stopped"
    assert stopped["entirely_stopped"] is True
    assert stopped["price_in_cents"] == 8500  # the manual price outlives the fulfillment

    # One window, one credential (the signing method): every request took one more.
    assert flow.remaining == list(
        range(flow.remaining[0], flow.remaining[0] - len(flow.remaining), -1)
    )
    assert len(flow.remaining) == 17
