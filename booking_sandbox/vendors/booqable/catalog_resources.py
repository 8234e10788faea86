"""The catalog's resources: product groups, products, bundles, stock items, locations, taxes.

Attributes are in the wire order of the vendor's examples (DOCS-2024 for the item resources,
the 2023-02 docs for locations and tax categories), keeping only what the flattened catalog
records hold: `photo_url` (every item), the groups' `group_name`/`variation` and the stock
items' `product_group_id` are not in the records, so they are not written. Relationships are
the 2022-era lists (docs of 2023-02, the closest stored version with seed 003's conventions);
those the sandbox has no records for (photos, barcodes, properties...) include as empty.
"""

from __future__ import annotations

from typing import Any

from booking_sandbox.vendors.booqable import clusters, resource_filters
from booking_sandbox.vendors.booqable.filters import derived
from booking_sandbox.vendors.booqable.jsonapi import (
    Record,
    Rel,
    Resource,
    Store,
    many,
    one,
    owned,
    register,
)
from booking_sandbox.vendors.booqable.photos import photos_of

_UUID = "uuid"
_TIME = "datetime"
_TEXT = "string"
_INT = "integer"
_BOOL = "boolean"

# Filters every archivable catalog resource documents (DOCS-2022 and DOCS-HEAD "Filters",
# reference §4.5-4.8: their union; `id` takes `gt` on the item resources since 2024).
_ARCHIVABLE = {
    "id": _UUID,
    "created_at": _TIME,
    "updated_at": _TIME,
    "archived": _BOOL,
    "archived_at": _TIME,
}


def empty(name: str, kind: str, *, to_many: bool = False, related: str | None = None) -> Rel:
    """A documented relationship the sandbox has no records for: includes as null or [].
    Its 2022 link (jsonapi.Rel.related): `related`, else a to-one's show path by its key."""
    if related is None and not to_many:
        related = f"{kind}/{{{name}_id}}"
    return Rel(name, to_many, (kind,), lambda store, record: [], related=related)


def _stock_item_group(store: Store, record: Record) -> Any:
    """`filter[product_group_id]` on stock items: their product's group."""
    return (store.find("products", record.get("product_id")) or {}).get("product_group_id")


def _in_cluster(store: Store, record: Record) -> Any:
    return record.get("cluster_ids") or []


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
    "id": "uuid eq not_eq gt",
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
    # Kept by no catalog record: null.
    "collection_id": _UUID,
    "buffer_time_after": _INT,
    "buffer_time_before": _INT,
    "default_purchase_cost_in_cents": _INT,
    "group_name": _TEXT,
    "variation": _BOOL,
    "conditions": "hash",  # POST …/search
}
_ITEM_CUSTOM: dict[str, resource_filters.Predicate] = {"q": resource_filters.item_q}
_LEVELS = "inventory_levels?filter[item_id]={id}"
_PRICING = (
    one("photo", "photos", "photo_id"),
    one("tax_category", "tax_categories", "tax_category_id"),
    # Fixture data (catalog_extras.py, price_resources.py).
    one("price_ruleset", "price_rulesets", "price_ruleset_id"),
    one("price_structure", "price_structures", "price_structure_id"),
    # Levels need a period (`filter[from]`/`filter[till]`): ask /inventory_levels instead.
    empty("inventory_levels", "inventory_levels", to_many=True, related=_LEVELS),
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
# DOCS-HEAD `_locations.md` (location_writes.py, catalog_extras.location_record).
_LOCATION_ATTRIBUTES_V4 = (
    *_LOCATION_ATTRIBUTES[:-1], "pickup_enabled", "delivery_enabled", "fulfillment_capabilities",
    "main_address",
)  # fmt: skip

# The 2025 era's lists (`/api/4`): DOCS-2024's create and list examples (reference §4.5-4.8),
# which add `group_name`, `variation` and `photo_url` (always null: no photos) to the item
# resources and `product_group_id` to stock items.
_GROUP_ATTRIBUTES_V4 = (
    *_ITEM_HEAD, "group_name", *_ITEM_BODY, "variation", "extra_information", "photo_url",
    *_ITEM_STORE[1:], "allow_shortage", "shortage_limit", "variation_fields",
    "flat_fee_price_in_cents", "structure_price_in_cents", "stock_item_properties",
)  # fmt: skip
_PRODUCT_ATTRIBUTES_V4 = (
    *_ITEM_HEAD, "group_name", *_ITEM_BODY, "variation", "extra_information", "photo_url",
    *_ITEM_STORE[1:], "variation_values", "allow_shortage", "shortage_limit",
    "product_group_id",
)  # fmt: skip
_BUNDLE_ATTRIBUTES_V4 = (
    *_ITEM_HEAD, "slug", "product_type", "extra_information", "photo_url", "description",
    "excerpt", "show_in_store", "sorting_weight", "discountable", "taxable", "seo_title",
    "seo_description", "tag_list", "photo_id", "tax_category_id",
)  # fmt: skip
_STOCK_ITEM_ATTRIBUTES_V4 = (
    "created_at", "updated_at", "archived", "archived_at", "identifier", "status", "from",
    "till", "stock_item_type", "product_group_id", "properties", "product_id", "location_id",
)  # fmt: skip

PRODUCT_GROUPS = Resource(
    "product_groups",
    _GROUP_ATTRIBUTES,
    (
        *_PRICING,
        empty(
            "properties", "properties", to_many=True, related=owned("properties", "product_groups")
        ),
        many("products", "products", "product_group_id"),
        photos_of("product_groups"),
    ),
    {**_ITEM_FILTERS, "flat_fee_price_in_cents": _INT, "structure_price_in_cents": _INT},
    {
        **_ITEM_CUSTOM,
        # A group's own id: its products' group (DOCS-HEAD lists it on groups too).
        "product_group_id": derived("uuid eq", lambda store, record: record["id"]),
    },
    attributes_v4=_GROUP_ATTRIBUTES_V4,
)

PRODUCTS = Resource(
    "products",
    _PRODUCT_ATTRIBUTES,
    (
        *_PRICING,
        # (a product's properties are its group's: the 2022 docs' link)
        empty(
            "properties",
            "properties",
            to_many=True,
            related=owned("properties", "products", "product_group_id"),
        ),
        one("product_group", "product_groups", "product_group_id"),
        empty("barcode", "barcodes", related=owned("barcodes", "products")),
    ),
    {**_ITEM_FILTERS, "product_group_id": _UUID},
    _ITEM_CUSTOM,
    attributes_v4=_PRODUCT_ATTRIBUTES_V4,
)

BUNDLES = Resource(
    "bundles",
    _BUNDLE_ATTRIBUTES,
    (
        one("photo", "photos", "photo_id"),
        one("tax_category", "tax_categories", "tax_category_id"),
        many("bundle_items", "bundle_items", "bundle_id"),
        empty("inventory_levels", "inventory_levels", to_many=True, related=_LEVELS),
        photos_of("bundles"),
    ),
    # The item filters on the attributes bundles have (their docs list the same kinds).
    {
        name: kind
        for name, kind in _ITEM_FILTERS.items()
        if name in ("id", "conditions", *_BUNDLE_ATTRIBUTES)
    },
    _ITEM_CUSTOM,
    attributes_v4=_BUNDLE_ATTRIBUTES_V4,
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
        "photo_id": _TEXT,
    },
    {
        "archived": resource_filters.stored_or("archived", _BOOL, False),
        "archived_at": resource_filters.stored_or("archived_at", _TIME, None),
    },
)

STOCK_ITEMS = Resource(
    "stock_items",
    _STOCK_ITEM_ATTRIBUTES,
    (
        one("product", "products", "product_id"),
        one("location", "locations", "location_id"),
        empty("barcode", "barcodes", related=owned("barcodes", "stock_items")),
        empty("properties", "properties", to_many=True, related=owned("properties", "stock_items")),
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
        "purchase_cost_in_cents": _INT,
        "purchased_at": _TIME,
    },
    {
        "q": resource_filters.stock_item_q,
        "product_group_id": derived(_UUID, _stock_item_group),
    },
    attributes_v4=_STOCK_ITEM_ATTRIBUTES_V4,
)

LOCATIONS = Resource(
    "locations",
    _LOCATION_ATTRIBUTES,
    (clusters.OF_LOCATION,),
    {
        **_ARCHIVABLE,
        "name": _TEXT,
        "code": _TEXT,
        "location_type": _TEXT,
        "fulfillment_capabilities": "array any_of",
        "main_address": "hash",
    },
    {"cluster_id": derived("array", _in_cluster)},
    attributes_v4=_LOCATION_ATTRIBUTES_V4,
)

# The category's rates (`tax_rate`, or `tax_rates` once written) are served as `tax_rates`
# records (taxes.py), listed in the owner's order there (`taxes.owned_rates`).
TAX_CATEGORIES = Resource(
    "tax_categories",
    ("created_at", "updated_at", "archived", "archived_at", "name", "default"),
    (
        Rel(
            "tax_rates",
            True,
            ("tax_rates",),
            lambda store, record: [
                ("tax_rates", r) for r in store.children("tax_rates", "owner_id", record["id"])
            ],
            related=owned("tax_rates", "tax_categories"),
        ),
    ),
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
