"""Line prices and order totals, as the vendor's own example numbers imply (reference §4.1, §4.15).

- A line is charged over its charge window: the order's period, or, when the product group has
  a price ruleset with "Pickup day"/"Return day" adjustments, the whole days strictly between
  pickup and return (1980-04-01T12:00 .. 05-01T12:00 -> 04-02T00:00 .. 05-01T00:00, "29 days").
- `original_price_each = base_price * charge_length / price_period` (a `fixed` price type is
  charged once); each price rule adds `original * multiplier * overlap / charge_length`.
- Order: discount on discountable lines, tax per tax category on the discounted amounts, the
  deposit a percentage of the items' own deposits (`percentage`), of the total
  (`percentage_total`), or a fixed amount; `to_be_paid = total with tax + deposit - paid`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
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
        overlap = _overlap(start, stop, parse_instant(rule["from"]), parse_instant(rule["till"]))
        if overlap <= 0:
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


def _overlap(start: datetime, stop: datetime, rule_from: datetime, rule_till: datetime) -> int:
    return max(0, int((min(stop, rule_till) - max(start, rule_from)).total_seconds()))


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


def order_totals(catalog: BooqableCatalog, order: Order, lines: list[Line]) -> OrderPatch:
    """The order's money attributes from its top-level lines."""
    top = [line for line in lines if line.get("parent_line_id") is None]
    price = sum(line["price_in_cents"] for line in top)
    percentage = Decimal(str(order.get("discount_percentage") or 0))
    discountable = sum(line["price_in_cents"] for line in top if line.get("discountable"))
    discount = cents(Decimal(discountable) * percentage / 100)
    grand_total = price - discount
    taxed: dict[str, Decimal] = {}
    for line in top:
        category = line.get("tax_category_id")
        if line.get("taxable") and category:
            factor = (100 - percentage) / 100 if line.get("discountable") else Decimal(1)
            taxed[category] = taxed.get(category, Decimal(0)) + line["price_in_cents"] * factor
    tax = 0
    for category, amount in taxed.items():
        rate = Decimal(str((catalog.get("tax_categories", category) or {}).get("tax_rate", 0)))
        tax += cents(amount * rate / 100)
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
        "coupon_discount_in_cents": 0,
        "total_discount_in_cents": discount,
        "deposit_in_cents": deposit,
        "to_be_paid_in_cents": to_be_paid,
        "payment_status": "payment_due" if to_be_paid > 0 else "paid",
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
