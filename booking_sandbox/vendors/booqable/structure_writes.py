"""Price structures and price tiles: create, update, archive / delete (DOCS-HEAD
`_price_structures.md`, `_price_tiles.md`), in the namespace's catalog document, tiles nested
in their structure as the fixtures hold them.

Structures stay data only: pricing does not apply them (item_prices refuses pricing by a
structure with a 422), so a write changes no price. Choices where the docs are silent
(docs/vendors/booqable.md):
- A structure needs a `name` (422 `blank`); a tile needs `quantity` (an integer >= 1),
  `period` (one of the documented five) and `multiplier` (>= 0); its `name` defaults to
  `<quantity> <period>` as a fixture tile's.
- `price_tiles_attributes` entries create a tile (no `id`), update one of the structure's (its
  `id`; another id is 422 `price_tiles must exist`) or remove it (`_destroy: true`).
- DELETE of a structure archives it and appends ` (Deleted)` to its name, as the docs'
  example answers; a second DELETE changes nothing. A tile's `price_structure_id` is
  `readonly-after-create` (400 when another value is sent); DELETE of a tile removes it.
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.booqable import catalog_writes as cw
from booking_sandbox.vendors.booqable.catalog_extras import TILE_SECONDS
from booking_sandbox.vendors.booqable.errors import (
    not_found,
    unwritable_attribute,
)
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import check_includes, document
from booking_sandbox.vendors.booqable.price_resources import PRICE_STRUCTURES, PRICE_TILES
from booking_sandbox.vendors.booqable.request_body import attributes_of, cast_entries
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, respond, timestamp

Record = dict[str, Any]
UNITS = ("hour", "day", "week", "month", "year")
WRITABLE = {"name": "string", **dict.fromkeys(UNITS, "float"), "price_tiles_attributes": "array"}
TILE = {"name": "string", "quantity": "integer", "period": "enum", "multiplier": "float"}
_NESTED = {**TILE, "id": "uuid", "_destroy": "boolean"}
GREATER_THAN_0 = ("must be greater than 0", "greater_than")


# ----- structures --------------------------------------------------------------------------


async def create_structure(call: Call) -> Response:
    check_includes(PRICE_STRUCTURES, call.query.include)
    values = attributes_of(call, "price_structures", WRITABLE)
    nested = cast_entries(
        values.pop("price_tiles_attributes", []), "price_tiles_attributes", _NESTED
    )
    now = timestamp(call.now)
    structure: Record = {
        "id": call.space.ids.uuid4(),
        "created_at": now,
        "updated_at": now,
        "archived": False,
        "archived_at": None,
        "name": "",
        "price_structure_type": "reusable",
        **dict.fromkeys(UNITS, 0.0),
        "product_group_id": None,
        **values,
        "price_tiles": [],
    }
    cw.raise_problems(_structure_problems(structure) + _apply_nested(call, structure, nested))
    cw.document(call.store).setdefault("price_structures", []).append(structure)
    cw.commit(call.store)
    return _answer(call, PRICE_STRUCTURES, structure["id"], 201)


async def update_structure(call: Call) -> Response:
    current = _structure(cw.document(call.store), call.path_id)
    check_includes(PRICE_STRUCTURES, call.query.include)
    values = attributes_of(call, "price_structures", WRITABLE)
    nested = cast_entries(
        values.pop("price_tiles_attributes", []), "price_tiles_attributes", _NESTED
    )
    structure = {**copy.deepcopy(current), **values, "updated_at": timestamp(call.now)}
    cw.raise_problems(_structure_problems(structure) + _apply_nested(call, structure, nested))
    current.clear()
    current.update(structure)
    cw.commit(call.store)
    return _answer(call, PRICE_STRUCTURES, current["id"])


async def archive_structure(call: Call) -> Response:
    current = _structure(cw.document(call.store), call.path_id)
    check_includes(PRICE_STRUCTURES, call.query.include)
    if not current.get("archived"):  # archiving twice keeps the first moment and name
        now = timestamp(call.now)
        name = f"{current['name']} (Deleted)"
        current.update(archived=True, archived_at=now, updated_at=now, name=name)
        cw.commit(call.store)
    return _answer(call, PRICE_STRUCTURES, current["id"], 200, PLAIN_JSON)


# ----- tiles -------------------------------------------------------------------------------


async def create_tile(call: Call) -> Response:
    check_includes(PRICE_TILES, call.query.include)
    values = attributes_of(call, "price_tiles", {**TILE, "price_structure_id": "uuid"})
    owner_id = values.pop("price_structure_id", None)
    owner = next(
        (s for s in cw.document(call.store).get("price_structures", []) if s["id"] == owner_id),
        None,
    )
    if owner is None:
        raise cw.refuse(("price_structure_id", *cw.MISSING))
    ident = call.space.ids.uuid4()
    cw.raise_problems(_put_tile(call, owner, None, values, ident))
    cw.commit(call.store)
    return _answer(call, PRICE_TILES, ident, 201)


async def update_tile(call: Call) -> Response:
    owner, current = _tile(call)
    check_includes(PRICE_TILES, call.query.include)
    values = attributes_of(call, "price_tiles", {**TILE, "price_structure_id": "uuid"})
    if values.pop("price_structure_id", owner["id"]) != owner["id"]:
        raise unwritable_attribute("data.attributes.price_structure_id")
    cw.raise_problems(_put_tile(call, owner, current, values, current["id"]))
    cw.commit(call.store)
    return _answer(call, PRICE_TILES, current["id"])


async def delete_tile(call: Call) -> Response:
    owner, current = _tile(call)
    check_includes(PRICE_TILES, call.query.include)
    shown = call.store.find("price_tiles", current["id"])
    assert shown is not None
    body = document(call.store, PRICE_TILES, shown, call.query)
    owner["price_tiles"] = [t for t in owner["price_tiles"] if t is not current]
    owner["updated_at"] = timestamp(call.now)
    cw.commit(call.store)
    return respond(body, 200, PLAIN_JSON)


# ----- shared ------------------------------------------------------------------------------


def _put_tile(
    call: Call, structure: Record, current: Record | None, values: Record, ident: str
) -> list[cw.Problem]:
    """Store `values` over `current` (None: a new tile) in `structure`, unless refused."""
    now = timestamp(call.now)
    tile: Record = {"id": ident, "created_at": now, **(current or {}), **values}
    tile["updated_at"] = now
    problems = _tile_problems(tile)
    if problems:
        return problems
    tiles = structure.setdefault("price_tiles", [])
    if current is None:
        tiles.append(tile)
    else:
        tiles[next(i for i, t in enumerate(tiles) if t["id"] == ident)] = tile
    return []


def _tile_problems(tile: Record) -> list[cw.Problem]:
    problems: list[cw.Problem] = []
    quantity, period = tile.get("quantity"), tile.get("period")
    if quantity is None:
        problems.append(("quantity", *cw.BLANK))
    elif quantity < 1:
        problems.append(("quantity", *GREATER_THAN_0))
    if period is None:
        problems.append(("period", *cw.BLANK))
    elif period not in TILE_SECONDS:
        problems.append(("period", *cw.NOT_LISTED))
    if tile.get("multiplier") is None:
        problems.append(("multiplier", *cw.BLANK))
    problems += cw.at_least_0(tile, "multiplier")
    if "name" in tile and not (tile["name"] or "").strip():
        problems.append(("name", *cw.BLANK))
    return problems


def _structure_problems(structure: Record) -> list[cw.Problem]:
    problems = cw.check(bool(structure["name"].strip()), ("name", *cw.BLANK))
    return problems + cw.at_least_0(structure, *UNITS)


def _apply_nested(call: Call, structure: Record, nested: list[Record]) -> list[cw.Problem]:
    problems: list[cw.Problem] = []
    for values in nested:
        ident = values.pop("id", None)
        tiles = structure.setdefault("price_tiles", [])
        current = next((t for t in tiles if t["id"] == ident), None)
        if ident is not None and current is None:
            problems.append(("price_tiles", *cw.MISSING))
            continue
        if values.pop("_destroy", False):
            structure["price_tiles"] = [t for t in tiles if t is not current]
            continue
        found = _put_tile(call, structure, current, values, ident or call.space.ids.uuid4())
        problems += [(f"price_tiles.{name}", message, code) for name, message, code in found]
    return problems


def _structure(doc: Record, ident: Any) -> Record:
    found: Record | None = next(
        (s for s in doc.get("price_structures", []) if s["id"] == ident), None
    )
    if found is None:
        raise not_found()
    return found


def _tile(call: Call) -> tuple[Record, Record]:
    """(structure, tile) of the document for the path's tile id."""
    for structure in cw.document(call.store).get("price_structures", []):
        for tile in structure.get("price_tiles", []):
            if tile["id"] == call.path_id:
                return structure, tile
    raise not_found()


def _answer(
    call: Call, resource: Any, ident: str, status: int = 200, content_type: str | None = None
) -> Response:
    record = call.store.find(resource.type, ident)
    assert record is not None
    body = document(call.store, resource, record, call.query)
    return respond(body, status) if content_type is None else respond(body, status, content_type)
