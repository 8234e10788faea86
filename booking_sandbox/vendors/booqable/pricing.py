"""Line prices and order totals, as the vendor's own example numbers imply (reference §4.1, §4.15).

- A line is charged over its charge window: the order's period, or, when the product group has
  a price ruleset with "Pickup day"/"Return day" adjustments, the whole days strictly between
  pickup and return (1980-04-01T12:00 .. 05-01T12:00 -> 04-02T00:00 .. 05-01T00:00, "29 days").
- `original_price_each = base_price * charge_length / price_period` (a `fixed` price type is
  charged once); each price rule adds `original * multiplier * overlap / charge_length`
  (a rule matching by `span` or `within` only when its period holds, or lies in, the charge
  window: price_rule_shape.py); an archived ruleset prices nothing.
- Order: discount on discountable lines, then the coupon's on what is left of them; tax per
  tax category (and tax region) on the discounted amounts; the deposit a percentage of the
  items' own deposits (`percentage`), of the total (`percentage_total`), or a fixed amount;
  `to_be_paid = total with tax + deposit - paid`. Section lines carry no money.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable.catalog import BooqableCatalog
from booking_sandbox.vendors.booqable.records import Line, Order, OrderPatch
from booking_sandbox.vendors.booqable.wire import charge_time

Record = dict[str, Any]
DAY = 86400
PERIOD_SECONDS = {"hour": 3600, "day": DAY, "week": 7 * DAY, "month": 30 * DAY}


@dataclass(frozen=True)
class Price:
    charge_length: int
    charge_label: str
    original_each: int
    each: int
    rule_values: Record | None


def cents(value: Decimal | float) -> int:
    """Rails rounds money half up (past 28 digits too: `quantize` would refuse those)."""
    return int(Decimal(str(value)).to_integral_value(rounding=ROUND_HALF_UP))


def label(seconds: int) -> str:
    if seconds % DAY == 0:
        days = seconds // DAY
        return f"{days} day" if days == 1 else f"{days} days"
    hours = -(-seconds // 3600)
    return f"{hours} hour" if hours == 1 else f"{hours} hours"


def _midnight_after(moment: datetime) -> datetime:
    day = moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day if day == moment else day + timedelta(days=1)


def _midnight_before(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def charge_window(
    starts: datetime, stops: datetime, ruleset: Record | None
) -> tuple[datetime, datetime]:
    adjustments = set(ruleset.get("charge_adjustments", [])) if ruleset else set()
    start = _midnight_after(starts) if "pickup_day" in adjustments else starts
    stop = _midnight_before(stops) if "return_day" in adjustments else stops
    return (start, stop) if stop > start else (starts, stops)


def product_price(
    catalog: BooqableCatalog, product: Record, starts: datetime | None, stops: datetime | None
) -> Price:
    """One unit of `product` over the period (no period: nothing to charge yet)."""
    base = int(product.get("base_price_in_cents", 0))
    if starts is None or stops is None or stops <= starts:
        return Price(0, "0 days", 0, 0, None)
    ruleset = catalog.get("price_rulesets", product.get("price_ruleset_id"))
    if ruleset is not None and ruleset.get("archived"):  # an archived ruleset prices nothing
        ruleset = None
    start, stop = charge_window(starts, stops, ruleset)
    length = int((stop - start).total_seconds())
    if _fixed(product):
        original = base
    else:
        per = PERIOD_SECONDS.get(product.get("price_period", "day"), DAY)
        original = cents(Decimal(base) * length / per)
    if ruleset is None:
        return Price(length, label(length), original, original, None)
    applied = []
    extra = Decimal(0)
    for rule in ruleset.get("rules", []):
        rule_from, rule_till = parse_instant(rule["from"]), parse_instant(rule["till"])
        overlap = _overlap(start, stop, rule_from, rule_till)
        matched = _matches(rule.get("match", "overlap"), start, stop, rule_from, rule_till)
        if overlap <= 0 or not matched:
            continue
        amount = Decimal(original) * Decimal(rule["multiplier"]) * overlap / length
        extra += amount
        applied.append(
            {
                "name": rule["name"],
                "charge_length": overlap,
                "multiplier": rule["multiplier"],
                "price_in_cents": repr(float(amount)),
                "stacked": rule.get("stacked", False),
            }
        )
    values = {"charge": {"from": charge_time(start), "till": charge_time(stop)}, "price": applied}
    return Price(length, label(length), original, original + cents(extra), values)


def _fixed(product: Record) -> bool:
    return product.get("price_type") == "fixed"


def _matches(
    match: str, start: datetime, stop: datetime, rule_from: datetime, rule_till: datetime
) -> bool:
    """DOCS-HEAD price rules' match strategies: `span` applies when the rule's period holds
    the whole charge window, `within` when the window holds the rule's period, `overlap`
    (the fixtures' seasonal rules) to whatever part overlaps."""
    if match == "span":
        return rule_from <= start and stop <= rule_till
    if match == "within":
        return start <= rule_from and rule_till <= stop
    return True


def _overlap(start: datetime, stop: datetime, rule_from: datetime, rule_till: datetime) -> int:
    return max(0, int((min(stop, rule_till) - max(start, rule_from)).total_seconds()))


def length_price(product: Record, length: int) -> int:
    """One unit of `product` charged for `length` seconds, without price rules (a line's
    own `charge_length`, DOCS-2024 lines; item prices' charge-length mode)."""
    base = int(product.get("base_price_in_cents", 0))
    if _fixed(product):
        return base
    per = PERIOD_SECONDS.get(product.get("price_period", "day"), DAY)
    return cents(Decimal(base) * length / per)


def bundle_length_price(choices: list[tuple[Record, Record]], length: int) -> int:
    """`bundle_each` for a charge length instead of a period."""
    total = Decimal(0)
    for bundle_item, product in choices:
        discount = Decimal(str(bundle_item.get("discount_percentage", 0)))
        total += Decimal(length_price(product, length)) * bundle_item["quantity"] * (100 - discount)
    return cents(total / 100)


def bundle_each(
    catalog: BooqableCatalog,
    choices: list[tuple[Record, Record]],
    starts: datetime | None,
    stops: datetime | None,
) -> int:
    """A bundle's price: its items' prices less each bundle item's discount."""
    total = Decimal(0)
    for bundle_item, product in choices:
        each = product_price(catalog, product, starts, stops).each
        discount = Decimal(str(bundle_item.get("discount_percentage", 0)))
        total += Decimal(each) * bundle_item["quantity"] * (100 - discount) / 100
    return cents(total)


@dataclass(frozen=True)
class TaxRate:
    """A rate an order may be taxed at: a tax category's or a tax region's (taxes.py)."""

    id: str
    name: str
    value: float  # percent


@dataclass(frozen=True)
class Taxing:
    """What an order's totals depend on besides its lines: its coupon and tax region."""

    coupon: Record | None = None
    strategy: str | None = None  # the tax region's: add_to, replace or compound
    region_rates: tuple[TaxRate, ...] = ()
    # Each tax category's live rates, by category id (a category without one is not taxed).
    category_rates: dict[str, tuple[TaxRate, ...]] = field(default_factory=dict)


def order_totals(
    catalog: BooqableCatalog, order: Order, lines: list[Line], taxing: Taxing | None = None
) -> OrderPatch:
    """The order's money attributes from its top-level lines, and its taxes per rate."""
    taxing = taxing or Taxing(category_rates=category_rates(catalog))
    top = [
        line
        for line in lines
        if line.get("parent_line_id") is None and line.get("line_type") != "section"
    ]
    price = sum(line["price_in_cents"] for line in top)
    percentage = Decimal(str(order.get("discount_percentage") or 0))
    discountable = sum(line["price_in_cents"] for line in top if line.get("discountable"))
    discount = cents(Decimal(discountable) * percentage / 100)
    coupon_discount = _coupon_discount(taxing.coupon, discountable - discount)
    total_discount = discount + coupon_discount
    grand_total = price - total_discount
    # The share of a discountable line's price left after both discounts.
    kept = (100 - percentage) / 100
    if coupon_discount and discountable - discount > 0:
        kept *= 1 - Decimal(coupon_discount) / (discountable - discount)
    taxed: dict[str, Decimal] = {}
    base = Decimal(0)  # every taxable amount: what a tax region's rates apply to
    for line in top:
        if not line.get("taxable"):
            continue
        amount = line["price_in_cents"] * (kept if line.get("discountable") else Decimal(1))
        base += amount
        category = line.get("tax_category_id")
        if category:
            taxed[category] = taxed.get(category, Decimal(0)) + amount
    values = _tax_values(taxing, taxed, base)
    tax = sum(v["value_in_cents"] for v in values)
    with_tax = grand_total + tax
    deposit = _deposit(order, top, with_tax)
    paid = int(order.get("paid_in_cents", 0))
    to_be_paid = max(0, with_tax + deposit - paid)
    return {
        "price_in_cents": price,
        "grand_total_in_cents": grand_total,
        "grand_total_with_tax_in_cents": with_tax,
        "tax_in_cents": tax,
        "discount_in_cents": discount,
        "coupon_discount_in_cents": coupon_discount,
        "total_discount_in_cents": total_discount,
        "deposit_in_cents": deposit,
        "to_be_paid_in_cents": to_be_paid,
        "payment_status": "payment_due" if to_be_paid > 0 else "paid",
        "_tax_values": values,
    }


def category_rates(catalog: BooqableCatalog) -> dict[str, tuple[TaxRate, ...]]:
    """Each tax category's live (unarchived) rates."""
    return {
        category["id"]: tuple(
            TaxRate(rate["id"], rate["name"], float(rate["value"]))
            for rate in category_rate_records(category)
            if not rate.get("archived")
        )
        for category in catalog.lists["tax_categories"]
    }


def category_rate_records(category: Record) -> list[Record]:
    """A tax category's rates as stored: its `tax_rates` once written through the API
    (tax_writes.py), else the fixtures' shorthand `tax_rate`, one rate of that percentage
    (id derived from the category's, timestamps the category's)."""
    if "tax_rates" in category:
        rates: list[Record] = category["tax_rates"]
        return rates
    if category.get("tax_rate") is None:
        return []
    return [
        {
            "id": derived_id("tax_rates", category["id"]),
            "created_at": category.get("created_at"),
            "updated_at": category.get("updated_at"),
            "archived": bool(category.get("archived")),
            "archived_at": category.get("archived_at"),
            "name": category["name"],
            "value": float(category["tax_rate"]),
            "position": 1,
        }
    ]


@lru_cache(maxsize=1024)  # a pure function, asked again on every order refresh
def derived_id(*parts: str) -> str:
    """A stable id for a record computed from others (a category's rate, an order's tax
    value): the same on every read, and no id of the namespace's sequence is spent on it."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "booqable:" + ":".join(parts)))


def _coupon_discount(coupon: Record | None, base: int) -> int:
    """`percentage`: `value` percent of the discountable amount left after the order's own
    discount; `cents`: `value` cents, at most that amount."""
    if coupon is None or base <= 0:
        return 0
    value = int(coupon.get("value") or 0)
    if coupon.get("coupon_type") == "percentage":
        return cents(Decimal(base) * value / 100)
    return max(0, min(value, base))


def _tax_values(taxing: Taxing, taxed: dict[str, Decimal], base: Decimal) -> list[Record]:
    """Tax per rate, in the order they are added (reference §4.15; tax regions, DOCS-HEAD):
    the categories' rates on their lines, unless the region `replace`s them; then the
    region's rates on every taxable amount, on the taxes before them too when `compound`."""
    found: list[Record] = []
    if taxing.strategy != "replace":
        for category, amount in taxed.items():
            for rate in taxing.category_rates.get(category, ()):
                found.append(_value(rate, cents(amount * Decimal(str(rate.value)) / 100)))
    running = base + sum(v["value_in_cents"] for v in found)
    for rate in taxing.region_rates:
        over = running if taxing.strategy == "compound" else base
        value = cents(over * Decimal(str(rate.value)) / 100)
        found.append(_value(rate, value))
        running += value
    return found


def _value(rate: TaxRate, value: int) -> Record:
    return {
        "tax_rate_id": rate.id,
        "name": rate.name,
        "percentage": rate.value,
        "value_in_cents": value,
    }


def _deposit(order: Order, lines: list[Line], with_tax: int) -> int:
    kind = order.get("deposit_type")
    value = Decimal(str(order.get("deposit_value") or 0))
    if kind == "percentage":
        items = sum(line.get("_deposit_each", 0) * line["quantity"] for line in lines)
        return cents(Decimal(items) * value / 100)
    if kind == "percentage_total":
        return cents(Decimal(with_tax) * value / 100)
    if kind == "fixed":
        return cents(value * 100)  # deposit_value is in the currency's unit
    return 0
