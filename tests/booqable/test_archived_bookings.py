"""Booking what is archived (the docs are silent): an archived product, bundle or stock item
is refused with a 422 in each endpoint's refusal shape; what orders booked before stays."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.booqable.conftest import MACBOOK, ORDER_RESERVED, ORDER_SHORT, TENT, Booqable, product
from tests.booqable.test_fulfillments import fulfil, invalid
from tests.conftest import Api

KIT = "9bf34d16-2144-45a5-8461-ebae7bf0f4ca"  # Presentation kit: a Macbook and a service
DJ = "141692f0-98a4-41c6-995e-33f1d37b03e6"
DJ_ITEM = "6ca9c502-4844-4b54-b7cb-4425d411bbe4"


@pytest.fixture(params=["/api/boomerang", "/api/4"])
def bqx(api: Api, request: pytest.FixtureRequest) -> Booqable:
    return Booqable(api, prefix=request.param)


def records(bq: Booqable) -> str:
    state = bq.api.get("/_sandbox/state").json()
    return json.dumps([state["vendors"], state["inventory"]["allocations"]])


def archived_product(bq: Booqable, product_id: str) -> None:
    assert bq.delete(f"/products/{product_id}").status_code == 200


def refused_booking(bq: Booqable, *items: dict[str, Any]) -> dict[str, Any]:
    before = records(bq)
    response = bq.book(ORDER_SHORT, *items)
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert records(bq) == before
    return dict(error)


def test_an_archived_product_is_not_booked(bqx: Booqable) -> None:
    archived_product(bqx, TENT)
    error = refused_booking(bqx, product(id=TENT, quantity=1))
    message = f"product {TENT} is archived and cannot be booked"
    assert error == {
        "code": "unprocessable_entity",
        "status": "422",
        "title": "Validation Error",
        "detail": f"Items {message}",
        "source": {"pointer": "/data/attributes/items"},
        "meta": {"attribute": "items", "message": message, "code": "invalid"},
    }


def test_an_archived_bundle_or_a_bundle_of_an_archived_product_is_not_booked(
    bqx: Booqable,
) -> None:
    archived_product(bqx, MACBOOK)
    error = refused_booking(bqx, {"type": "bundles", "id": KIT, "quantity": 1})
    assert error["meta"]["message"] == f"product {MACBOOK} is archived and cannot be booked"
    assert bqx.delete(f"/bundles/{KIT}").status_code == 200
    error = refused_booking(bqx, {"type": "bundles", "id": KIT, "quantity": 1})
    assert error["meta"]["message"] == f"bundle {KIT} is archived and cannot be booked"


def test_fulfillments_refuse_them_as_every_refused_action(bqx: Booqable) -> None:
    archived_product(bqx, TENT)
    assert bqx.delete(f"/bundles/{KIT}").status_code == 200
    before = records(bqx)
    book = {"action": "book_product", "product_id": TENT, "quantity": 1}
    assert fulfil(bqx, ORDER_SHORT, book).json() == invalid(
        f"product {TENT} is archived and cannot be booked"
    )
    bundle = {"action": "book_bundle", "bundle_id": KIT}
    assert fulfil(bqx, ORDER_SHORT, bundle).json() == invalid(
        f"bundle {KIT} is archived and cannot be booked"
    )
    assert records(bqx) == before


def test_an_archived_stock_item_is_not_booked(bqx: Booqable) -> None:
    body = {"data": {"type": "stock_item_archivations", "attributes": {"stock_item_id": DJ_ITEM}}}
    assert bqx.post("/stock_item_archivations", json=body).status_code == 200
    error = refused_booking(bqx, product(id=DJ, stock_item_ids=[DJ_ITEM]))
    assert error["meta"]["message"] == f"stock_item_id {DJ_ITEM} is archived"
    book = {"action": "book_stock_items", "product_id": DJ, "stock_item_ids": [DJ_ITEM]}
    assert fulfil(bqx, ORDER_SHORT, book).json() == invalid(f"stock_item_id {DJ_ITEM} is archived")


def test_orders_keep_what_they_booked_before(bqx: Booqable) -> None:
    """The fixtures' reserved order holds a Macbook: archived, it still goes out."""
    archived_product(bqx, MACBOOK)
    start = {"action": "start_product", "product_id": MACBOOK, "quantity": 1}
    assert fulfil(bqx, ORDER_RESERVED, start).status_code == 200
