"""GET /items, /items/{id} and POST /items/search: product groups, products and bundles."""

from __future__ import annotations

import re
from typing import Any

import httpx2 as httpx
import pytest

from tests.booqable.conftest import MACBOOK, TENT, Booqable
from tests.booqable.docs_catalog import golden, group, same, shared_attributes, use_catalog
from tests.conftest import Api

PLAIN_JSON = "application/json; charset=utf-8"
KIT = "9bf34d16-2144-45a5-8461-ebae7bf0f4ca"
TENT_GROUP = "21735be3-0427-4c68-843e-addae0a4ae76"
ITEM_TYPES = {"product_groups", "products", "bundles"}
# The fixture schema's attributes of a product group and of a product (docs_catalog.group).
_GROUP_KEYS = set(group("a", "b", "c")) - {"products"}
_PRODUCT_KEYS = set(group("a", "b", "c")["products"][0])


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def request_error(response: httpx.Response, code: str) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == PLAIN_JSON
    assert response.json()["errors"][0]["meta"]["code"] == code


# ----- the docs' examples ----------------------------------------------------------------------


def _catalog(example: dict[str, Any]) -> dict[str, Any]:
    """The example's items as fixture records (with their tax categories)."""
    data = example["response"]["data"]
    objects = data if isinstance(data, list) else [data]
    groups: dict[str, dict[str, Any]] = {}
    bundles: list[dict[str, Any]] = []
    for obj in objects:
        attributes = {"id": obj["id"], **obj["attributes"]}
        if obj["type"] == "product_groups":
            groups[obj["id"]] = {k: v for k, v in attributes.items() if k in _GROUP_KEYS}
            groups[obj["id"]]["products"] = []
        elif obj["type"] == "bundles":
            keep = {k: v for k, v in attributes.items() if k not in ("type", "photo_url")}
            bundles.append({**keep, "bundle_items": []})
    for obj in objects:
        if obj["type"] == "products":
            attributes = {"id": obj["id"], **obj["attributes"], "stock_count": 0}
            record = {k: v for k, v in attributes.items() if k in _PRODUCT_KEYS}
            groups[obj["attributes"]["product_group_id"]]["products"].append(record)
    for found in groups.values():  # an example's group alone: its product, as in the docs
        if not found["products"]:
            found["products"].append({"id": f"{found['id'][:-4]}0000", "name": found["name"]})
            found["products"][0]["stock_count"] = 0
    categories = {g["tax_category_id"] for g in groups.values() if g.get("tax_category_id")}
    return {
        "product_groups": list(groups.values()),
        "bundles": bundles,
        "tax_categories": [{"id": c, "name": "VAT", "tax_rate": 21.0} for c in categories],
    }


def _compare(ours: Any, theirs: Any, known: set[str]) -> None:
    """Items in the docs' order with the docs' values; their attribute lists (2025's
    `buffer_time_before`, `weight`…) are the item resources' business, compared where both
    write an attribute."""
    mine = ours if isinstance(ours, list) else [ours]
    other = theirs if isinstance(theirs, list) else [theirs]
    assert [(o["type"], o["id"]) for o in mine] == [(o["type"], o["id"]) for o in other]
    for left, right in zip(mine, other, strict=True):
        same(*shared_attributes(left, right), known)


def _ids(value: Any) -> set[str]:
    return set(re.findall(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}", str(value)))


@pytest.mark.parametrize("name", ["items_list_200", "items_show_200"])
def test_the_docs_examples(v4: Booqable, name: str) -> None:
    example = golden(name)
    catalog = _catalog(example)
    use_catalog(v4, catalog)
    response = v4.get(example["path"].removeprefix("/api/4"))
    assert response.status_code == 200, response.text
    body = response.json()
    if name == "items_show_200":  # the group's own product is not in the example
        assert body["data"]["id"] == example["response"]["data"]["id"]
    _compare(body["data"], example["response"]["data"], _ids(catalog))
    assert body["meta"] == example["response"]["meta"]


# ----- the collection --------------------------------------------------------------------------


def items(bq: Booqable, **params: str) -> list[dict[str, Any]]:
    response = bq.get("/items", params={"page[size]": "100", **params})
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]
    return found


def test_every_item_each_as_its_own_resource(v4: Booqable) -> None:
    listed = items(v4)
    expected = {
        (kind, r["id"])
        for kind in ITEM_TYPES
        for r in v4.get(f"/{kind}", params={"page[size]": "100"}).json()["data"]
    }
    assert {(r["type"], r["id"]) for r in listed} == expected
    for record in listed:
        assert record["attributes"]["type"] == record["type"]
        shown = v4.get(f"/{record['type']}/{record['id']}").json()["data"]
        assert record["attributes"] == shown["attributes"]


def test_filters_work_across_types(v4: Booqable) -> None:
    bundles = items(v4, **{"filter[type]": "bundles"})
    assert bundles
    assert {r["type"] for r in bundles} == {"bundles"}
    tents = items(v4, **{"filter[product_group_id]": TENT_GROUP})
    assert [r["id"] for r in tents] == [TENT]
    found = items(v4, **{"filter[q]": "party TENT"})
    assert {r["id"] for r in found} == {TENT, TENT_GROUP}
    cheap = items(v4, **{"filter[base_price_in_cents][lte]": "2500", "filter[type]": "products"})
    assert cheap
    assert all(r["attributes"]["base_price_in_cents"] <= 2500 for r in cheap)
    assert items(v4, **{"filter[collection_id]": TENT}) == []


def test_sort_stats_and_pages(v4: Booqable) -> None:
    everything = items(v4)
    response = v4.get("/items", params={"page[size]": "2", "stats[total]": "count"})
    assert response.json()["meta"] == {"stats": {"total": {"count": len(everything)}}}
    assert [r["id"] for r in response.json()["data"]] == [r["id"] for r in everything[:2]]
    by_name = items(v4, sort="name")
    names = [r["attributes"]["name"] for r in by_name]
    assert names == sorted(names)


def test_fields_of_items_apply_to_every_type(v4: Booqable) -> None:
    listed = items(v4, **{"fields[items]": "name,type"})
    assert {tuple(r["attributes"]) for r in listed} == {("type", "name")}
    mixed = items(v4, **{"fields[items]": "name", "fields[bundles]": "slug"})
    assert {tuple(r["attributes"]) for r in mixed if r["type"] == "bundles"} == {("slug",)}


def test_includes_apply_where_the_type_has_them(v4: Booqable) -> None:
    response = v4.get(f"/items/{KIT}", params={"include": "bundle_items,collection_items"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert {r["type"] for r in body["included"]} == {"bundle_items"}
    response = v4.get("/items", params={"include": "bundle_items", "page[size]": "100"})
    assert response.status_code == 200
    assert all(
        "bundle_items" not in r.get("relationships", {})
        for r in response.json()["data"]
        if r["type"] != "bundles"
    )


def test_show_any_item(v4: Booqable, bq: Booqable) -> None:
    for ident, kind in ((TENT, "products"), (TENT_GROUP, "product_groups"), (KIT, "bundles")):
        body = v4.get(f"/items/{ident}").json()
        assert (body["data"]["type"], body["data"]["id"], body["meta"]) == (kind, ident, {})
        assert bq.get(f"/items/{ident}").status_code == 200  # both eras


def test_search_items(v4: Booqable) -> None:
    conditions = {
        "operator": "and",
        "attributes": [{"type": "products"}, {"base_price_in_cents": {"gt": 2000}}],
    }
    body = {"fields": {"items": "id"}, "filter": {"conditions": conditions}}
    response = v4.post("/items/search", json=body)
    assert response.status_code == 200, response.text
    found = response.json()["data"]
    assert found
    assert all(set(r) == {"id"} for r in found)
    assert MACBOOK in {r["id"] for r in found}


def test_bad_input(v4: Booqable) -> None:
    request_error(v4.get("/items", params={"filter[colour]": "red"}), "invalid_filter")
    request_error(v4.get("/items", params={"include": "customer"}), "invalid_include")
    request_error(v4.get("/items", params={"sort": "colour"}), "invalid_sort")
    missing = v4.get("/items/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["code"] == "resources_not_found"
