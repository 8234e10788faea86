"""The catalog resources: product groups, products, bundles, bundle items, stock items,
locations and tax categories, as list and show, with their relationships and includes."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from booking_sandbox.vendors.booqable.pools import problems
from tests.booqable.conftest import DJ, JSONAPI, MACBOOK, TENT, Booqable
from tests.conftest import ROOT, Api

GROUP_TENT = "21735be3-0427-4c68-843e-addae0a4ae76"
GROUP_MACBOOK = "46bc7811-24e0-412e-b862-fba6fee9f4b7"
GROUP_VARIATIONS = "198fcb9e-3dc3-4bd4-b68d-3b9dbced4278"  # two products, red and blue
BUNDLE = "9bf34d16-2144-45a5-8461-ebae7bf0f4ca"  # Presentation kit: Macbook + Delivery
BUNDLE_ITEM = "083f7c4f-7974-434e-865a-7cf371f9c2d3"  # its Macbook item
DELIVERY = "07a4050e-10ac-41b2-83a9-fcec3fef5b24"
DJ_ITEM = "6ca9c502-4844-4b54-b7cb-4425d411bbe4"
MAIN_STORE = "bb151c46-29e9-46e8-8db7-ffbe16ed7c73"
DEPOT = "2c1032d9-0535-4d1d-9b67-963e6af6b1a0"
VAT = "9213d9bd-b18e-471f-97bf-b76b7d78217a"
RENTAL_VAT = "dd586b22-bcbc-4728-b27b-1441ec95275a"

GROUP_ATTRIBUTES = [
    "created_at", "updated_at", "archived", "archived_at", "type", "name", "slug", "sku",
    "lead_time", "lag_time", "product_type", "tracking_type", "trackable", "has_variations",
    "extra_information", "description", "excerpt", "show_in_store", "sorting_weight",
    "base_price_in_cents", "price_type", "price_period", "deposit_in_cents", "discountable",
    "taxable", "seo_title", "seo_description", "tag_list", "properties", "photo_id",
    "tax_category_id", "price_ruleset_id", "price_structure_id", "allow_shortage",
    "shortage_limit", "variation_fields", "flat_fee_price_in_cents", "structure_price_in_cents",
    "stock_item_properties",
]  # fmt: skip
PRODUCT_ATTRIBUTES = [
    "created_at", "updated_at", "archived", "archived_at", "type", "name", "group_name", "slug",
    "sku", "lead_time", "lag_time", "product_type", "tracking_type", "trackable",
    "has_variations", "variation", "extra_information", "description", "excerpt",
    "show_in_store", "sorting_weight", "base_price_in_cents", "price_type", "price_period",
    "deposit_in_cents", "discountable", "taxable", "seo_title", "seo_description", "tag_list",
    "properties", "photo_id", "tax_category_id", "price_ruleset_id", "price_structure_id",
    "variation_values", "allow_shortage", "shortage_limit", "product_group_id",
]  # fmt: skip
BUNDLE_ATTRIBUTES = [
    "created_at", "updated_at", "archived", "archived_at", "type", "name", "slug",
    "product_type", "extra_information", "description", "excerpt", "show_in_store",
    "sorting_weight", "discountable", "taxable", "seo_title", "seo_description", "tag_list",
    "photo_id", "tax_category_id",
]  # fmt: skip
BUNDLE_ITEM_ATTRIBUTES = [
    "created_at", "updated_at", "quantity", "discount_percentage", "position", "bundle_id",
    "product_group_id", "product_id",
]  # fmt: skip
STOCK_ITEM_ATTRIBUTES = [
    "created_at", "updated_at", "archived", "archived_at", "identifier", "status", "from",
    "till", "stock_item_type", "properties", "product_id", "location_id",
]  # fmt: skip
LOCATION_ATTRIBUTES = [
    "created_at", "updated_at", "archived", "archived_at", "name", "code", "location_type",
    "address_line_1", "address_line_2", "zipcode", "city", "region", "country", "cluster_ids",
]  # fmt: skip
TAX_CATEGORY_ATTRIBUTES = ["created_at", "updated_at", "archived", "archived_at", "name", "default"]

# Relationship names in wire order (2022-era docs), none included by default.
RELATIONSHIPS = {
    "product_groups": [
        "photo", "tax_category", "price_ruleset", "price_structure", "inventory_levels",
        "properties", "products",
    ],
    "products": [
        "photo", "tax_category", "price_ruleset", "price_structure", "inventory_levels",
        "properties", "product_group", "barcode",
    ],
    "bundles": ["photo", "tax_category", "bundle_items", "inventory_levels"],
    "bundle_items": ["bundle", "product_group", "product"],
    "stock_items": ["product", "location", "barcode", "properties"],
    "locations": ["clusters"],
    "tax_categories": ["tax_rates"],
}  # fmt: skip

FIXTURE: dict[str, Any] = json.loads((ROOT / "fixtures" / "booqable.json").read_text("utf-8"))
# How many records of each kind the bundled fixtures hold (products and bundle items nest).
COUNTS = {
    "product_groups": len(FIXTURE["product_groups"]),
    "products": sum(len(g["products"]) for g in FIXTURE["product_groups"]),
    "bundles": len(FIXTURE["bundles"]),
    "bundle_items": sum(len(b["bundle_items"]) for b in FIXTURE["bundles"]),
    "stock_items": len(FIXTURE["stock_items"]),
    "locations": len(FIXTURE["locations"]),
    "tax_categories": len(FIXTURE["tax_categories"]),
}
CASES = [
    ("product_groups", GROUP_TENT, GROUP_ATTRIBUTES, COUNTS["product_groups"]),
    ("products", TENT, PRODUCT_ATTRIBUTES, COUNTS["products"]),
    ("bundles", BUNDLE, BUNDLE_ATTRIBUTES, COUNTS["bundles"]),
    ("bundle_items", BUNDLE_ITEM, BUNDLE_ITEM_ATTRIBUTES, COUNTS["bundle_items"]),
    ("stock_items", DJ_ITEM, STOCK_ITEM_ATTRIBUTES, COUNTS["stock_items"]),
    ("locations", MAIN_STORE, LOCATION_ATTRIBUTES, COUNTS["locations"]),
    ("tax_categories", VAT, TAX_CATEGORY_ATTRIBUTES, COUNTS["tax_categories"]),
]
NOT_INCLUDED = {"meta": {"included": False}}
NO_LINK = {"links": {"related": None}}


def linked(path: str) -> dict[str, Any]:
    """A 2022 read's relationship not included: its link (reference §3.5 era 1)."""
    return {"links": {"related": f"api/boomerang/{path}"}}


# The 2025 era's attribute lists (`/api/4`), where they differ from the 2022 ones above: the
# DOCS-2024 examples' (reference §4.5-4.8), and DOCS-HEAD's for locations. Bundle items and
# tax categories have no example newer than the 2022 lists.
V4_ATTRIBUTES: dict[str, list[str]] = {
    "product_groups": [
        "created_at", "updated_at", "archived", "archived_at", "type", "name", "group_name",
        "slug", "sku", "lead_time", "lag_time", "product_type", "tracking_type", "trackable",
        "has_variations", "variation", "extra_information", "photo_url", "description",
        "excerpt", "show_in_store", "sorting_weight", "base_price_in_cents", "price_type",
        "price_period", "deposit_in_cents", "discountable", "taxable", "seo_title",
        "seo_description", "tag_list", "properties", "photo_id", "tax_category_id",
        "price_ruleset_id", "price_structure_id", "allow_shortage", "shortage_limit",
        "variation_fields", "flat_fee_price_in_cents", "structure_price_in_cents",
        "stock_item_properties",
    ],
    "products": [
        "created_at", "updated_at", "archived", "archived_at", "type", "name", "group_name",
        "slug", "sku", "lead_time", "lag_time", "product_type", "tracking_type", "trackable",
        "has_variations", "variation", "extra_information", "photo_url", "description",
        "excerpt", "show_in_store", "sorting_weight", "base_price_in_cents", "price_type",
        "price_period", "deposit_in_cents", "discountable", "taxable", "seo_title",
        "seo_description", "tag_list", "properties", "photo_id", "tax_category_id",
        "price_ruleset_id", "price_structure_id", "variation_values", "allow_shortage",
        "shortage_limit", "product_group_id",
    ],
    "bundles": [
        "created_at", "updated_at", "archived", "archived_at", "type", "name", "slug",
        "product_type", "extra_information", "photo_url", "description", "excerpt",
        "show_in_store", "sorting_weight", "discountable", "taxable", "seo_title",
        "seo_description", "tag_list", "photo_id", "tax_category_id",
    ],
    "stock_items": [
        "created_at", "updated_at", "archived", "archived_at", "identifier", "status", "from",
        "till", "stock_item_type", "product_group_id", "properties", "product_id",
        "location_id",
    ],
    # DOCS-HEAD `_locations.md` (no `cluster_ids`; test_location_writes.py replays it).
    "locations": [
        "created_at", "updated_at", "archived", "archived_at", "name", "code", "location_type",
        "address_line_1", "address_line_2", "zipcode", "city", "region", "country",
        "pickup_enabled", "delivery_enabled", "fulfillment_capabilities", "main_address",
    ],
}  # fmt: skip


def resource_shape(
    obj: dict[str, Any], kind: str, attributes: list[str], prefix: str = "/api/boomerang"
) -> None:
    assert list(obj) == ["id", "type", "attributes", "relationships"]
    assert obj["type"] == kind
    if prefix == "/api/4":  # the 2025 era: its own attributes, only included relationships
        assert list(obj["attributes"]) == V4_ATTRIBUTES.get(kind, attributes)
        assert obj["relationships"] == {}
        return
    assert list(obj["attributes"]) == attributes
    # A 2022 read: every relationship as its link (the links themselves: test_related_links.py).
    assert list(obj["relationships"]) == RELATIONSHIPS[kind]
    for rel in obj["relationships"].values():
        assert list(rel) == ["links"]
        assert rel["links"]["related"] is None or rel["links"]["related"].startswith(
            "api/boomerang/"
        )


@pytest.mark.parametrize(("kind", "ident", "attributes", "count"), CASES)
def test_list_writes_every_record_in_wire_order(
    bq: Booqable, kind: str, ident: str, attributes: list[str], count: int
) -> None:
    response = bq.get(f"/{kind}", params={"page[size]": "100", "stats[total]": "count"})
    assert response.status_code == 200
    assert response.headers["content-type"] == JSONAPI
    body = response.json()
    assert list(body) == ["data", "meta"]  # no `links`, no `included`
    assert body["meta"] == {"stats": {"total": {"count": count}}}
    assert len(body["data"]) == count
    for obj in body["data"]:
        resource_shape(obj, kind, attributes)
    assert ident in [obj["id"] for obj in body["data"]]


@pytest.mark.parametrize(("kind", "ident", "attributes", "count"), CASES)
@pytest.mark.parametrize("prefix", ["/api/boomerang", "/api/4"])
def test_show_under_both_prefixes(
    api: Api, prefix: str, kind: str, ident: str, attributes: list[str], count: int
) -> None:
    response = Booqable(api, prefix).get(f"/{kind}/{ident}")
    assert response.status_code == 200
    body = response.json()
    assert body["meta"] == {}
    resource_shape(body["data"], kind, attributes, prefix)
    assert body["data"]["id"] == ident


def test_product_inherits_from_its_group(bq: Booqable) -> None:
    product = bq.get(f"/products/{MACBOOK}").json()["data"]["attributes"]
    group = bq.get(f"/product_groups/{GROUP_MACBOOK}").json()["data"]["attributes"]
    assert product["type"] == "products"
    assert group["type"] == "product_groups"
    assert product["group_name"] == group["name"] == "Macbook Pro"
    assert product["product_group_id"] == GROUP_MACBOOK
    assert product["variation"] is False
    for name in ("tracking_type", "tax_category_id", "price_period", "allow_shortage"):
        assert product[name] == group[name]
    assert product["tax_category_id"] == VAT


def test_variations_are_products_of_one_group(bq: Booqable) -> None:
    found = bq.get("/products", params={"filter[product_group_id]": GROUP_VARIATIONS}).json()
    names = sorted(p["attributes"]["name"] for p in found["data"])
    assert names == ["Product 1000001 - blue", "Product 1000001 - red"]
    assert all(p["attributes"]["variation"] is True for p in found["data"])


@pytest.mark.parametrize("kind", list(RELATIONSHIPS))
def test_unknown_id_is_404(bq: Booqable, kind: str) -> None:
    response = bq.get(f"/{kind}/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404
    assert response.headers["content-type"] == JSONAPI
    assert response.json() == {
        "errors": [
            {"code": "resources_not_found", "status": "404", "title": "Resource(s) not found"}
        ]
    }


@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_401_without_or_with_a_wrong_key(api: Api, key: str | None) -> None:
    if key is None:
        response = api.get("/api/boomerang/products")
    else:
        response = Booqable(api, key=key).get("/products")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "unauthorized"
    assert response.json()["errors"][0]["status"] == "401"


def test_include_to_one_carries_linkage_and_included(bq: Booqable) -> None:
    body = bq.get(f"/products/{MACBOOK}", params={"include": "product_group,tax_category"}).json()
    rels = body["data"]["relationships"]
    assert rels["product_group"] == {
        **linked(f"product_groups/{GROUP_MACBOOK}"),
        "data": {"type": "product_groups", "id": GROUP_MACBOOK},
    }
    assert rels["tax_category"] == {
        **linked(f"tax_categories/{VAT}"),
        "data": {"type": "tax_categories", "id": VAT},
    }
    assert rels["photo"] == NO_LINK
    assert [(i["type"], i["id"]) for i in body["included"]] == [
        ("product_groups", GROUP_MACBOOK),
        ("tax_categories", VAT),
    ]
    assert list(body) == ["data", "included", "meta"]


def test_include_of_an_empty_relationship_is_null_or_empty(bq: Booqable) -> None:
    body = bq.get(f"/products/{TENT}", params={"include": "photo,tax_category,properties"}).json()
    rels = body["data"]["relationships"]
    assert rels["photo"] == {**NO_LINK, "data": None}
    assert rels["tax_category"] == {**NO_LINK, "data": None}  # the tent has no tax category
    assert rels["properties"]["data"] == []
    assert "included" not in body


def test_nested_include_on_a_bundle(bq: Booqable) -> None:
    body = bq.get(f"/bundles/{BUNDLE}", params={"include": "bundle_items.product"}).json()
    items = body["data"]["relationships"]["bundle_items"]["data"]
    assert {"type": "bundle_items", "id": BUNDLE_ITEM} in items
    included = {(i["type"], i["id"]): i for i in body["included"]}
    assert set(included) == {
        ("bundle_items", BUNDLE_ITEM),
        ("bundle_items", "92427ab3-f1e3-47af-b523-48094dcbe02f"),
        ("products", MACBOOK),
        ("products", DELIVERY),
    }
    item = included[("bundle_items", BUNDLE_ITEM)]
    assert item["relationships"]["product"] == {
        **linked(f"products/{MACBOOK}"),
        "data": {"type": "products", "id": MACBOOK},
    }
    assert item["relationships"]["bundle"] == linked(f"bundles/{BUNDLE}")
    assert item["attributes"]["bundle_id"] == BUNDLE


def test_list_include_deduplicates_included(bq: Booqable) -> None:
    body = bq.get(
        "/stock_items", params={"filter[product_id]": DJ, "include": "product,location"}
    ).json()
    assert len(body["data"]) == 2
    assert sorted((i["type"], i["id"]) for i in body["included"]) == [
        ("locations", MAIN_STORE),
        ("products", DJ),
    ]


def test_group_products_include(bq: Booqable) -> None:
    body = bq.get(f"/product_groups/{GROUP_VARIATIONS}", params={"include": "products"}).json()
    linkage = body["data"]["relationships"]["products"]["data"]
    assert len(linkage) == 2
    assert all(link["type"] == "products" for link in linkage)


def test_unsupported_include_is_400(bq: Booqable) -> None:
    response = bq.get("/products", params={"include": "customer"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    error = response.json()["errors"][0]
    assert error["code"] == "bad_request"
    assert error["meta"]["code"] == "invalid_include"


def test_stock_items_filter_on_their_product_group(bq: Booqable) -> None:
    group = "2030d799-01eb-434c-a823-eae4ea8468de"  # Canon EOS R6: six stock items
    found = bq.get("/stock_items", params={"filter[product_group_id]": group}).json()["data"]
    assert len(found) == 6
    assert {s["attributes"]["identifier"][:3] for s in found} == {"R6-"}


def test_stock_items_by_location(bq: Booqable) -> None:
    found = bq.get("/stock_items", params={"filter[location_id]": DEPOT}).json()["data"]
    assert sorted(s["attributes"]["identifier"] for s in found) == [
        "IPAD-A-0001",
        "IPAD-A-0002",
        "IPAD-A-0003",
    ]


def test_locations_filter_on_cluster(bq: Booqable) -> None:
    found = bq.get(
        "/locations", params={"filter[cluster_id]": "00000000-0000-4000-8000-000000000000"}
    ).json()
    assert found["data"] == []  # the fixture locations belong to no cluster


def test_tax_categories_hide_the_sandbox_rate(bq: Booqable) -> None:
    found = bq.get("/tax_categories", params={"filter[default]": "true"}).json()["data"]
    assert [c["id"] for c in found] == [VAT]
    assert "tax_rate" not in found[0]["attributes"]
    assert bq.get(f"/tax_categories/{RENTAL_VAT}").json()["data"]["attributes"]["default"] is False


# --- fixture cross-references -----------------------------------------------------------------


def test_bundled_fixture_references_resolve() -> None:
    assert problems(copy.deepcopy(FIXTURE)) == []


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("$.stock_items[0].location_id", "unknown location"),
        ("$.orders[0].start_location_id", "unknown location"),
        ("$.orders[0].stop_location_id", "unknown location"),
        ("$.product_groups[4].tax_category_id", "unknown tax category"),
        ("$.bundles[0].tax_category_id", "unknown tax category"),
        ("$.locations[1]", "duplicate location"),
        ("$.tax_categories[1]", "duplicate tax category"),
    ],
)
def test_broken_location_and_tax_references_are_reported(path: str, message: str) -> None:
    doc = copy.deepcopy(FIXTURE)
    nowhere = "00000000-0000-4000-8000-000000000000"
    doc["stock_items"][0]["location_id"] = nowhere
    doc["orders"][0].update(start_location_id=nowhere, stop_location_id=nowhere)
    doc["product_groups"][4]["tax_category_id"] = nowhere
    doc["bundles"][0]["tax_category_id"] = nowhere
    doc["locations"][1]["id"] = doc["locations"][0]["id"]
    doc["tax_categories"][1]["id"] = doc["tax_categories"][0]["id"]
    found = dict(problems(doc))
    assert found[path].startswith(message)


def test_null_locations_and_tax_categories_are_allowed() -> None:
    doc = copy.deepcopy(FIXTURE)
    del doc["locations"], doc["tax_categories"]  # optional sections, when nothing refers to them
    for item in doc["stock_items"]:
        item["location_id"] = None
    for order in doc["orders"]:
        order.update(start_location_id=None, stop_location_id=None)
    for group in doc["product_groups"]:
        group["tax_category_id"] = None
    assert problems(doc) == []
