"""Tax categories, tax regions and tax rates written (DOCS-HEAD): the docs' examples replayed,
nested `tax_rates_attributes`, archiving, bad input, totals, and a state round trip."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.booqable.conftest import Booqable
from tests.booqable.docs_catalog import golden, same
from tests.booqable.test_catalog_writes import PLAIN_JSON
from tests.conftest import Api

ORDER = "09d04c6d-779b-444e-ab5c-d4567a5a8f72"  # 72225 taxable after discount, in VAT
VAT = "9213d9bd-b18e-471f-97bf-b76b7d78217a"  # tax category, 21 % (the fixtures' shorthand)
RENTAL_VAT = "dd586b22-bcbc-4728-b27b-1441ec95275a"
SALES_TAX = "00e98201-6b1e-49d8-8bf0-02d5617ef164"  # region, add_to: State tax 6 %
STATE_TAX = "67d4d696-b147-4a30-8f26-413641077ca6"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def archived_at_as_time(document: Any) -> Any:
    """`same` leaves `archived_at` as written: the moment is the clock's, not the docs'."""
    found = copy.deepcopy(document)
    objects = [found["data"], *found.get("included", [])]
    for obj in objects:
        if obj["attributes"].get("archived_at") is not None:
            obj["attributes"]["archived_at"] = "<time>"
    return found


def replay(bq: Booqable, name: str, path: str, request: Any = None) -> Any:
    example = golden(name)
    answer = bq.request(example["method"], path, json=request or example["request"])
    assert answer.status_code == example["status"], answer.text
    same(archived_at_as_time(answer.json()), archived_at_as_time(example["response"]))
    return answer


def create(bq: Booqable, kind: str, **attributes: Any) -> Any:
    body = {"data": {"type": kind, "attributes": attributes}, "include": "tax_rates"}
    return ok(bq.post(f"/{kind}", json=body), 201)


def update(bq: Booqable, kind: str, ident: str, **attributes: Any) -> Any:
    body = {"data": {"id": ident, "type": kind, "attributes": attributes}}
    return bq.put(f"/{kind}/{ident}", json=body)


def with_ids(request: dict[str, Any], ident: str, rate: str | None = None) -> dict[str, Any]:
    """An example's request for our record `ident` (and our rate `rate` in its entries)."""
    found = copy.deepcopy(request)
    found["data"]["id"] = ident
    for entry in found["data"]["attributes"].get("tax_rates_attributes", []):
        if "id" in entry:
            entry["id"] = rate
    return found


def totals(bq: Booqable) -> tuple[int, list[tuple[str, float, int]]]:
    shown = bq.get(f"/orders/{ORDER}", params={"include": "tax_values"}).json()
    values = [
        (v["attributes"]["name"], v["attributes"]["percentage"], v["attributes"]["value_in_cents"])
        for v in shown.get("included", [])
    ]
    return shown["data"]["attributes"]["tax_in_cents"], values


def touch(bq: Booqable) -> None:
    """Any change to the order: Booqable recalculates an order when it changes."""
    ok(update(bq, "orders", ORDER, tag_list=["touched"]))


# ----- the docs' examples ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["tax_categories", "tax_regions"])
def test_the_docs_owner_examples(v4: Booqable, kind: str) -> None:
    replay(v4, f"{kind}_create_201", f"/{kind}")
    # The update example's record: made as the docs' was, a rate "Vat" at 21 %.
    made = create(v4, kind, name="Sales Tax", tax_rates_attributes=[{"name": "Vat", "value": 21}])
    ident, rate = made["data"]["id"], made["included"][0]["id"]
    example = golden(f"{kind}_update_200")
    replay(v4, f"{kind}_update_200", f"/{kind}/{ident}", with_ids(example["request"], ident, rate))
    listed = ok(v4.get("/tax_rates", params={"filter[owner_id]": ident}))["data"]
    assert [(r["attributes"]["value"], r["attributes"]["archived"]) for r in listed] == [
        (9.0, False),
        (21.0, True),
    ]
    made = create(v4, kind, name="Sales Tax")
    answer = replay(v4, f"{kind}_delete_200", f"/{kind}/{made['data']['id']}")
    assert answer.headers["content-type"] == PLAIN_JSON


def test_the_docs_tax_rate_examples(v4: Booqable) -> None:
    example = golden("tax_rates_create_201")
    region = create(v4, "tax_regions", name="Sales Tax")["data"]["id"]
    request = copy.deepcopy(example["request"])
    request["data"]["attributes"]["owner_id"] = region
    replay(v4, "tax_rates_create_201", "/tax_rates", request)
    # The update example's rate is a category's "Vat" at 21 %.
    category = create(
        v4, "tax_categories", name="Sales Tax", tax_rates_attributes=[{"name": "Vat", "value": 21}]
    )
    rate = category["included"][0]["id"]
    request = copy.deepcopy(golden("tax_rates_update_200")["request"])
    request["data"]["id"] = rate
    replay(v4, "tax_rates_update_200", f"/tax_rates/{rate}", request)
    made = create(
        v4, "tax_regions", name="Sales Tax", tax_rates_attributes=[{"name": "VAT", "value": 21}]
    )
    answer = replay(v4, "tax_rates_delete_200", f"/tax_rates/{made['included'][0]['id']}")
    assert answer.headers["content-type"] == PLAIN_JSON


# ----- behaviour ----------------------------------------------------------------------------


def test_a_fixture_categorys_rate_keeps_its_id_when_written(v4: Booqable) -> None:
    before = ok(v4.get(f"/tax_categories/{VAT}", params={"include": "tax_rates"}))
    [rate] = before["included"]
    assert rate["attributes"]["value"] == 21.0
    answer = ok(update(v4, "tax_rates", rate["id"], name="VAT (NL)"))
    assert answer["data"]["id"] == rate["id"]
    after = ok(v4.get(f"/tax_categories/{VAT}", params={"include": "tax_rates"}))
    assert [r["id"] for r in after["included"]] == [rate["id"]]
    assert after["included"][0]["attributes"]["name"] == "VAT (NL)"
    # Other categories and reads are unchanged.
    other = ok(v4.get(f"/tax_categories/{RENTAL_VAT}", params={"include": "tax_rates"}))
    assert other["included"][0]["attributes"]["value"] == 21.0


def test_a_rate_change_reaches_an_order_when_the_order_changes(v4: Booqable) -> None:
    assert totals(v4) == (15167, [("VAT", 21.0, 15167)])
    rate = ok(v4.get("/tax_rates", params={"filter[owner_id]": VAT}))["data"][0]["id"]
    ok(update(v4, "tax_rates", rate, value=9))
    assert totals(v4) == (15167, [("VAT", 21.0, 15167)])  # kept until the order changes
    touch(v4)
    assert totals(v4) == (6500, [("VAT", 9.0, 6500)])  # 9 % of 72225 = 6500.25
    # A second live rate in the category taxes too; an archived one no longer does.
    ok(
        update(
            v4,
            "tax_categories",
            VAT,
            tax_rates_attributes=[{"name": "Eco", "value": 1}, {"id": rate, "_destroy": True}],
        )
    )
    touch(v4)
    assert totals(v4) == (722, [("Eco", 1.0, 722)])


def test_a_region_rate_created_and_archived(v4: Booqable) -> None:
    ok(update(v4, "orders", ORDER, tax_region_id=SALES_TAX))
    assert totals(v4)[0] == 15167 + 4334
    body = {
        "data": {
            "type": "tax_rates",
            "attributes": {
                "name": "City",
                "value": 1,
                "owner_id": SALES_TAX,
                "owner_type": "tax_regions",
            },
        }
    }
    made = ok(v4.post("/tax_rates", json=body), 201)["data"]
    assert made["attributes"]["position"] == 2
    touch(v4)
    assert totals(v4)[1][-1] == ("City", 1.0, 722)
    ok(v4.delete(f"/tax_rates/{made['id']}"))
    ok(v4.delete(f"/tax_rates/{STATE_TAX}"))
    touch(v4)
    assert totals(v4) == (15167, [("VAT", 21.0, 15167)])


def test_archiving_a_region_archives_its_rates_and_is_not_refused(v4: Booqable) -> None:
    ok(update(v4, "orders", ORDER, tax_region_id=SALES_TAX))
    archived = ok(v4.delete(f"/tax_regions/{SALES_TAX}"))["data"]["attributes"]
    assert (archived["archived"], archived["name"]) == (True, "Sales Tax (Archived)")
    again = ok(v4.delete(f"/tax_regions/{SALES_TAX}"))["data"]["attributes"]
    assert again == archived  # the first moment and name kept
    rate = ok(v4.get(f"/tax_rates/{STATE_TAX}"))["data"]["attributes"]
    assert rate["archived"] is True
    assert totals(v4)[0] == 15167 + 4334  # kept until the order changes
    touch(v4)
    assert totals(v4)[0] == 15167


def test_default_is_one_only(v4: Booqable) -> None:
    made = create(v4, "tax_categories", name="Zero", default=True)["data"]
    assert made["attributes"]["default"] is True
    assert ok(v4.get(f"/tax_categories/{VAT}"))["data"]["attributes"]["default"] is False
    region = create(v4, "tax_regions", name="Home", default=True)["data"]["id"]
    ok(update(v4, "tax_regions", SALES_TAX, default=True))
    assert ok(v4.get(f"/tax_regions/{region}"))["data"]["attributes"]["default"] is False


def test_the_2022_era_serves_the_writes_too(api: Api) -> None:
    bq = Booqable(api)
    made = create(bq, "tax_regions", name="Old", strategy="replace")
    assert made["data"]["attributes"]["strategy"] == "replace"
    assert ok(bq.get(f"/tax_regions/{made['data']['id']}"))["data"]["attributes"]["name"] == "Old"


# ----- bad input ----------------------------------------------------------------------------


def codes(response: Any, status: int) -> list[tuple[str, str]]:
    assert response.status_code == status, response.text
    return [(e["meta"]["attribute"], e["meta"]["code"]) for e in response.json()["errors"]]


def test_bad_input_changes_nothing(v4: Booqable) -> None:
    state = v4.api.get("/_sandbox/state").json()
    body = {"data": {"type": "tax_categories", "attributes": {"name": "X", "rate": 1}}}
    assert codes(v4.post("/tax_categories", json=body), 400) == [
        ("data.attributes.rate", "unknown_attribute")
    ]
    entries = [{"name": "A", "value": 1}, {"name": "B", "percent": 2}]
    body = {
        "data": {
            "type": "tax_regions",
            "attributes": {"name": "X", "tax_rates_attributes": entries},
        }
    }
    assert codes(v4.post("/tax_regions", json=body), 400) == [
        ("data.attributes.tax_rates_attributes.1.percent", "unknown_attribute")
    ]
    body["data"]["attributes"] = {"name": " ", "strategy": "sum", "tax_rates_attributes": []}
    assert codes(v4.post("/tax_regions", json=body), 422) == [
        ("name", "blank"),
        ("strategy", "inclusion"),
    ]
    bad_rates = [{"name": "", "value": 101}]
    assert codes(
        update(v4, "tax_regions", SALES_TAX, name="New", tax_rates_attributes=bad_rates), 422
    ) == [("tax_rates.name", "blank"), ("tax_rates.value", "less_than_or_equal_to")]
    gone = [{"id": UNKNOWN, "_destroy": True}]
    assert (
        update(v4, "tax_categories", VAT, name="New", tax_rates_attributes=gone).status_code == 404
    )
    rate = {"name": "R", "value": 5, "owner_id": UNKNOWN, "owner_type": "tax_regions"}
    assert codes(
        v4.post("/tax_rates", json={"data": {"type": "tax_rates", "attributes": rate}}), 422
    ) == [("owner", "blank")]
    rate = {**rate, "owner_type": "orders", "value": -1}
    assert codes(
        v4.post("/tax_rates", json={"data": {"type": "tax_rates", "attributes": rate}}), 422
    ) == [("value", "greater_than_or_equal_to"), ("owner_type", "inclusion")]
    assert codes(update(v4, "tax_rates", STATE_TAX, owner_id=VAT), 400) == [
        ("data.attributes.owner_id", "unwritable_attribute")
    ]
    for kind in ("tax_categories", "tax_regions", "tax_rates"):
        assert v4.delete(f"/{kind}/{UNKNOWN}").status_code == 404
        assert update(v4, kind, UNKNOWN, name="x").status_code == 404
    after = v4.api.get("/_sandbox/state").json()
    assert after["catalogs"] == state["catalogs"]
    assert after["vendors"]["booqable"] == state["vendors"]["booqable"]


def test_state_round_trip_carries_the_written_records(v4: Booqable) -> None:
    category = create(
        v4, "tax_categories", name="Books", tax_rates_attributes=[{"name": "Low", "value": 9}]
    )
    region = create(
        v4, "tax_regions", name="Island", tax_rates_attributes=[{"name": "T", "value": 2}]
    )
    rate = ok(update(v4, "tax_rates", STATE_TAX, value=7))["data"]
    ok(v4.delete(f"/tax_categories/{RENTAL_VAT}"))
    before = {
        k: ok(v4.get(f"/{k}", params={"include": "tax_rates"} if k != "tax_rates" else {}))
        for k in ("tax_categories", "tax_regions", "tax_rates")
    }
    state = v4.api.get("/_sandbox/state").json()
    assert v4.api.post("/_sandbox/reset").status_code in (200, 204)
    assert ok(v4.api.put("/_sandbox/state", json=state))
    after = {
        k: ok(v4.get(f"/{k}", params={"include": "tax_rates"} if k != "tax_rates" else {}))
        for k in ("tax_categories", "tax_regions", "tax_rates")
    }
    assert after == before
    ids = [r["id"] for r in after["tax_rates"]["data"]]
    assert category["included"][0]["id"] in ids
    assert region["included"][0]["id"] in ids
    assert rate["attributes"]["value"] == 7.0
