"""The 2022 era's relationship objects (reference §3.5): links on reads, meta on writes.

On `/api/boomerang`, an answer to a GET (list, show, `new`) writes every relationship not
included as `{"links": {"related": "api/boomerang/…"}}` (`null` for an unset to-one), on
its primary data and on its included resources alike, and an included one as its link
beside `data`; the answers to writes and actions keep `{"meta": {"included": false}}`
(seed 003). `/api/4` writes only what `include` names. The links are data: a template on
each relationship spec (`jsonapi.Rel.related`), as DOCS-2022 prints them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.routing import Route

from booking_sandbox.vendors.booqable import routes
from booking_sandbox.vendors.booqable.jsonapi import REGISTRY
from tests.booqable.conftest import ORDER_RESERVED, Booqable
from tests.booqable.test_golden import golden
from tests.conftest import Api

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
NOT_INCLUDED = {"meta": {"included": False}}


def ids_normalised(document: Any) -> str:
    """JSON text (key order kept) with every UUID, inside links too, named by first sight."""
    names: dict[str, str] = {}
    text = json.dumps(document)
    return UUID.sub(lambda m: names.setdefault(m.group(0), f"<id {len(names) + 1}>"), text)


def created(bq: Booqable, kind: str, **attributes: Any) -> dict[str, Any]:
    response = bq.create(kind, **attributes)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def test_the_2022_list_example(bq: Booqable) -> None:
    example = golden("orders_2022_list_relationships")
    customer = created(bq, "customers", name="Linked")["id"]
    order = created(bq, "orders", customer_id=customer)
    assert order["attributes"]["start_location_id"] == order["attributes"]["stop_location_id"]
    response = bq.get("/orders", params={"filter[id]": order["id"]})
    assert response.status_code == example["status"]
    [listed] = response.json()["data"]
    expected = example["response"]["relationships"]
    assert ids_normalised(listed["relationships"]) == ids_normalised(expected)
    # The same links with the real ids.
    assert listed["relationships"]["customer"] == {
        "links": {"related": f"api/boomerang/customers/{customer}"}
    }
    assert listed["relationships"]["lines"] == {
        "links": {
            "related": f"api/boomerang/lines?filter[owner_id]={order['id']}"
            "&filter[owner_type]=orders"
        }
    }


def test_show_and_new_write_links_and_writes_keep_meta(bq: Booqable) -> None:
    order = created(bq, "orders")  # a write: the seed's era `meta`
    assert all(rel == NOT_INCLUDED for rel in order["relationships"].values())
    shown = bq.get(f"/orders/{order['id']}").json()["data"]["relationships"]
    assert list(shown) == list(order["relationships"])
    assert shown["customer"] == {"links": {"related": None}}  # no customer: a null link
    assert shown["stock_item_plannings"] == {
        "links": {"related": f"api/boomerang/stock_item_plannings?filter[order_id]={order['id']}"}
    }
    fresh = bq.get("/orders/new").json()["data"]["relationships"]
    assert all(list(rel) == ["links"] for rel in fresh.values())
    updated = bq.put(
        f"/orders/{order['id']}", json={"data": {"type": "orders", "attributes": {}}}
    ).json()["data"]["relationships"]
    assert all(rel == NOT_INCLUDED for rel in updated.values())


def test_includes_carry_link_and_data_and_included_resources_links(bq: Booqable) -> None:
    body = bq.get(f"/orders/{ORDER_RESERVED}", params={"include": "lines,customer"}).json()
    rels = body["data"]["relationships"]
    customer = body["data"]["attributes"]["customer_id"]
    assert rels["customer"] == {
        "links": {"related": f"api/boomerang/customers/{customer}"},
        "data": {"type": "customers", "id": customer},
    }
    assert list(rels["lines"]) == ["links", "data"]
    assert rels["lines"]["data"]
    assert all(ref["type"] == "lines" for ref in rels["lines"]["data"])
    for included in body["included"]:
        assert included["relationships"]
        assert all(list(rel) == ["links"] for rel in included["relationships"].values())
    [line] = [i for i in body["included"] if i["type"] == "lines"]
    assert line["relationships"]["owner"] == {
        "links": {"related": f"api/boomerang/orders/{ORDER_RESERVED}"}
    }
    assert line["relationships"]["item"] == {
        "links": {"related": f"api/boomerang/items/{line['attributes']['item_id']}"}
    }


def test_the_2025_era_writes_only_what_is_included(api: Api) -> None:
    v4 = Booqable(api, "/api/4")
    body = v4.get(f"/orders/{ORDER_RESERVED}", params={"include": "customer"}).json()
    assert list(body["data"]["relationships"]) == ["customer"]
    assert list(body["data"]["relationships"]["customer"]) == ["data"]
    assert all(i["relationships"] == {} for i in body["included"])
    listed = v4.get("/orders", params={"page[size]": "3"}).json()["data"]
    assert all(obj["relationships"] == {} for obj in listed)


def test_polymorphic_owners_link_to_their_own_type(bq: Booqable) -> None:
    customer = created(bq, "customers", name="Owner")["id"]
    barcode = created(
        bq,
        "barcodes",
        owner_id=customer,
        owner_type="customers",
        barcode_type="qr_code",
        number="x1",
    )
    shown = bq.get(f"/barcodes/{barcode['id']}").json()["data"]["relationships"]
    assert shown["owner"] == {"links": {"related": f"api/boomerang/customers/{customer}"}}


def test_every_relationship_a_read_may_write_has_a_link() -> None:
    """Every resource a GET answers (and what it may include) has a template per
    relationship; only the transient answers of actions (POST only) may lack one."""
    served: set[str] = set()
    for route in routes.routes():
        if isinstance(route, Route) and "GET" in (route.methods or ()):
            served.update(part for part in route.path.split("/") if part in REGISTRY)
    reachable = set(served)
    while True:  # what an include may reach from there
        more = {
            kind
            for name in reachable
            for rel in REGISTRY[name].relationships
            for kind in rel.kinds
            if kind in REGISTRY
        }
        if more <= reachable:
            break
        reachable |= more
    missing = [
        f"{kind}.{rel.name}"
        for kind in sorted(reachable)
        for rel in REGISTRY[kind].relationships
        if rel.related is None
    ]
    assert not missing, f"no `related` template (jsonapi.Rel.related): {missing}"
