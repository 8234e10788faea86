"""Written price rules in the shape pricing.py reads (a ruleset's `charge_adjustments` and
seasonal `rules`), or a 422 saying pricing cannot honour them: a stored rule always changes
prices (docs/vendors/booqable.md).

What pricing honours, and so what a write may say:
- `range_of_dates` with `adjustment_strategy` `percentage`, a `value`, `from` before `till`
  and `match_strategy` `overlap`, `span` or `within` (pricing.py: the rule adds `value`% of
  the price for the overlapping part; `span` only when the rule's period holds the whole
  charge window, `within` only when the window holds the rule's period);
- `pickup_day` (`starts_within`) and `return_day` (`stops_within`) with `charge: false` and
  `time: "00:00"` (the day is left uncharged when picked up / returned after midnight): one
  of each per ruleset, stored as a charge adjustment, named `Pickup day` / `Return day`.
Anything else (`range_of_days`, `exclude_week_days`, `exclude_date_range`, a charged pickup
day, another time, `min_duration`/`max_duration`) is a 422 `unsupported` on the attribute.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from booking_sandbox.vendors.booqable import catalog_writes as cw
from booking_sandbox.vendors.booqable.catalog_extras import derived_id
from booking_sandbox.vendors.booqable.wire import timestamp

Record = dict[str, Any]
RULE_TYPES = (
    "range_of_days", "range_of_dates", "exclude_date_range", "exclude_week_days", "pickup_day",
    "return_day",
)  # fmt: skip
MATCHES = ("starts_within", "stops_within", "overlap", "span", "within")
ADJUSTMENTS = ("percentage", "charge")
CHARGE_MATCH = {"pickup_day": "starts_within", "return_day": "stops_within"}
SEASONAL_MATCHES = ("overlap", "span", "within")
UNSUPPORTED = ("is not supported by the sandbox's pricing", "unsupported")
# DOCS-HEAD request body of price rules (and of `price_rules_attributes` entries).
WRITABLE = {
    "adjustment_strategy": "enum?",
    "charge": "boolean?",
    "from": "datetime?",
    "from_day": "integer?",
    "from_time": "string?",
    "match_strategy": "enum?",
    "max_duration": "integer?",
    "min_duration": "integer?",
    "name": "string",
    "price_ruleset_id": "uuid",
    "rule_type": "enum",
    "stacked": "boolean",
    "till": "datetime?",
    "till_day": "integer?",
    "till_time": "string?",
    "time": "string?",
    "value": "float?",
}
_DAYS = ("from_day", "till_day", "from_time", "till_time")


def problems(rule: Record) -> list[cw.Problem]:
    """Why `rule` (wire attributes, datetimes as `datetime`) cannot be stored."""
    found: list[cw.Problem] = []
    found += cw.check(bool((rule.get("name") or "").strip()), ("name", *cw.BLANK))
    kind = rule.get("rule_type")
    if kind is None:
        return [*found, ("rule_type", *cw.BLANK)]
    if kind not in RULE_TYPES:
        return [*found, ("rule_type", *cw.NOT_LISTED)]
    for name, allowed in (("match_strategy", MATCHES), ("adjustment_strategy", ADJUSTMENTS)):
        if rule.get(name) is not None and rule[name] not in allowed:
            found.append((name, *cw.NOT_LISTED))
    if found:
        return found
    if kind in CHARGE_MATCH:
        found += _charge_problems(rule, kind)
    elif kind == "range_of_dates":
        found += _seasonal_problems(rule)
    else:
        found.append(("rule_type", *UNSUPPORTED))
    found += [(name, *UNSUPPORTED) for name in ("min_duration", "max_duration") if rule.get(name)]
    return found


def _charge_problems(rule: Record, kind: str) -> list[cw.Problem]:
    found: list[cw.Problem] = []
    match = rule.get("match_strategy") or CHARGE_MATCH[kind]
    found += cw.check(match == CHARGE_MATCH[kind], ("match_strategy", *cw.NOT_LISTED))
    strategy = rule.get("adjustment_strategy") or "charge"
    found += cw.check(strategy == "charge", ("adjustment_strategy", *cw.NOT_LISTED))
    found += cw.check(not rule.get("charge"), ("charge", *UNSUPPORTED))
    found += cw.check(rule.get("time") in (None, "00:00"), ("time", *UNSUPPORTED))
    found += [(n, *UNSUPPORTED) for n in ("value", "from", "till", *_DAYS) if rule.get(n)]
    return found


def _seasonal_problems(rule: Record) -> list[cw.Problem]:
    found: list[cw.Problem] = []
    match = rule.get("match_strategy")
    found += cw.check(match is not None, ("match_strategy", *cw.BLANK))
    if match is not None and match not in SEASONAL_MATCHES:
        found.append(("match_strategy", *cw.NOT_LISTED))
    strategy = rule.get("adjustment_strategy") or "percentage"
    found += cw.check(strategy == "percentage", ("adjustment_strategy", *cw.NOT_LISTED))
    for name in ("value", "from", "till"):
        found += cw.check(rule.get(name) is not None, (name, *cw.BLANK))
    if rule.get("from") is not None and rule.get("till") is not None:
        found += cw.check(rule["till"] > rule["from"], ("till", "must be after from", "after"))
    found += [(n, *UNSUPPORTED) for n in ("charge", "time", *_DAYS) if rule.get(n) is not None]
    return found


def is_charge(rule: Record) -> bool:
    return rule.get("rule_type") in CHARGE_MATCH


def charge_rule_id(ruleset_id: str, kind: str) -> str:
    """catalog_extras.price_rules' id of a charge adjustment."""
    return derived_id("price_rules", ruleset_id, kind)


def seasonal(rule: Record, ident: str, created: str, updated: str) -> Record:
    """The fixtures' seasonal rule for a checked `range_of_dates` rule."""
    multiplier = Decimal(str(rule["value"])) / 100
    return {
        "id": ident,
        "created_at": created,
        "updated_at": updated,
        "name": rule["name"],
        "from": timestamp(rule["from"]),
        "till": timestamp(rule["till"]),
        "multiplier": format(multiplier.normalize(), "f"),
        "stacked": bool(rule.get("stacked", False)),
        "match": rule.get("match_strategy") or "overlap",
    }


def with_ids(ruleset: Record) -> None:
    """Give the ruleset's seasonal rules their ids for good (by default they are derived from
    their place, which a removal would shift)."""
    for i, rule in enumerate(ruleset.get("rules", [])):
        rule.setdefault("id", derived_id("price_rules", ruleset["id"], str(i)))
