"""The namespace's Booqable catalog as wire records, indexed once per namespace.

Fixtures nest products in their product group and bundle items in their bundle; the API
serves them as resources of their own, so they are flattened here with their parent's id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable.catalog_extras import EXTRA_KINDS, extend
from booking_sandbox.vendors.booqable.errors import no_catalog
from booking_sandbox.vendors.booqable.wire import timestamp

SECTION = "booqable"
# state.BooqableStore's child indexes, kept in `space.derived` under this key.
CHILDREN = "booqable.children"
Record = dict[str, Any]

CATALOG_KINDS = (
    "product_groups",
    "products",
    "bundles",
    "bundle_items",
    "stock_items",
    "locations",
    "tax_categories",
    "price_rulesets",
    *EXTRA_KINDS,  # price rules and structures, photos, clusters (catalog_extras.py)
)


@dataclass(frozen=True)
class BooqableCatalog:
    lists: dict[str, list[Record]]
    by_id: dict[str, dict[str, Record]]
    api_keys: frozenset[str]
    # (kind, key) -> key value -> id -> record: the store's child indexes of catalog kinds,
    # built on first use and shared with the catalog (state.BooqableStore.children).
    children: dict[tuple[str, str], dict[Any, dict[str, Record]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def get(self, kind: str, ident: Any) -> Record | None:
        return self.by_id[kind].get(ident) if isinstance(ident, str) else None

    def group_of(self, product: Record) -> Record:
        return self.by_id["product_groups"][product["product_group_id"]]


def catalog_of(space: Namespace) -> BooqableCatalog:
    doc = space.catalogs.get(SECTION)
    if not isinstance(doc, dict):  # fixtures without a Booqable catalog
        raise no_catalog()
    return space.derive(SECTION, SECTION, lambda: index(doc))


def invalidate(space: Namespace) -> BooqableCatalog:
    """After a catalog write: drop what was derived from the catalog document (its index and
    the catalog kinds' child indexes of state.py) and index the document again."""
    space.derived.pop(SECTION, None)
    children = space.derived.get(CHILDREN)
    if isinstance(children, dict):
        for key in [k for k in children if k[0] in CATALOG_KINDS]:
            del children[key]
    return catalog_of(space)


def index(doc: Record) -> BooqableCatalog:
    lists: dict[str, list[Record]] = {kind: [] for kind in CATALOG_KINDS}
    for group in doc["product_groups"]:
        lists["product_groups"].append({k: v for k, v in group.items() if k != "products"})
        for product in group["products"]:
            lists["products"].append(product_record(group, product))
    for bundle in doc.get("bundles", []):
        lists["bundles"].append(
            {k: v for k, v in bundle.items() if k != "bundle_items"} | {"type": "bundles"}
        )
        for item in bundle["bundle_items"]:
            lists["bundle_items"].append({**item, "bundle_id": bundle["id"]})
    for kind in ("stock_items", "locations", "tax_categories", "price_rulesets"):
        lists[kind] = list(doc.get(kind, []))
    # The 2025 era writes these too (DOCS-2024): a group is no variation and has no group name.
    for group in lists["product_groups"]:
        group.update(type="product_groups", group_name=None, variation=False)
    group_of = {p["id"]: p["product_group_id"] for p in lists["products"]}
    lists["stock_items"] = [
        {**s, "product_group_id": group_of.get(s["product_id"])} for s in lists["stock_items"]
    ]
    extend(doc, lists)
    era = SeedEra()
    # The records made above are this index's own: dated in place (a copy each cost 0.3 s on
    # the 100,000-product catalog). The others may be the document's: dated in a copy.
    lists = {
        kind: [era.own(r) for r in records] if kind in _MADE_HERE else [era(r) for r in records]
        for kind, records in lists.items()
    }
    return BooqableCatalog(
        lists,
        {kind: {r["id"]: r for r in records} for kind, records in lists.items()},
        frozenset(k["key"] for k in doc["api_keys"]),
    )


# Kinds whose records `index` makes itself (none is a record of the document).
_MADE_HERE = frozenset({"product_groups", "products", "bundles", "bundle_items", "stock_items"})


def seed_era(record: Record) -> Record:
    """Timestamps as the seed's era wrote them (no fraction), whatever the fixture says."""
    return SeedEra()(record)


class SeedEra:
    """`seed_era` over many records: a big catalog repeats a few key layouts and instants, so
    which keys are timestamps (per layout) and each instant's text are worked out once (the
    100,000-product catalog's index went from 4.9 s to 1.7 s)."""

    def __init__(self) -> None:
        self._stamped: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._texts: dict[str, str] = {}

    def __call__(self, record: Record) -> Record:
        return self.own(dict(record))

    def own(self, out: Record) -> Record:
        """`out` itself dated: for a record no one else holds."""
        layout = tuple(out)
        stamped = self._stamped.get(layout)
        if stamped is None:
            stamped = self._stamped[layout] = tuple(k for k in layout if k.endswith("_at"))
        for key in stamped:
            value = out[key]
            if isinstance(value, str):
                text = self._texts.get(value)
                if text is None:
                    text = self._texts[value] = timestamp(parse_instant(value))
                out[key] = text
        return out


# Products share these with their group (DOCS-2024 products: "inherited from the group").
_INHERITED = (
    "product_type",
    "tracking_type",
    "trackable",
    "has_variations",
    "extra_information",
    "description",
    "show_in_store",
    "price_type",
    "price_period",
    "discountable",
    "taxable",
    "tag_list",
    "properties",
    "tax_category_id",
    "price_ruleset_id",
    "price_structure_id",
    "allow_shortage",
    "shortage_limit",
    "lead_time",
    "lag_time",
    "flat_fee_price_in_cents",
    "structure_price_in_cents",
)


def product_record(group: Record, product: Record) -> Record:
    inherited = {k: group[k] for k in _INHERITED if k in group}
    return {
        **inherited,
        **product,
        "type": "products",
        "group_name": group["name"],
        "product_group_id": group["id"],
        "variation": bool(group.get("has_variations")),
    }
