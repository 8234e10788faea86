"""The read-only catalog kinds of the 2024+ docs, made from the fixtures once per index.

- `price_rulesets` keep the sandbox's shape for pricing.py (`charge_adjustments`, `rules` with
  a `multiplier`) and get the DOCS-HEAD attributes they lack (`archived`, `description`);
  `price_rules` are those rules as DOCS-HEAD writes them: each charge adjustment a
  `pickup_day`/`return_day` rule, each seasonal rule a `range_of_dates` percentage rule on
  the part of the period it overlaps (multiplier 0.2 = value 20.0).
- `price_structures` with their `price_tiles` nested (flattened here, `length` computed);
  pricing does not apply them (docs/vendors/booqable.md).
- `photos` of product groups and bundles: the owner's `photo_id` (its own choice, else its
  first photo by position) and `photo_url` follow; a product shows its group's photo
  unless it names one of them.
- `clusters`: `location_ids` are the locations whose `cluster_ids` name the cluster.

It imports nothing of the adapter (catalog.py, loaded by state.py, calls it).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable.wire import timestamp

Record = dict[str, Any]
EXTRA_KINDS = ("price_rules", "price_structures", "price_tiles", "photos", "clusters")
# Seconds per tile period (a month and a year as pricing.py counts them: 30 and 365 days).
TILE_SECONDS = {
    "hours": 3600,
    "days": 86400,
    "weeks": 7 * 86400,
    "months": 30 * 86400,
    "years": 365 * 86400,
}
PHOTO_OWNERS = ("product_groups", "bundles")
NOTE_OWNERS = (
    "customers", "product_groups", "products", "stock_items", "bundles", "orders",
    "documents", "users",
)  # fmt: skip
_RULE_BLANKS = dict.fromkeys(
    (
        "value", "from", "till", "from_day", "till_day", "from_time", "till_time", "charge",
        "time", "min_duration", "max_duration",
    ),
)  # fmt: skip
# A charge adjustment as a rule: the day is left uncharged when picked up (returned) after
# midnight, which is what pricing.charge_window does.
_CHARGE_RULES = {
    "pickup_day": ("Pickup day", "starts_within"),
    "return_day": ("Return day", "stops_within"),
}


def derived_id(*parts: str) -> str:
    """pricing.derived_id's scheme (it imports the catalog, so it cannot be imported here)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "booqable:" + ":".join(parts)))


def account_employee(doc: Record) -> str:
    """The employee notes are written by: the fixtures' first authentication method's (the
    sandbox is one account), else a fixed id."""
    methods = doc.get("authentication_methods", [])
    return str(methods[0]["employee_id"]) if methods else derived_id("employees", "sandbox")


def extend(doc: Record, lists: dict[str, list[Record]]) -> None:
    """Fill the extra kinds of `lists` from `doc`, and what they imply on other kinds."""
    lists["price_rulesets"] = [
        {"archived": False, "archived_at": None, "description": None, **r}
        for r in doc.get("price_rulesets", [])
    ]
    lists["price_rules"] = [rule for r in lists["price_rulesets"] for rule in price_rules(r)]
    structures = doc.get("price_structures", [])
    lists["price_structures"] = [_structure(s) for s in structures]
    lists["price_tiles"] = [_tile(s, t) for s in structures for t in s.get("price_tiles", [])]
    lists["photos"] = _photos(doc.get("photos", []))
    lists["locations"] = [location_record(loc) for loc in lists["locations"]]
    members = [(loc["id"], loc.get("cluster_ids", [])) for loc in lists["locations"]]
    lists["clusters"] = [
        {**c, "location_ids": [ident for ident, of in members if c["id"] in of]}
        for c in doc.get("clusters", [])
    ]
    _follow_photos(lists)


def location_record(location: Record) -> Record:
    """DOCS-HEAD's location attributes the fixtures leave implicit: pickup on (`pickup_enabled`
    stored when written), no delivery (carriers are not emulated), and `main_address` made of
    the address lines (`country_id` derived from the country's name)."""
    pickup = location.get("pickup_enabled", True)
    lines = [location.get(k) for k in ("address_line_1", "address_line_2")]
    town = " ".join(v for v in (location.get("zipcode"), location.get("city")) if v)
    # The docs' `value`: address lines, "<zipcode> <city>", country (no region).
    value = "\n".join(v for v in (*lines, town, location.get("country")) if v)
    country = location.get("country")
    address = {
        "meets_validation_requirements": all(
            location.get(k) for k in ("address_line_1", "zipcode", "city", "country")
        ),
        "first_name": None,
        "last_name": None,
        "address1": lines[0],
        "address2": lines[1],
        "city": location.get("city"),
        "region": location.get("region"),
        "zipcode": location.get("zipcode"),
        "country": country,
        "country_id": derived_id("countries", country) if country else None,
        "province_id": None,
        "latitude": None,
        "longitude": None,
        "value": value or None,
    }
    return {
        **location,
        "pickup_enabled": pickup,
        "delivery_enabled": False,
        "fulfillment_capabilities": ["pickup"] if pickup else [],
        "main_address": address,
    }


def price_rules(ruleset: Record) -> list[Record]:
    made = {"created_at": ruleset.get("created_at"), "updated_at": ruleset.get("updated_at")}
    found = []
    for adjustment in ruleset.get("charge_adjustments", []):
        name, strategy = _CHARGE_RULES[adjustment]
        found.append(
            {
                "id": derived_id("price_rules", ruleset["id"], adjustment),
                **made,
                "name": name,
                "rule_type": adjustment,
                "match_strategy": strategy,
                "adjustment_strategy": "charge",
                **_RULE_BLANKS,
                "charge": False,
                "stacked": False,
                "time": "00:00",
                "price_ruleset_id": ruleset["id"],
            }
        )
    for i, rule in enumerate(ruleset.get("rules", [])):
        found.append(
            {
                "id": rule.get("id") or derived_id("price_rules", ruleset["id"], str(i)),
                **made,
                **{k: rule[k] for k in ("created_at", "updated_at") if k in rule},
                "name": rule["name"],
                "rule_type": "range_of_dates",
                "match_strategy": rule.get("match", "overlap"),
                "adjustment_strategy": "percentage",
                **_RULE_BLANKS,
                "value": float(Decimal(rule["multiplier"]) * 100),
                "from": timestamp(parse_instant(rule["from"])),
                "till": timestamp(parse_instant(rule["till"])),
                "stacked": rule.get("stacked", False),
                "price_ruleset_id": ruleset["id"],
            }
        )
    return found


def _structure(fixture: Record) -> Record:
    return {
        "archived": False,
        "archived_at": None,
        "price_structure_type": "reusable",
        **dict.fromkeys(("hour", "day", "week", "month", "year"), 0.0),
        "product_group_id": None,
        **{k: v for k, v in fixture.items() if k != "price_tiles"},
    }


def _tile(structure: Record, fixture: Record) -> Record:
    quantity, period = fixture["quantity"], fixture["period"]
    return {
        "id": fixture["id"],
        "created_at": fixture.get("created_at", structure.get("created_at")),
        "updated_at": fixture.get("updated_at", structure.get("updated_at")),
        "name": fixture.get("name") or _tile_name(quantity, period),
        "quantity": quantity,
        "length": quantity * TILE_SECONDS[period],
        "multiplier": float(fixture["multiplier"]),
        "period": period,
        "price_structure_id": structure["id"],
    }


def _tile_name(quantity: int, period: str) -> str:
    """`3 hours`, `1 day`: the docs' example names."""
    return f"{quantity} {period if quantity != 1 else period.removesuffix('s')}"


def _photos(fixtures: list[Record]) -> list[Record]:
    found = []
    counts: dict[str, int] = {}
    for fixture in fixtures:
        url = fixture["photo_url"]
        position = counts[fixture["owner_id"]] = counts.get(fixture["owner_id"], 0) + 1
        found.append(
            {
                "id": fixture["id"],
                "created_at": fixture.get("created_at"),
                "updated_at": fixture.get("updated_at"),
                "original_url": url,
                "large_url": url,  # one size: the sandbox stores no image
                "xlarge_url": url,
                "coordinates": fixture.get("coordinates", {"x": "0.00", "y": "0.00"}),
                "alt_text": fixture.get("alt_text"),
                "preview": None,
                "position": fixture.get("position", position),
                "width": None,
                "height": None,
                "photo": {"url": url},
                "owner_id": fixture["owner_id"],
                "owner_type": fixture["owner_type"],
            }
        )
    return found


def _follow_photos(lists: dict[str, list[Record]]) -> None:
    """The owners' `photo_id` and `photo_url` from their photos (none: left as they are)."""
    if not lists["photos"]:
        return
    by_id = {p["id"]: p for p in lists["photos"]}
    main: dict[str, Record] = {}
    for first in sorted(lists["photos"], key=lambda p: p["position"]):
        main.setdefault(first["owner_id"], first)
    chosen: dict[str, Record | None] = {}
    for kind in PHOTO_OWNERS:
        for owner in lists[kind]:
            photo = by_id.get(owner.get("photo_id") or "") or main.get(owner["id"])
            chosen[owner["id"]] = photo
            _show(owner, photo)
    for product in lists["products"]:
        own = by_id.get(product.get("photo_id") or "")
        _show(product, own or chosen.get(product["product_group_id"]))


def _show(owner: Record, photo: Record | None) -> None:
    if photo is not None:
        owner["photo_id"] = photo["id"]
        owner["photo_url"] = photo["original_url"]
