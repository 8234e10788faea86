"""The catalog's resources: product groups, products, bundles, stock items, locations, taxes.

Attributes are in the wire order of the vendor's examples (DOCS-2024 for the item resources,
the 2023-02 docs for locations and tax categories), keeping only what the flattened catalog
records hold: `photo_url` (every item), the groups' `group_name`/`variation` and the stock
items' `product_group_id` are not in the records, so they are not written. Relationships are
the 2022-era lists (docs of 2023-02, the closest stored version with seed 003's conventions);
those the sandbox has no records for (photos, barcodes, properties...) include as empty.
"""

from __future__ import annotations

from booking_sandbox.vendors.booqable.jsonapi import (
    Record,
    Rel,
    Resource,
    Store,
    many,
    one,
    register,
)

_UUID = "uuid"
_TIME = "datetime"
_TEXT = "string"
_INT = "integer"
_BOOL = "boolean"

# Filters every archivable catalog resource documents.
_ARCHIVABLE = {
    "id": _UUID,
    "created_at": _TIME,
    "updated_at": _TIME,
    "archived": _BOOL,
    "archived_at": _TIME,
}


def empty(name: str, kind: str, *, to_many: bool = False) -> Rel:
    """A documented relationship the sandbox has no records for: includes as null or []."""
    return Rel(name, to_many, (kind,), lambda store, record: [])


def _stock_item_group(store: Store, record: Record, values: list[str]) -> bool:
    """`filter[product_group_id]` on stock items: their product's group."""
    product = store.find("products", record.get("product_id"))
    return product is not None and product.get("product_group_id") in values


def _in_cluster(store: Store, record: Record, values: list[str]) -> bool:
    return any(cluster in values for cluster in record.get("cluster_ids") or [])


# What product groups and products share, in the same order on both.
_ITEM_HEAD = (
    "created_at", "updated_at", "archived", "archived_at", "type", "name",
)  # fmt: skip
_ITEM_BODY = (
    "slug", "sku", "lead_time", "lag_time", "product_type", "tracking_type", "trackable",
    "has_variations",
)  # fmt: skip
_ITEM_STORE = (
    "extra_information", "description", "excerpt", "show_in_store", "sorting_weight",
    "base_price_in_cents", "price_type", "price_period", "deposit_in_cents", "discountable",
    "taxable", "seo_title", "seo_description", "tag_list", "properties", "photo_id",
    "tax_category_id", "price_ruleset_id", "price_structure_id",
)  # fmt: skip
_ITEM_FILTERS = {
    **_ARCHIVABLE,
    "type": "enum",
    "name": _TEXT,
    "slug": _TEXT,
    "sku": _TEXT,
    "lead_time": _INT,
    "lag_time": _INT,
    "product_type": _TEXT,
    "tracking_type": _TEXT,
    "trackable": _BOOL,
    "has_variations": _BOOL,
    "extra_information": _TEXT,
    "description": _TEXT,
    "show_in_store": _BOOL,
    "sorting_weight": _INT,
    "base_price_in_cents": _INT,
    "price_type": _TEXT,
    "price_period": _TEXT,
    "deposit_in_cents": _INT,
    "discountable": _BOOL,
    "taxable": _BOOL,
    "seo_title": _TEXT,
    "seo_description": _TEXT,
    "tag_list": "array",
    "tax_category_id": _UUID,
    "price_ruleset_id": _UUID,
    "price_structure_id": _UUID,
    "allow_shortage": _BOOL,
    "shortage_limit": _INT,
    "photo_id": _UUID,
}
_PRICING = (
    empty("photo", "photos"),
    one("tax_category", "tax_categories", "tax_category_id"),
    empty("price_ruleset", "price_rulesets"),  # rulesets are fixture data, not a resource
    empty("price_structure", "price_structures"),
    # Levels need a period (`filter[from]`/`filter[till]`): ask /inventory_levels instead.
    empty("inventory_levels", "inventory_levels", to_many=True),
    empty("properties", "properties", to_many=True),
)

# Attribute lists in wire order (see the module doc for the sources).
_GROUP_ATTRIBUTES = (
    *_ITEM_HEAD, *_ITEM_BODY, *_ITEM_STORE, "allow_shortage", "shortage_limit",
    "variation_fields", "flat_fee_price_in_cents", "structure_price_in_cents",
    "stock_item_properties",
)  # fmt: skip
_PRODUCT_ATTRIBUTES = (
    *_ITEM_HEAD, "group_name", *_ITEM_BODY, "variation", *_ITEM_STORE, "variation_values",
    "allow_shortage", "shortage_limit", "product_group_id",
)  # fmt: skip
_BUNDLE_ATTRIBUTES = (
    *_ITEM_HEAD, "slug", "product_type", "extra_information", "description", "excerpt",
    "show_in_store", "sorting_weight", "discountable", "taxable", "seo_title",
    "seo_description", "tag_list", "photo_id", "tax_category_id",
)  # fmt: skip
_BUNDLE_ITEM_ATTRIBUTES = (
    "created_at", "updated_at", "quantity", "discount_percentage", "position", "bundle_id",
    "product_group_id", "product_id",
)  # fmt: skip
_STOCK_ITEM_ATTRIBUTES = (
    "created_at", "updated_at", "archived", "archived_at", "identifier", "status", "from",
    "till", "stock_item_type", "properties", "product_id", "location_id",
)  # fmt: skip
_LOCATION_ATTRIBUTES = (
    "created_at", "updated_at", "archived", "archived_at", "name", "code", "location_type",
    "address_line_1", "address_line_2", "zipcode", "city", "region", "country", "cluster_ids",
)  # fmt: skip

PRODUCT_GROUPS = Resource(
    "product_groups",
    _GROUP_ATTRIBUTES,
    (*_PRICING, many("products", "products", "product_group_id")),
    {**_ITEM_FILTERS, "flat_fee_price_in_cents": _INT, "structure_price_in_cents": _INT},
)

PRODUCTS = Resource(
    "products",
    _PRODUCT_ATTRIBUTES,
    (
        *_PRICING,
        one("product_group", "product_groups", "product_group_id"),
        empty("barcode", "barcodes"),
    ),
    {**_ITEM_FILTERS, "product_group_id": _UUID},
)

BUNDLES = Resource(
    "bundles",
    _BUNDLE_ATTRIBUTES,
    (
        empty("photo", "photos"),
        one("tax_category", "tax_categories", "tax_category_id"),
        many("bundle_items", "bundle_items", "bundle_id"),
        empty("inventory_levels", "inventory_levels", to_many=True),
    ),
    # The item filters on the attributes bundles have (their docs list the same kinds).
    {name: kind for name, kind in _ITEM_FILTERS.items() if name in ("id", *_BUNDLE_ATTRIBUTES)},
)

BUNDLE_ITEMS = Resource(
    "bundle_items",
    _BUNDLE_ITEM_ATTRIBUTES,
    (
        one("bundle", "bundles", "bundle_id"),
        one("product_group", "product_groups", "product_group_id"),
        one("product", "products", "product_id"),
    ),
    {
        "id": _UUID,
        "created_at": _TIME,
        "updated_at": _TIME,
        "quantity": _INT,
        "discount_percentage": "float",
        "position": _INT,
        "bundle_id": _UUID,
        "product_group_id": _UUID,
        "product_id": _UUID,
    },
)

STOCK_ITEMS = Resource(
    "stock_items",
    _STOCK_ITEM_ATTRIBUTES,
    (
        one("product", "products", "product_id"),
        one("location", "locations", "location_id"),
        empty("barcode", "barcodes"),
        empty("properties", "properties", to_many=True),
    ),
    {
        **_ARCHIVABLE,
        "identifier": _TEXT,
        "status": _TEXT,
        "from": _TIME,
        "till": _TIME,
        "stock_item_type": _TEXT,
        "product_id": _UUID,
        "location_id": _UUID,
    },
    {"product_group_id": _stock_item_group},
)

LOCATIONS = Resource(
    "locations",
    _LOCATION_ATTRIBUTES,
    (empty("clusters", "clusters", to_many=True),),
    {**_ARCHIVABLE, "name": _TEXT, "code": _TEXT, "location_type": _TEXT},
    {"cluster_id": _in_cluster},
)

# `tax_rate` stays a sandbox field: the vendor keeps rates in `tax_rates` (not emulated).
TAX_CATEGORIES = Resource(
    "tax_categories",
    ("created_at", "updated_at", "archived", "archived_at", "name", "default"),
    (empty("tax_rates", "tax_rates", to_many=True),),
    {**_ARCHIVABLE, "default": _BOOL},
)

CATALOG_RESOURCES = (
    PRODUCT_GROUPS,
    PRODUCTS,
    BUNDLES,
    BUNDLE_ITEMS,
    STOCK_ITEMS,
    LOCATIONS,
    TAX_CATEGORIES,
)
register(*CATALOG_RESOURCES)
