"""Price rulesets, price rules, price structures and price tiles (DOCS-HEAD `_price_rulesets.md`,
`_price_rules.md`, `_price_structures.md`, `_price_tiles.md`), from the fixtures
(catalog_extras.py makes the records); rulesets and rules are written by price_writes.py.

What is served, and what the docs have beyond it (docs/vendors/booqable.md):
- `GET /price_rulesets` and `/price_rulesets/{id}` (`include=price_rules`); price rules are
  read through their ruleset only: the docs document no `GET /price_rules`.
- `GET /price_structures`, `/price_structures/{id}` (`include=price_tiles`), `GET
  /price_tiles`, `/price_tiles/{id}` (`include=price_structure`).
- Rulesets and rules are written by price_writes.py (pricing.py applies them); the writes of
  structures and tiles by structure_writes.py: they are data only (pricing.py charges
  `base_price_in_cents` per `price_period`, never a structure's tiles).
"""

from __future__ import annotations

from booking_sandbox.vendors.booqable.jsonapi import Resource, many, one, register

_TIME = "datetime"
_STAMPS = {"id": "uuid", "created_at": _TIME, "updated_at": _TIME}
# Attributes in the wire order of the docs' examples.
_RULESET = ("created_at", "updated_at", "archived", "archived_at", "name", "description")
_RULE = (
    "created_at", "updated_at", "name", "rule_type", "match_strategy", "adjustment_strategy",
    "value", "from", "till", "from_day", "till_day", "from_time", "till_time", "charge",
    "stacked", "time", "min_duration", "max_duration", "price_ruleset_id",
)  # fmt: skip
_STRUCTURE = (
    "created_at", "updated_at", "archived", "archived_at", "name", "price_structure_type",
    "hour", "day", "week", "month", "year", "product_group_id",
)  # fmt: skip
_TILE = (
    "created_at", "updated_at", "name", "quantity", "length", "multiplier", "period",
    "price_structure_id",
)  # fmt: skip

PRICE_RULESETS = Resource(
    "price_rulesets",
    _RULESET,
    (many("price_rules", "price_rules", "price_ruleset_id"),),
    {**_STAMPS, "archived": "boolean", "archived_at": _TIME, "name": "string"},
)

PRICE_RULES = Resource(
    "price_rules", _RULE, (one("price_ruleset", "price_rulesets", "price_ruleset_id"),)
)

PRICE_STRUCTURES = Resource(
    "price_structures",
    _STRUCTURE,
    (
        many("price_tiles", "price_tiles", "price_structure_id"),
        one("product_group", "product_groups", "product_group_id"),
    ),
    {
        **_STAMPS,
        "archived": "boolean",
        "name": "string",
        "price_structure_type": "enum",
        "product_group_id": "uuid",
    },
)

PRICE_TILES = Resource(
    "price_tiles",
    _TILE,
    (one("price_structure", "price_structures", "price_structure_id"),),
    {**_STAMPS, "price_structure_id": "uuid"},
)

register(PRICE_RULESETS, PRICE_RULES, PRICE_STRUCTURES, PRICE_TILES)
SERVED = (PRICE_RULESETS, PRICE_STRUCTURES, PRICE_TILES)  # list and show
