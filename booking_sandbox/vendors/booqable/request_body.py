"""Reading a JSON:API request document the way Graphiti's request validator does.

`attributes_of(call, kind, writable)` checks `data` (present, an object, `type` equal to the
endpoint's, `id` equal to the path's when both are given) and casts each attribute:

- `writable` maps every attribute the endpoint accepts to its type: `string`, `enum` (a
  string), `uuid`, `integer`, `float`, `boolean`, `datetime`, `array`, `array_of_strings`
  or `hash`; a `?` suffix (`"uuid?"`) makes it nullable. Write-only attributes
  (`confirm_shortage`, `properties_attributes`) belong in `writable` although the resource
  never shows them.
- A name the resource shows but `writable` lacks is read-only: `unwritable_attribute`. Any
  other name is `unknown_attribute`. A value that does not cast is `type_error`.
- Every problem of the document is reported at once, one error entry each, in request order,
  as a 400 `bad_request` (application/json), as Graphiti's `InvalidRequest` does.

Casting takes JSON types strictly, stricter than Graphiti's coercing write types (which take
`"10"` for 10): a value of another JSON type is a `type_error`, as the OpenAPI description
promises. Integral floats (`3.0`) are integers, and uuids are lower-cased. Datetimes are
ISO 8601 strings and come back as aware `datetime`s in UTC; the rest as its JSON value.
Top-level members other than `data` (`include`, `fields`, the Ruby gem's leaked `headers`)
are not read here. `data.relationships` must be an object and is otherwise ignored (no
sideposting).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable.errors import (
    BooqableError,
    bad_request,
    type_error,
    unknown_attribute,
    unwritable_attribute,
)
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import REGISTRY
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class _Uncastable(ValueError):
    """The value is not of the attribute's type."""


def _string(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise _Uncastable


def _uuid(value: Any) -> str:
    if isinstance(value, str) and _UUID.match(value.lower()):
        return value.lower()
    raise _Uncastable


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise _Uncastable
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise _Uncastable


def _float(value: Any) -> float:
    if isinstance(value, bool):
        raise _Uncastable
    if isinstance(value, int | float):
        try:
            found = float(value)
        except OverflowError:  # an integer past float range
            raise _Uncastable from None
        if math.isfinite(found):
            return found
    raise _Uncastable


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise _Uncastable


def _datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise _Uncastable
    try:
        return parse_instant(value)
    except ValueError:
        raise _Uncastable from None


def _strings(value: Any) -> list[str]:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    raise _Uncastable


def _kind_of(python_type: type) -> Callable[[Any], Any]:
    def cast(value: Any) -> Any:
        if isinstance(value, python_type):
            return value
        raise _Uncastable

    return cast


CASTS: dict[str, Callable[[Any], Any]] = {
    "string": _string,
    "enum": _string,
    "uuid": _uuid,
    "integer": _integer,
    "float": _float,
    "boolean": _boolean,
    "datetime": _datetime,
    "array": _kind_of(list),
    "array_of_strings": _strings,  # Graphiti's name for it, as its type errors say
    "hash": _kind_of(dict),
}


def cast(kind: str, value: Any) -> Any:
    """`value` as `kind` (see the module doc); raises ValueError when it does not cast."""
    base, nullable = kind.removesuffix("?"), kind.endswith("?")
    if base not in CASTS:
        raise KeyError(f"unknown attribute type {kind!r}")
    if value is None:
        if nullable:
            return None
        raise _Uncastable
    return CASTS[base](value)


def attributes_of(call: Call, kind: str, writable: Mapping[str, str]) -> dict[str, Any]:
    """The cast `data.attributes` of the request, or a 400 naming every problem."""
    data = (call.body or {}).get("data")
    if not isinstance(data, dict):
        raise bad_request("data", "is required", "value_missing", "data")
    _check_identity(call, kind, data)
    attributes = data.get("attributes", {})
    if not isinstance(attributes, dict):
        raise type_error("data.attributes", "hash")
    if not isinstance(data.get("relationships", {}), dict):  # ignored, but must be a hash
        raise type_error("data.relationships", "hash")
    resource = REGISTRY.get(kind)
    shown = {"id", *(resource.attributes if resource is not None else ())}
    found: dict[str, Any] = {}
    problems: list[BooqableError] = []
    for name, value in attributes.items():
        path = f"data.attributes.{name}"
        if name not in writable:
            problems.append(
                unwritable_attribute(path) if name in shown else unknown_attribute(path)
            )
            continue
        try:
            found[name] = cast(writable[name], value)
        except ValueError:
            problems.append(type_error(path, writable[name].removesuffix("?")))
    refuse(problems)
    return found


def cast_entry(
    entry: Mapping[str, Any], path: str, kinds: Mapping[str, str]
) -> tuple[dict[str, Any], list[BooqableError]]:
    """A nested entry (`*_attributes[i]`) cast as `kinds` says, and what is wrong in it: a
    name not in `kinds` is `unknown_attribute`, a value that does not cast `type_error`."""
    found: dict[str, Any] = {}
    problems: list[BooqableError] = []
    for name, value in entry.items():
        if name not in kinds:
            problems.append(unknown_attribute(f"{path}.{name}"))
            continue
        try:
            found[name] = cast(kinds[name], value)
        except ValueError:
            problems.append(type_error(f"{path}.{name}", kinds[name].removesuffix("?")))
    return found, problems


def cast_entries(
    entries: Sequence[Any], attribute: str, kinds: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Every entry of `data.attributes.<attribute>` cast by `cast_entry`, or one 400 naming
    every problem in all of them (an entry that is not an object is a `type_error`)."""
    found: list[dict[str, Any]] = []
    errors: list[BooqableError] = []
    for i, entry in enumerate(entries):
        path = f"data.attributes.{attribute}.{i}"
        if not isinstance(entry, dict):
            errors.append(type_error(path, "hash"))
            continue
        values, problems = cast_entry(entry, path, kinds)
        errors += problems
        found.append(values)
    refuse(errors)
    return found


def refuse(problems: list[BooqableError]) -> None:
    """One 400 naming every problem found, if any (Graphiti lists them all)."""
    if problems:
        entries = [entry for problem in problems for entry in problem.entries]
        raise BooqableError(400, *entries, content_type=PLAIN_JSON)


def _check_identity(call: Call, kind: str, data: dict[str, Any]) -> None:
    """`data.type` names the endpoint's resource; `data.id`, when sent, the path's record."""
    if "type" not in data:
        raise bad_request("data.type", "is required", "value_missing", "data/type")
    if data["type"] != kind:
        raise bad_request(
            "data.type", "does not match the provided endpoint type", "type_mismatch", "data/type"
        )
    path_id = call.request.path_params.get("id")
    if path_id is not None and "id" in data and data["id"] != path_id:
        raise bad_request(
            "data.id", "does not match the provided endpoint id", "value_mismatch", "data/id"
        )
