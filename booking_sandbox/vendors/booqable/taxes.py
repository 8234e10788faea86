"""Tax regions, tax rates and tax values (DOCS-HEAD; the reference names them in §4.15 only).

- Tax regions are records of the namespace (fixtures `tax_regions`, each with its
  `tax_rates`); an order's `tax_region_id` (or its customer's) applies the region's rates by
  its `strategy` (pricing.Taxing): `add_to`, `replace` (the categories' rates are dropped)
  or `compound` (tax over tax).
- Tax rates are kept on their owner: a region's as `_tax_rates` (namespace state), a
  category's in the catalog document as `tax_rates`, or, until one is written, as the
  fixtures' shorthand `tax_rate` (one rate, id derived from the category's:
  pricing.category_rate_records). Each owner's live rates come before its archived ones.
  Writes: tax_writes.py (categories, regions) and tax_rate_writes.py.
- Tax values are "generated automatically by price calculations" (DOCS-HEAD): one per rate
  an order is taxed at, kept on the order by `order_records.refresh` and served from there.
"""

from __future__ import annotations

from booking_sandbox.vendors.booqable import state
from booking_sandbox.vendors.booqable.catalog import seed_era
from booking_sandbox.vendors.booqable.jsonapi import (
    AnyRecord,
    Record,
    Ref,
    Rel,
    Resource,
    Store,
    one,
    owned,
    register,
)
from booking_sandbox.vendors.booqable.pricing import category_rate_records

_UUID = "uuid"
_TIME = "datetime"
_STRING = "string"
_STAMPS = {"id": _UUID, "created_at": _TIME, "updated_at": _TIME}


def _rates_of(store: Store, record: AnyRecord) -> list[Ref]:
    return [("tax_rates", r) for r in store.children("tax_rates", "owner_id", record["id"])]


def _owner(store: Store, record: AnyRecord) -> list[Ref]:
    kind = record.get("owner_type")
    found = store.find(kind, record.get("owner_id")) if isinstance(kind, str) else None
    return [(kind, found)] if isinstance(kind, str) and found is not None else []


TAX_REGIONS = Resource(
    "tax_regions",
    ("created_at", "updated_at", "archived", "archived_at", "name", "strategy", "default"),
    (Rel("tax_rates", True, ("tax_rates",), _rates_of, related=owned("tax_rates", "tax_regions")),),
    {
        **_STAMPS,
        "archived": "boolean",
        "archived_at": _TIME,
        "default": "boolean",
        "name": _STRING,
        "strategy": "enum",
    },
)

TAX_RATES = Resource(
    "tax_rates",
    (
        "created_at",
        "updated_at",
        "archived",
        "archived_at",
        "name",
        "value",
        "position",
        "owner_id",
        "owner_type",
    ),
    (
        Rel(
            "owner",
            False,
            ("tax_regions", "tax_categories"),
            _owner,
            related="{owner_type}/{owner_id}",
        ),
    ),
    {
        **_STAMPS,
        "archived": "boolean",
        "name": _STRING,
        "value": "float",
        "owner_id": _UUID,
        "owner_type": "enum",
    },
)

TAX_VALUES = Resource(
    "tax_values",
    (
        "created_at",
        "updated_at",
        "name",
        "percentage",
        "value_in_cents",
        "tax_rate_id",
        "owner_id",
        "owner_type",
    ),
    (
        one("owner", "orders", "owner_id"),
        one("tax_rate", "tax_rates", "tax_rate_id"),
    ),
    {
        **_STAMPS,
        "name": _STRING,
        "owner_id": _UUID,
        "owner_type": "enum",
        "percentage": "float",
        "tax_rate_id": _UUID,
        "value_in_cents": "integer",
    },
)

register(TAX_REGIONS, TAX_RATES, TAX_VALUES)


def tax_rates(store: state.BooqableStore) -> list[Record]:
    """Every tax rate: each region's, then each tax category's."""
    found: list[Record] = []
    for region in store.all("tax_regions"):
        found += _owned(region.get("_tax_rates", []), region["id"], "tax_regions")
    for category in store.all("tax_categories"):
        rates = [seed_era(rate) for rate in category_rate_records(category)]
        found += _owned(rates, category["id"], "tax_categories")
    return found


def _owned(rates: list[Record], owner_id: str, owner_type: str) -> list[Record]:
    """An owner's rates with their owner, live before archived (the docs' update examples
    list the rate just added before the one just archived), else as stored."""
    owned = {"owner_id": owner_id, "owner_type": owner_type}
    return [{**rate, **owned} for rate in sorted(rates, key=lambda r: bool(r.get("archived")))]


def tax_values(store: state.BooqableStore) -> list[Record]:
    """Every order's tax values (kept on the order by its refresh)."""
    return [
        {**value, "owner_id": order["id"], "owner_type": "orders"}
        for order in store.orders()
        for value in order.get("_tax_values", [])
    ]


state.DERIVED["tax_rates"] = tax_rates
state.DERIVED["tax_values"] = tax_values
