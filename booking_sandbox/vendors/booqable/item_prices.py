"""`GET /item_prices`: what one unit of a product or bundle costs over a period.

Prices are those an order's lines get (pricing.py): the same charge window, price period and
price rules, computed for the asked period (`filter[from]`/`filter[till]`) or for a bare
length in seconds (`filter[charge_length]`). Records are transient, each with a version-5
UUID derived from the question (reference §3.10), so the same question gets the same id.

Sandbox choices where the docs are silent (reference §4.15, DOCS-HEAD `_item_prices.md`):
- `from`/`till` win over `charge_length` when both are given; without either the answer is
  Graphiti's required-filter 400 naming `from, till`.
- With `charge_length` no dated price rule applies, and `original_price_each_in_cents` is
  null, as in the docs' example.
- A bundle (`item_id`) costs its items' prices less each item's discount, as a bundle line;
  its `original_price_each_in_cents` is null, as on the 2024 bundle line. A bundle item of a
  product group with variations is priced at the group's cheapest product.
- An id that is no product, bundle or product group (for `product_group_id`) is a 404.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.booqable import computed_filters as filters
from booking_sandbox.vendors.booqable import listing, pricing
from booking_sandbox.vendors.booqable.errors import not_found, validation
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import (
    Record,
    Resource,
    Store,
    document,
    item_rel,
    one,
    register,
)
from booking_sandbox.vendors.booqable.wire import respond, timestamp

KIND = "item_prices"
FILTERS = (
    "bundle_id", "charge_length", "from", "ignore_discount", "item_id",
    "original_charge_length", "price_ruleset_id", "price_structure_id", "product_group_id",
    "till",
)  # fmt: skip
_IDS = uuid.uuid5(uuid.NAMESPACE_URL, "https://booking-sandbox.local/booqable/item_prices")
_PRICES = (
    "from", "till", "original_charge_length", "charge_length", "original_charge_label",
    "charge_label", "original_price_each_in_cents", "price_each_in_cents", "price_rule_values",
    "price_structure_id", "price_ruleset_id", "price_tile_id",
)  # fmt: skip
# The period and length a price is asked for: (from, till) or a length in seconds.
Ask = tuple[datetime, datetime] | int


ITEM_PRICES = Resource(
    KIND,
    ("item_id", *_PRICES),  # DOCS-2024, served on /api/boomerang
    (
        item_rel(),
        one("price_ruleset", "price_rulesets", "price_ruleset_id"),
        one("price_structure", "price_structures", "price_structure_id"),
        one("price_tile", "price_tiles", "price_tile_id"),
        replace(one("bundle", "bundles", "bundle_id"), listed=False),
        replace(one("bundle_item", "bundle_items", "bundle_item_id"), listed=False),
    ),
    attributes_v4=(
        "item_id",
        "bundle_id",
        "product_group_id",
        "ignore_discount",
        "bundle_item_id",
        *_PRICES,
    ),
)
register(ITEM_PRICES)


async def prices(call: Call) -> Response:
    wanted = filters.read(call, KIND, "ItemPriceResource", FILTERS)
    item_ids = filters.values(wanted.get("item_id"))
    bundle_ids = filters.values(wanted.get("bundle_id"))
    group_ids = filters.values(wanted.get("product_group_id"))
    if not (item_ids or bundle_ids or group_ids):
        filters.require(wanted, "ItemPriceResource", ["item_id"])
    ask = _ask(wanted)
    ruleset = _ruleset(call, wanted)
    if wanted.get("price_structure_id") is not None:
        structure = filters.one("price_structure_id", wanted["price_structure_id"])
        if call.store.find("price_structures", structure) is None:
            raise not_found()
        # Fixture structures are data only (price_resources.py): pricing by one is refused
        # rather than answered with the ruleset's figures.
        raise validation(
            ("price_structure_id", "pricing by a price structure is not emulated", "unsupported")
        )
    ignore = wanted.get("ignore_discount")
    ignore_discount = filters.boolean("ignore_discount", ignore) if ignore is not None else None
    base = {"bundle_id": None, "product_group_id": None, "ignore_discount": ignore_discount}
    price = _Pricer(call, ask, ruleset)
    records: list[Record] = []
    for kind, item in filters.records(call, ("products", "bundles"), item_ids):
        if kind == "products":
            records.append(price.product(item, base))
        else:
            records.append(price.bundle(item, base))
    for _, bundle in filters.records(call, ("bundles",), bundle_ids):
        for bundle_item in _bundle_items(call.store, bundle["id"]):
            extra = {**base, "bundle_id": bundle["id"], "bundle_item_id": bundle_item["id"]}
            records.append(price.bundle_item(bundle_item, extra, bool(ignore_discount)))
    for _, group in filters.records(call, ("product_groups",), group_ids):
        records.append(price.cheapest(group, {**base, "product_group_id": group["id"]}))
    if "original_charge_length" in wanted:
        length = filters.integer("original_charge_length", wanted["original_charge_length"])
        records = [r for r in records if r["original_charge_length"] == length]
    query = replace(call.query, filter={})  # consumed above; sort, stats and pages as usual
    records = listing.select(call.store, ITEM_PRICES, records, query)
    meta = listing.stats(ITEM_PRICES, records, query)
    return respond(document(call.store, ITEM_PRICES, listing.page(records, query), query, meta))


def _ask(wanted: dict[str, Any]) -> Ask:
    if "from" in wanted or "till" in wanted or "charge_length" not in wanted:
        filters.require(
            wanted, "ItemPriceResource", [n for n in ("from", "till") if n not in wanted]
        )
        return filters.period(wanted["from"], wanted["till"])
    return filters.integer("charge_length", wanted["charge_length"])


def _ruleset(call: Call, wanted: dict[str, Any]) -> str | None:
    if wanted.get("price_ruleset_id") is None:
        return None
    ident = filters.one("price_ruleset_id", wanted["price_ruleset_id"])
    if call.store.catalog.get("price_rulesets", ident) is None:
        raise not_found()
    return ident


def _bundle_items(store: Store, bundle_id: str) -> list[Record]:
    found = [i for i in store.all("bundle_items") if i["bundle_id"] == bundle_id]
    return sorted(found, key=lambda i: i.get("position") or 0)


class _Pricer:
    """Prices for one question (period or length, optional ruleset) as item price records."""

    def __init__(self, call: Call, ask: Ask, ruleset: str | None) -> None:
        self.call = call
        self.ask = ask
        self.ruleset = ruleset

    def unit(self, product: Record) -> pricing.Price:
        if self.ruleset is not None:
            product = {**product, "price_ruleset_id": self.ruleset}
        if isinstance(self.ask, tuple):
            return pricing.product_price(self.call.store.catalog, product, *self.ask)
        return _by_length(product, self.ask)

    def product(self, product: Record, extra: Record) -> Record:
        price = self.unit(product)
        ruleset = self.ruleset or product.get("price_ruleset_id")
        return self._record(product["id"], extra, price, price.original_each, ruleset, product)

    def bundle(self, bundle: Record, extra: Record) -> Record:
        total = Decimal(0)
        for bundle_item in _bundle_items(self.call.store, bundle["id"]):
            each = self.unit(self._product_of(bundle_item)).each
            total += Decimal(each) * bundle_item["quantity"] * _kept(bundle_item)
        length = self.ask if isinstance(self.ask, int) else _seconds(*self.ask)
        price = pricing.Price(length, pricing.label(length), 0, pricing.cents(total), None)
        return self._record(bundle["id"], extra, price, None, None, bundle)

    def bundle_item(self, bundle_item: Record, extra: Record, ignore_discount: bool) -> Record:
        product = self._product_of(bundle_item)
        price = self.unit(product)
        if not ignore_discount:
            price = replace(price, each=pricing.cents(price.each * _kept(bundle_item)))
        ruleset = self.ruleset or product.get("price_ruleset_id")
        return self._record(product["id"], extra, price, price.original_each, ruleset, product)

    def cheapest(self, group: Record, extra: Record) -> Record:
        product = self._cheapest(group["id"])
        if product is None:
            raise not_found()
        return self.product(product, extra)

    def _product_of(self, bundle_item: Record) -> Record:
        fixed = self.call.store.find("products", bundle_item.get("product_id"))
        product = fixed or self._cheapest(bundle_item.get("product_group_id"))
        if product is None:  # the catalog checks make this unreachable; say so plainly
            raise not_found()
        return product

    def _cheapest(self, group_id: Any) -> Record | None:
        products = [p for p in self.call.store.all("products") if p["product_group_id"] == group_id]
        price: Callable[[Record], int] = lambda p: self.unit(p).each  # noqa: E731
        return min(products, key=price, default=None)

    def _record(
        self,
        item_id: str,
        extra: Record,
        price: pricing.Price,
        original_each: int | None,
        ruleset: str | None,
        item: Record,
    ) -> Record:
        if isinstance(self.ask, tuple):
            start, till = self.ask
            original = _seconds(start, till)
            period: Record = {"from": timestamp(start), "till": timestamp(till)}
        else:
            original, period, original_each = self.ask, {"from": None, "till": None}, None
        key = "|".join(
            str(v) for v in (item_id, *extra.values(), *period.values(), self.ask, ruleset)
        )
        return {
            "id": str(uuid.uuid5(_IDS, key)),
            "item_id": item_id,
            **extra,
            "bundle_item_id": extra.get("bundle_item_id"),
            **period,
            "original_charge_length": original,
            "charge_length": price.charge_length,
            "original_charge_label": pricing.label(original),
            "charge_label": price.charge_label,
            "original_price_each_in_cents": original_each,
            "price_each_in_cents": price.each,
            "price_rule_values": _whole_cents(price.rule_values),
            "price_structure_id": item.get("price_structure_id"),
            "price_ruleset_id": ruleset,
            "price_tile_id": None,
        }


def _by_length(product: Record, length: int) -> pricing.Price:
    """A price for a bare length: no dates, so no charge window and no dated rule."""
    base = int(product.get("base_price_in_cents", 0))
    if product.get("price_type") == "fixed":
        each = base if length > 0 else 0
    else:
        per = pricing.PERIOD_SECONDS.get(product.get("price_period", "day"), pricing.DAY)
        each = pricing.cents(Decimal(base) * length / per)
    return pricing.Price(length, pricing.label(length), each, each, None)


def _kept(bundle_item: Record) -> Decimal:
    return (100 - Decimal(str(bundle_item.get("discount_percentage") or 0))) / 100


def _seconds(start: datetime, till: datetime) -> int:
    return int((till - start).total_seconds())


def _whole_cents(values: Record | None) -> Record | None:
    """The 2024 docs write a rule's `price_in_cents` as an integer (2022: `"7750.0"`)."""
    if values is None:
        return None
    rules = [{**rule, "price_in_cents": pricing.cents(Decimal(rule["price_in_cents"]))}
             for rule in values.get("price", [])]  # fmt: skip
    return {**values, "price": rules}
