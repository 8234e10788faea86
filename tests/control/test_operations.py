"""`GET /_sandbox/operations`: the operation names fault rules and the journal use, per vendor."""

from __future__ import annotations

from typing import Any

import pytest

from booking_sandbox.vendors import VENDORS
from tests.booqable.conftest import API_KEY
from tests.conftest import Api
from tests.korus.conftest import login
from tests.pontcentral.conftest import token_for


def operations(api: Api, **params: str) -> list[dict[str, Any]]:
    response = api.get("/_sandbox/operations", params=params)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["operations"]
    return found


def by_name(found: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {o["name"]: o for o in found}


def test_one_entry_per_vendor_and_name_in_registry_then_name_order(api: Api) -> None:
    found = operations(api)
    keys = [(o["vendor"], o["name"]) for o in found]
    assert len(keys) == len(set(keys))
    order = [v.name for v in VENDORS]
    assert keys == sorted(keys, key=lambda k: (order.index(k[0]), k[1]))
    assert {o["vendor"] for o in found} == set(order)
    names = by_name(found)
    assert names["korus.token"] == {
        "vendor": "korus",
        "name": "korus.token",
        "methods": ["POST"],
        "paths": ["/realms/korusticket/protocol/openid-connect/token"],
    }
    # Booqable serves each operation under both prefixes, each also as `.json` (the nested
    # response type, routed first): one entry, every path.
    assert names["booqable.product_groups.show"]["paths"] == [
        "/api/boomerang/product_groups/{id}.json",
        "/api/boomerang/product_groups/{id}",
        "/api/4/product_groups/{id}.json",
        "/api/4/product_groups/{id}",
    ]
    # Sorted, HEAD left out beside GET; converters left out of the path.
    assert names["pontcentral.booking"]["methods"] == ["DELETE", "GET", "PUT"]
    assert names["korus.order-ticket"]["methods"] == ["GET", "PATCH"]
    assert names["korus.form"]["paths"] == ["/v1/forms/{id}"]
    assert all("HEAD" not in o["methods"] for o in found)


def test_the_vendor_filter(api: Api) -> None:
    found = operations(api, vendor="booqable")
    assert found
    assert {o["vendor"] for o in found} == {"booqable"}
    assert found == [o for o in operations(api) if o["vendor"] == "booqable"]


@pytest.mark.parametrize(
    ("query", "name"),
    [("vendor=nope", "vendor"), ("verb=GET", "verb"), ("vendor=korus&vendor=korus", "vendor")],
)
def test_bad_queries_are_422(api: Api, query: str, name: str) -> None:
    response = api.get(f"/_sandbox/operations?{query}")
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_query"
    assert error["details"][0]["path"] == f"query.{name}"


def test_every_name_the_journal_records_is_listed(api: Api) -> None:
    login(api)  # korus.token
    token = token_for(api)  # pontcentral.token
    auth = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/products", headers=auth).status_code == 200
    assert api.get("/api/v1/products/TOUR-EIFFEL-SKIP-LINE", headers=auth).status_code == 200
    booqable = {"Authorization": f"Bearer {API_KEY}"}
    assert api.get("/api/4/product_groups", headers=booqable).status_code == 200
    assert api.get("/api/boomerang/orders", headers=booqable).status_code == 200
    journal = api.get("/_sandbox/requests").json()["requests"]
    recorded = {(e["vendor"], e["operation"]) for e in journal}
    assert len(recorded) == 6
    listed = {(o["vendor"], o["name"]) for o in operations(api)}
    assert recorded <= listed


def test_a_listed_name_matches_a_fault_rule(api: Api) -> None:
    rule = {"match": {"operation": "pontcentral.products"}, "action": {"status": 503}, "times": 1}
    assert api.post("/_sandbox/faults", json=rule).status_code == 201
    assert "pontcentral.products" in by_name(operations(api, vendor="pontcentral"))
    auth = {"Authorization": f"Bearer {token_for(api)}"}
    assert api.get("/api/v1/products", headers=auth).status_code == 503
