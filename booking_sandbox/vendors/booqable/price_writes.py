"""Price rulesets and price rules: create, update, archive / delete (DOCS-HEAD
`_price_rulesets.md`, `_price_rules.md`), in the namespace's catalog document.

Rules are stored in the shape pricing.py reads (price_rule_shape.py), so a written rule
changes the price of every line priced after it: new bookings, new lines, item prices, and an
existing line when it is priced again (its order's period changes, or the line is refreshed);
lines priced before keep their price. A rule pricing cannot honour is refused (422).

Choices where the docs are silent (docs/vendors/booqable.md):
- Ruleset names are unique among live rulesets (422 `taken`) unless `make_name_unique`,
  which appends ` (1)`, ` (2)`... DELETE archives the ruleset: it stays listed, and an
  archived ruleset prices nothing from then on (its groups keep naming it).
- `price_rules_attributes` entries create a rule (no `id`), update one of the ruleset's (with
  its `id`; another id is 422 `price_rules must exist`) or remove it (`_destroy: true`).
- A rule's `rule_type` cannot move between a charge rule and a dated rule (422 `immutable`);
  `price_ruleset_id` is `readonly-after-create` (400 when another value is sent).
- DELETE of a price rule removes it (the docs title it "archive", but a rule has no
  `archived`): 200 with the rule as it stood.
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.responses import Response

from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable import catalog_writes as cw
from booking_sandbox.vendors.booqable import price_rule_shape as shape
from booking_sandbox.vendors.booqable.catalog_extras import price_rules
from booking_sandbox.vendors.booqable.errors import (
    not_found,
    unwritable_attribute,
)
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import check_includes, document
from booking_sandbox.vendors.booqable.price_resources import PRICE_RULES, PRICE_RULESETS
from booking_sandbox.vendors.booqable.request_body import attributes_of, cast_entries
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, respond, timestamp

Record = dict[str, Any]
WRITABLE = {
    "name": "string",
    "description": "string?",
    "make_name_unique": "boolean",
    "price_rules_attributes": "array",
}
_NESTED = {**shape.WRITABLE, "id": "uuid", "_destroy": "boolean"}
# A nested rule belongs to the ruleset it is sent with: naming one is unknown there.
_ENTRY = {k: v for k, v in _NESTED.items() if k != "price_ruleset_id"}


# ----- rulesets ----------------------------------------------------------------------------


async def create_ruleset(call: Call) -> Response:
    check_includes(PRICE_RULESETS, call.query.include)
    values = attributes_of(call, "price_rulesets", WRITABLE)
    nested = cast_entries(
        values.pop("price_rules_attributes", []), "price_rules_attributes", _ENTRY
    )
    doc = cw.document(call.store)
    rulesets: list[Record] = doc.setdefault("price_rulesets", [])
    now = timestamp(call.now)
    ruleset: Record = {
        "id": call.space.ids.uuid4(),
        "created_at": now,
        "updated_at": now,
        "name": values.get("name", ""),
        "description": values.get("description"),
        "archived": False,
        "archived_at": None,
        "charge_adjustments": [],
        "rules": [],
    }
    problems = _name(ruleset, rulesets, values.pop("make_name_unique", False))
    problems += _apply_nested(call, ruleset, nested)
    cw.raise_problems(problems)
    rulesets.append(ruleset)
    cw.commit(call.store)
    return _answer(call, PRICE_RULESETS, ruleset["id"], 201)


async def update_ruleset(call: Call) -> Response:
    doc = cw.document(call.store)
    current = _ruleset(doc, call.path_id)
    check_includes(PRICE_RULESETS, call.query.include)
    values = attributes_of(call, "price_rulesets", WRITABLE)
    nested = cast_entries(
        values.pop("price_rules_attributes", []), "price_rules_attributes", _ENTRY
    )
    ruleset = copy.deepcopy(current)
    unique = values.pop("make_name_unique", False)
    ruleset.update(values)
    problems = _name(ruleset, doc["price_rulesets"], unique) if "name" in values else []
    problems += _apply_nested(call, ruleset, nested)
    cw.raise_problems(problems)
    ruleset["updated_at"] = timestamp(call.now)
    current.clear()
    current.update(ruleset)
    cw.commit(call.store)
    return _answer(call, PRICE_RULESETS, current["id"])


async def archive_ruleset(call: Call) -> Response:
    current = _ruleset(cw.document(call.store), call.path_id)
    check_includes(PRICE_RULESETS, call.query.include)
    if not current.get("archived"):  # archiving twice keeps the first moment
        now = timestamp(call.now)
        current.update(archived=True, archived_at=now, updated_at=now)
        cw.commit(call.store)
    return _answer(call, PRICE_RULESETS, current["id"], 200, PLAIN_JSON)


# ----- rules -------------------------------------------------------------------------------


async def create_rule(call: Call) -> Response:
    check_includes(PRICE_RULES, call.query.include)
    values = attributes_of(call, "price_rules", shape.WRITABLE)
    doc = cw.document(call.store)
    owner = next(
        (r for r in doc.get("price_rulesets", []) if r["id"] == values.get("price_ruleset_id")),
        None,
    )
    if owner is None:
        raise cw.refuse(("price_ruleset_id", *cw.MISSING))
    ruleset = copy.deepcopy(owner)
    ident, problems = _put_rule(call, ruleset, None, values)
    cw.raise_problems(problems)
    owner.clear()
    owner.update(ruleset)
    cw.commit(call.store)
    return _answer(call, PRICE_RULES, ident, 201)


async def update_rule(call: Call) -> Response:
    current = _rule(call)
    owner = _ruleset(cw.document(call.store), current["price_ruleset_id"])
    check_includes(PRICE_RULES, call.query.include)
    values = attributes_of(call, "price_rules", {**shape.WRITABLE, "id": "uuid"})
    # The docs' second example repeats the id among the attributes: only the path's.
    if values.pop("id", current["id"]) != current["id"]:
        raise unwritable_attribute("data.attributes.id")
    if values.pop("price_ruleset_id", owner["id"]) != owner["id"]:
        raise unwritable_attribute("data.attributes.price_ruleset_id")
    ruleset = copy.deepcopy(owner)
    ident, problems = _put_rule(call, ruleset, current, values)
    cw.raise_problems(problems)
    owner.clear()
    owner.update(ruleset)
    cw.commit(call.store)
    return _answer(call, PRICE_RULES, ident)


async def delete_rule(call: Call) -> Response:
    current = _rule(call)
    owner = _ruleset(cw.document(call.store), current["price_ruleset_id"])
    check_includes(PRICE_RULES, call.query.include)
    body = document(call.store, PRICE_RULES, current, call.query)
    _remove(owner, current)
    owner["updated_at"] = timestamp(call.now)
    cw.commit(call.store)
    return respond(body, 200, PLAIN_JSON)


# ----- shared ------------------------------------------------------------------------------


def _put_rule(
    call: Call, ruleset: Record, current: Record | None, values: Record
) -> tuple[str, list[cw.Problem]]:
    """Store `values` over `current` (None: a new rule) in `ruleset` (a copy): the rule's id
    and the problems that refuse it."""
    merged = {**_as_written(current or {}), **values}
    merged.pop("price_ruleset_id", None)
    moved = current is not None and current["rule_type"] != merged.get("rule_type")
    if moved and (shape.is_charge(current or {}) or shape.is_charge(merged)):
        return "", [("rule_type", "can't be changed", "immutable")]
    problems = shape.problems(merged)
    if problems:
        return "", problems
    shape.with_ids(ruleset)
    index = _remove(ruleset, current) if current is not None else None
    now = timestamp(call.now)
    if shape.is_charge(merged):
        kind = merged["rule_type"]
        adjustments = ruleset.setdefault("charge_adjustments", [])
        if kind in adjustments:
            return "", [("rule_type", *cw.TAKEN)]
        adjustments.append(kind)
        return shape.charge_rule_id(ruleset["id"], kind), []
    ident = current["id"] if current is not None else call.space.ids.uuid4()
    created = current["created_at"] if current is not None else now
    stored = shape.seasonal(merged, ident, created, now)
    rules = ruleset.setdefault("rules", [])
    rules.insert(len(rules) if index is None else index, stored)
    return ident, []


def _remove(ruleset: Record, rule: Record) -> int | None:
    """Take the rule out of the ruleset's document; a dated rule's place, for its update."""
    if shape.is_charge(rule):
        ruleset["charge_adjustments"] = [
            kind for kind in ruleset.get("charge_adjustments", []) if kind != rule["rule_type"]
        ]
        return None
    shape.with_ids(ruleset)
    rules = ruleset.get("rules", [])
    index = next(i for i, r in enumerate(rules) if r["id"] == rule["id"])
    del rules[index]
    return index


def _as_written(rule: Record) -> Record:
    """A wire rule as a write gives it (datetimes parsed)."""
    found = {k: v for k, v in rule.items() if k in shape.WRITABLE}
    for name in ("from", "till"):
        if isinstance(found.get(name), str):
            found[name] = parse_instant(found[name])
    return found


def _apply_nested(call: Call, ruleset: Record, nested: list[Record]) -> list[cw.Problem]:
    problems: list[cw.Problem] = []
    for values in nested:
        ident = values.pop("id", None)
        current = None
        if ident is not None:
            current = next((r for r in price_rules(ruleset) if r["id"] == ident), None)
            if current is None:
                problems.append(("price_rules", *cw.MISSING))
                continue
        if values.pop("_destroy", False):
            if current is not None:
                _remove(ruleset, current)
            continue
        _, found = _put_rule(call, ruleset, current, values)
        problems += [(f"price_rules.{name}", message, code) for name, message, code in found]
    return problems


def _name(ruleset: Record, rulesets: list[Record], unique: bool) -> list[cw.Problem]:
    wanted = (ruleset.get("name") or "").strip()
    if not wanted:
        return [("name", *cw.BLANK)]
    taken = {r["name"] for r in rulesets if r["id"] != ruleset["id"] and not r.get("archived")}
    if wanted not in taken:
        return []
    if not unique:
        return [("name", *cw.TAKEN)]
    n = 1
    while f"{wanted} ({n})" in taken:
        n += 1
    ruleset["name"] = f"{wanted} ({n})"
    return []


def _ruleset(doc: Record, ident: Any) -> Record:
    found: Record | None = next(
        (r for r in doc.get("price_rulesets", []) if r["id"] == ident), None
    )
    if found is None:
        raise not_found()
    return found


def _rule(call: Call) -> Record:
    found = call.store.find("price_rules", call.path_id)
    if found is None:
        raise not_found()
    return found


def _answer(
    call: Call, resource: Any, ident: str, status: int = 200, content_type: str | None = None
) -> Response:
    record = call.store.find(resource.type, ident)
    assert record is not None
    body = document(call.store, resource, record, call.query)
    return respond(body, status) if content_type is None else respond(body, status, content_type)
