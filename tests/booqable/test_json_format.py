"""The `.json` response type: `.json` appended to any path answers the nested form (§3.1).

`GET /api/boomerang/orders.json?include=customer` -> `{"data": [{"id", <attributes>,
"customer": {"id", <attributes>}}]}`: no `type`, no `relationships`, no `included`, `meta`
only when it holds stats; `application/json; charset=utf-8`; errors keep their JSON:API
envelope. The route is the path's without `.json` (same operation name for faults and the
journal).
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx2 as httpx
import pytest

from booking_sandbox.vendors.booqable.nested import nest
from tests.booqable.conftest import ORDER_NEW, ORDER_RESERVED, TENT, Booqable
from tests.booqable.test_golden import golden
from tests.conftest import Api

PLAIN = "application/json; charset=utf-8"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MICROS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")
WHOLE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")


def ids_normalised(document: Any) -> str:
    """The document's JSON text (key order kept) with every UUID named by first appearance."""
    names: dict[str, str] = {}
    text = json.dumps(document)
    return UUID.sub(lambda m: names.setdefault(m.group(0), f"<id {len(names) + 1}>"), text)


def nested_ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PLAIN
    body: dict[str, Any] = response.json()
    return body


def make_order(bq: Booqable, **attributes: Any) -> str:
    response = bq.create("orders", **attributes)
    assert response.status_code == 201, response.text
    ident: str = response.json()["data"]["id"]
    return ident


def make_customer(bq: Booqable, name: str) -> str:
    response = bq.create("customers", name=name)
    assert response.status_code == 201, response.text
    ident: str = response.json()["data"]["id"]
    return ident


def test_the_docs_example(bq: Booqable) -> None:
    example = golden("intro_orders_json_200")
    customer = make_customer(bq, "John Doe")
    make_order(
        bq,
        starts_at="2021-11-12T15:15:00Z",
        stops_at="2021-11-13T15:15:00Z",
        customer_id=customer,
    )
    # The example's path, plus the fields its notes name and a filter to the one order.
    extra = (
        f"&fields[orders]=starts_at,stops_at&fields[customers]=name&filter[customer_id]={customer}"
    )
    response = bq.get(example["path"].removeprefix("/api/boomerang") + extra)
    body = nested_ok(response, example["status"])
    assert ids_normalised(body) == ids_normalised(example["response"])


def test_a_list_is_each_record_flat_with_its_includes_nested(bq: Booqable) -> None:
    plain = bq.get("/orders", params={"include": "customer,lines", "page[size]": "5"}).json()
    body = nested_ok(
        bq.get("/orders.json", params={"include": "customer,lines", "page[size]": "5"})
    )
    assert list(body) == ["data"]  # no `included`, no `links`, and an empty `meta` left out
    included = {(o["type"], o["id"]): o for o in plain["included"]}
    assert len(body["data"]) == len(plain["data"]) == 5
    for node, obj in zip(body["data"], plain["data"], strict=True):
        assert list(node) == ["id", *obj["attributes"], "customer", "lines"]
        assert node["id"] == obj["id"]
        assert {k: node[k] for k in obj["attributes"]} == obj["attributes"]
        customer = obj["relationships"]["customer"]["data"]
        if customer is None:
            assert node["customer"] is None
        else:
            attributes = included[("customers", customer["id"])]["attributes"]
            assert node["customer"] == {"id": customer["id"], **attributes}
        lines = obj["relationships"]["lines"]["data"]
        assert [line["id"] for line in node["lines"]] == [line["id"] for line in lines]
        assert all("type" not in line and "relationships" not in line for line in node["lines"])


def test_a_show_nests_deeper_includes_and_keeps_the_eras_values(api: Api) -> None:
    for prefix, stamp in (("/api/boomerang", WHOLE), ("/api/4", MICROS)):
        bq = Booqable(api, prefix)
        body = nested_ok(
            bq.get(f"/orders/{ORDER_RESERVED}.json", params={"include": "lines.item,customer"})
        )
        order = body["data"]
        assert order["id"] == ORDER_RESERVED
        assert stamp.match(order["created_at"])
        [line] = order["lines"]
        assert line["item"]["id"] == line["item_id"]
        assert line["item"]["type"] == "products"  # the product's own `type` attribute
        assert stamp.match(line["item"]["created_at"])
        assert order["customer"]["id"] == order["customer_id"]
        # Same values as the JSON:API answer of the same era.
        plain = bq.get(f"/orders/{ORDER_RESERVED}").json()["data"]["attributes"]
        assert {k: order[k] for k in plain} == plain


def test_stats_stay_in_meta(bq: Booqable) -> None:
    body = nested_ok(bq.get("/products.json", params={"stats[total]": "count"}))
    assert list(body) == ["data", "meta"]
    assert body["meta"] == {"stats": {"total": {"count": len(body["data"])}}}


def test_sparse_fields_and_an_unknown_include(bq: Booqable) -> None:
    body = nested_ok(bq.get(f"/products/{TENT}.json", params={"fields[products]": "name"}))
    assert body == {"data": {"id": TENT, "name": "Party tent 3x3"}}
    response = bq.get("/products.json", params={"include": "customer"})
    assert response.status_code == 400
    assert response.headers["content-type"] == PLAIN
    assert response.json()["errors"][0]["code"] == "bad_request"


def test_writes_and_actions_answer_nested(bq: Booqable) -> None:
    created = nested_ok(bq.post("/customers.json", json=body("customers", name="Nested")), 201)
    customer = created["data"]["id"]
    assert created["data"]["name"] == "Nested"
    assert "type" not in created["data"]
    updated = nested_ok(
        bq.put(f"/customers/{customer}.json", json=body("customers", name="Renamed"))
    )
    assert updated["data"]["name"] == "Renamed"
    order = nested_ok(
        bq.post("/orders.json", params={"include": "customer"}, json=body("orders")), 201
    )
    assert order["data"]["status"] == "new"
    assert order["data"]["customer"] is None
    moved = nested_ok(
        bq.post(
            "/order_status_transitions.json",
            params={"include": "order"},
            json=body(
                "order_status_transitions",
                order_id=order["data"]["id"],
                transition_from="new",
                transition_to="concept",
            ),
        )
    )
    assert moved["data"]["order"]["status"] == "concept"
    deleted = nested_ok(bq.delete(f"/orders/{order['data']['id']}.json"))
    assert deleted["data"]["id"] == order["data"]["id"]
    archived = nested_ok(bq.delete(f"/customers/{customer}.json"))
    assert archived["data"]["archived"] is True


def test_new_and_search_are_not_taken_for_ids(bq: Booqable) -> None:
    fresh = nested_ok(bq.get("/orders/new.json"))
    assert fresh["data"]["status"] == "new"
    found = nested_ok(
        bq.post("/orders/search.json", json={"fields": {"orders": "id"}, "filter": {}})
    )
    assert found["data"]
    assert all(list(hit) == ["id"] for hit in found["data"])


def test_errors_keep_the_jsonapi_envelope(api: Api) -> None:
    bq = Booqable(api)
    missing = bq.get("/orders/00000000-0000-4000-8000-000000000000.json")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PLAIN
    assert missing.json() == {
        "errors": [
            {"code": "resources_not_found", "status": "404", "title": "Resource(s) not found"}
        ]
    }
    unknown = bq.get("/nothing.json")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == PLAIN
    assert unknown.json()["errors"][0]["code"] == "not_found"
    unauthorized = api.get("/api/4/orders.json")
    assert unauthorized.status_code == 401
    assert unauthorized.headers["content-type"] == PLAIN
    assert unauthorized.json()["errors"][0]["code"] == "unauthorized"
    refused = bq.post(
        "/order_status_transitions.json",
        json=body(
            "order_status_transitions",
            order_id=ORDER_NEW,
            transition_from="new",
            transition_to="archived",
        ),
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"] == PLAIN
    assert list(refused.json()) == ["errors"]


def test_the_operation_is_the_paths_without_json(api: Api) -> None:
    bq = Booqable(api)
    rule = {"match": {"operation": "booqable.orders.show"}, "action": {"status": 503}, "times": 1}
    assert api.post("/_sandbox/faults", json=rule).status_code == 201
    assert bq.get(f"/orders/{ORDER_RESERVED}.json").status_code == 503
    assert bq.get(f"/orders/{ORDER_RESERVED}.json").status_code == 200
    journal = api.get("/_sandbox/requests", params={"operation": "booqable.orders.show"}).json()
    paths = [entry["path"] for entry in journal["requests"]]
    assert paths.count(f"/api/boomerang/orders/{ORDER_RESERVED}.json") == 2


def test_nest_follows_the_include_tree_not_every_linkage() -> None:
    """An order reached again as its line's owner is written with the owner's subtree only."""
    order = {
        "id": "o",
        "type": "orders",
        "attributes": {"number": 1},
        "relationships": {"lines": {"data": [{"type": "lines", "id": "l"}]}},
    }
    line = {
        "id": "l",
        "type": "lines",
        "attributes": {"title": "T"},
        "relationships": {"owner": {"data": {"type": "orders", "id": "o"}}},
    }
    document = {"data": [order], "included": [line], "meta": {}}
    assert nest(document, {"lines": {"owner": {}}}) == {
        "data": [
            {
                "id": "o",
                "number": 1,
                "lines": [{"id": "l", "title": "T", "owner": {"id": "o", "number": 1}}],
            }
        ]
    }
    assert nest(document, {}) == {"data": [{"id": "o", "number": 1}]}


def body(kind: str, **attributes: Any) -> dict[str, Any]:
    return {"data": {"type": kind, "attributes": attributes}}


@pytest.mark.parametrize("prefix", ["/api/boomerang", "/api/4"])
def test_both_prefixes_serve_it(api: Api, prefix: str) -> None:
    response = Booqable(api, prefix).get("/locations.json")
    assert nested_ok(response)["data"]
