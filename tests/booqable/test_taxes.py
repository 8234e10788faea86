"""Tax regions, tax rates and tax values: an order's taxes per rate, by its region's strategy.

The fixture order 09d04c6d: 72225 after its 10 % discount, its one line in VAT (21 %).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.booqable.conftest import Booqable
from tests.conftest import Api

ORDER = "09d04c6d-779b-444e-ab5c-d4567a5a8f72"
VAT = "9213d9bd-b18e-471f-97bf-b76b7d78217a"  # tax category, 21 %
SALES_TAX = "00e98201-6b1e-49d8-8bf0-02d5617ef164"  # add_to: State tax 6 %
QUEBEC = "c0ac16c6-1011-4d0d-8a6d-20b0b13763cd"  # compound: GST 5 %, QST 9.975 %
EXPORT = "3b9d2f4a-7e1c-4c8b-a5d6-0f2e9c7b4a13"  # replace, no rates
UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def region(bq: Booqable, ident: str | None) -> Any:
    body = {"data": {"id": ORDER, "type": "orders", "attributes": {"tax_region_id": ident}}}
    return bq.put(f"/orders/{ORDER}", json=body)


def taxes(bq: Booqable) -> tuple[int, list[tuple[str, float, int]]]:
    shown = bq.get(f"/orders/{ORDER}", params={"include": "tax_values"}).json()
    values = [
        (v["attributes"]["name"], v["attributes"]["percentage"], v["attributes"]["value_in_cents"])
        for v in shown.get("included", [])
    ]
    return shown["data"]["attributes"]["tax_in_cents"], values


def test_the_categorys_rate_is_a_tax_value(v4: Booqable) -> None:
    assert taxes(v4) == (15167, [("VAT", 21.0, 15167)])
    listed = v4.get("/tax_values", params={"filter[owner_id]": ORDER}).json()["data"]
    assert len(listed) == 1
    value = listed[0]
    assert list(value["attributes"]) == [
        "created_at", "updated_at", "name", "percentage", "value_in_cents", "tax_rate_id",
        "owner_id", "owner_type",
    ]  # fmt: skip
    assert value["attributes"]["owner_type"] == "orders"
    shown = v4.get(f"/tax_values/{value['id']}", params={"include": "owner,tax_rate"}).json()
    assert shown["data"]["relationships"]["owner"]["data"] == {"type": "orders", "id": ORDER}
    rate = next(x for x in shown["included"] if x["type"] == "tax_rates")
    assert rate["attributes"]["owner_id"] == VAT
    assert rate["attributes"]["value"] == 21.0


def test_add_to_adds_the_regions_rates(v4: Booqable) -> None:
    assert region(v4, SALES_TAX).status_code == 200
    # 6 % of 72225 = 4333.5, rounded half up.
    assert taxes(v4) == (19501, [("VAT", 21.0, 15167), ("State tax", 6.0, 4334)])
    attributes = v4.get(f"/orders/{ORDER}").json()["data"]["attributes"]
    assert attributes["grand_total_with_tax_in_cents"] == 72225 + 19501
    included = v4.get(f"/orders/{ORDER}", params={"include": "tax_region.tax_rates"}).json()
    assert [x["type"] for x in included["included"]] == ["tax_regions", "tax_rates"]


def test_compound_taxes_the_taxes(v4: Booqable) -> None:
    region(v4, QUEBEC)
    # GST on 72225 + 15167 = 87392 -> 4369.6; QST on 91762 -> 9153.2595.
    assert taxes(v4) == (
        28690,
        [("VAT", 21.0, 15167), ("GST", 5.0, 4370), ("QST", 9.975, 9153)],
    )


def test_replace_drops_the_categories_rates(v4: Booqable) -> None:
    region(v4, EXPORT)
    assert taxes(v4) == (0, [])
    assert v4.get("/tax_values", params={"filter[owner_id]": ORDER}).json()["data"] == []
    region(v4, None)
    assert taxes(v4) == (15167, [("VAT", 21.0, 15167)])


def test_an_unknown_region_is_refused(api: Api) -> None:
    bq = Booqable(api)
    response = region(bq, UNKNOWN)
    assert response.status_code == 422
    assert response.json()["errors"][0]["meta"]["attribute"] == "tax_region_id"


def test_regions_and_rates_list(v4: Booqable) -> None:
    regions = v4.get("/tax_regions", params={"sort": "name"}).json()["data"]
    assert [r["attributes"]["name"] for r in regions] == ["Export", "Quebec", "Sales Tax"]
    assert list(regions[0]["attributes"]) == [
        "created_at", "updated_at", "archived", "archived_at", "name", "strategy", "default",
    ]  # fmt: skip
    compound = v4.get("/tax_regions", params={"filter[strategy]": "compound"}).json()["data"]
    assert [r["id"] for r in compound] == [QUEBEC]
    rates = v4.get("/tax_rates", params={"filter[owner_id]": QUEBEC, "sort": "position"})
    assert [r["attributes"]["name"] for r in rates.json()["data"]] == ["GST", "QST"]
    assert v4.get(f"/tax_regions/{UNKNOWN}").status_code == 404
    assert v4.get(f"/tax_values/{UNKNOWN}").status_code == 404


def test_a_tax_value_keeps_its_id_and_creation(v4: Booqable) -> None:
    before = v4.get("/tax_values", params={"filter[owner_id]": ORDER}).json()["data"][0]
    region(v4, SALES_TAX)
    after = v4.get("/tax_values", params={"filter[owner_id]": ORDER}).json()["data"]
    vat = next(v for v in after if v["attributes"]["name"] == "VAT")
    assert vat == before
