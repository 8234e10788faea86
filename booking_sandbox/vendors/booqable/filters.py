"""Graphiti's filters: one filter's operators, its typecasting and its tests over records.

A resource declares its filters as data (jsonapi.Resource): `filters` maps an attribute to a
spec, `custom_filters` maps a filter that is no stored attribute to a `Derived` value. A spec
is the filter's kind, whose operators are the type table of reference §3.6, or the kind and
an explicit operator list where the docs add one (`"uuid eq not_eq gt"` on `id`, `between`
on `start_or_stop_time`). Values come from the query string (strings, comma-separated lists,
`[]` arrays) or from a JSON body (`POST …/search`: numbers, booleans, null as well).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable.errors import BooqableError, request_error
from booking_sandbox.vendors.booqable.jsonapi import Record, Resource, Store

_COMPARE = ("eq", "not_eq", "gt", "gte", "lt", "lte")
_TEXT = (
    "eq", "not_eq", "eql", "not_eql", "prefix", "not_prefix",
    "suffix", "not_suffix", "match", "not_match",
)  # fmt: skip
# Reference §3.6, DOCS-2024 `_introduction.md`: the operators of each type.
OPERATORS: dict[str, tuple[str, ...]] = {
    "string": _TEXT,
    "uuid": ("eq", "not_eq"),
    "enum": ("eq", "not_eq"),
    "integer": _COMPARE,
    "big_decimal": _COMPARE,
    "float": _COMPARE,
    "date": _COMPARE,
    "datetime": _COMPARE,
    "boolean": ("eq",),
    "hash": ("eq",),
    "array": ("eq",),
}
# Dry-types' params booleans, which Graphiti casts filter values with.
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})
# Rack decodes `+` as a space: `…T09:00:00+00:00` arrives as `…T09:00:00 00:00`, which
# Ruby's date parser still reads as an offset.
_SPACED_OFFSET = re.compile(r"^(.*\d)\s+(\d\d(?::?\d\d)?)$")


class Derived:
    """A filter on a value the record does not store under the filter's name: computed from
    the record (and the store) and then filtered like an attribute of `spec`."""

    def __init__(self, spec: str, value: Callable[[Store, Record], Any]) -> None:
        self.spec = spec
        self.value = value

    def __call__(self, store: Store, record: Record, values: list[str]) -> bool:
        """`eq`, for callers that know custom filters as predicates (jsonapi.Resource)."""
        kind, _ = parse_spec(self.spec)
        wanted = [cast(kind, "", v, "") for v in values]
        return _eq(_field(kind, self.value(store, record)), wanted)


def derived(spec: str, value: Callable[[Store, Record], Any]) -> Derived:
    return Derived(spec, value)


@lru_cache(maxsize=256)
def parse_spec(spec: str) -> tuple[str, tuple[str, ...]]:
    kind, *ops = spec.split()
    return kind, tuple(ops) if ops else OPERATORS[kind]


def resource_class(resource: Resource) -> str:
    """Graphiti's resource class name in its messages: `orders` -> `OrderResource`."""
    plural = resource.type
    singular = plural[:-3] + "y" if plural.endswith("ies") else plural.removesuffix("s")
    return "".join(part.capitalize() for part in singular.split("_")) + "Resource"


def unknown_filter(resource: Resource, name: str) -> BooqableError:
    return request_error(
        f"invalid filter: {resource_class(resource)}: Tried to filter on attribute "
        f'"{name}", but could not find an attribute with that name.',
        "invalid_filter",
    )


def invalid_filter(resource: Resource, name: str, why: str) -> BooqableError:
    return request_error(
        f'invalid filter: {resource_class(resource)}: filter "{name}" {why}', "invalid_filter"
    )


def apply(
    store: Store,
    resource: Resource,
    records: list[Record],
    name: str,
    ops: dict[str, Any],
) -> list[Record]:
    """The records that pass every operator of one filter (`{"gte": a, "lte": b}`)."""
    custom = resource.custom_filters.get(name)
    if isinstance(custom, Derived):
        spec, value_of = custom.spec, custom.value
    elif custom is not None:  # a plain predicate: `eq` and `not_eq` on the given values
        for op, raw in ops.items():
            _check_op(resource, name, op, ("eq", "not_eq"))
            values = [str(v) for v in values_of(resource, name, raw)]
            records = [r for r in records if custom(store, r, values) is (op == "eq")]
        return records
    elif name in resource.filters:
        spec = resource.filters[name]
        value_of = _stored(name)
    else:
        raise unknown_filter(resource, name)
    kind, allowed = parse_spec(spec)
    for op, raw in ops.items():
        _check_op(resource, name, op, allowed)
        wanted = [
            cast(kind, name, v, resource_class(resource)) for v in values_of(resource, name, raw)
        ]
        if op == "between" and len(wanted) != 2:
            raise invalid_filter(resource, name, "between takes two values: from,till")
        if op in ("eq", "not_eq"):  # a search body may name thousands of ids: no scan each
            match, keep = _AnyOf(wanted), op == "eq"
            records = [r for r in records if match(_field(kind, value_of(store, r))) is keep]
            continue
        test, wanted = TESTS[op], _extreme(op, wanted)
        records = [r for r in records if test(_field(kind, value_of(store, r)), wanted)]
    return records


class _AnyOf:
    """`eq` on any of the wanted values (`_eq`), as set lookups: the values cast to one kind
    (cast) are all hashable, and strings compare in lower case."""

    def __init__(self, wanted: list[Any]) -> None:
        self.texts = {w.lower() for w in wanted if isinstance(w, str)}
        self.flags = [w for w in wanted if isinstance(w, bool)]
        self.others = [w for w in wanted if not isinstance(w, str | bool)]
        self.hashed = set(self.others)

    def __call__(self, value: Any) -> bool:
        return any(self._one(v) for v in (value if isinstance(value, list) else [value]))

    def _one(self, value: Any) -> bool:
        if isinstance(value, str):
            return value.lower() in self.texts
        if isinstance(value, bool):
            return any(value is w for w in self.flags)
        try:
            return value in self.hashed
        except TypeError:  # a hash attribute's value: compared one by one
            return any(_same(value, w) for w in self.others)


def _extreme(op: str, wanted: list[Any]) -> list[Any]:
    """`gt`/`gte` any of the values is `gt`/`gte` the least of them (`lt`/`lte`: the
    greatest): one comparison per record, however many values were sent."""
    if op not in ("gt", "gte", "lt", "lte"):
        return wanted
    present = [w for w in wanted if w is not None]
    try:
        return [min(present) if op.startswith("g") else max(present)] if present else wanted
    except TypeError:  # values of no common order: each is tried
        return wanted


def _stored(name: str) -> Callable[[Store, Record], Any]:
    return lambda store, record: record.get(name)


def _check_op(resource: Resource, name: str, op: str, allowed: tuple[str, ...]) -> None:
    if op not in allowed:
        raise invalid_filter(
            resource,
            name,
            f'does not support operator "{op}"; supported: {", ".join(allowed)}',
        )


def values_of(resource: Resource, name: str, raw: Any) -> list[Any]:
    """A filter's values: `a,b`, `[]` arrays, and the JSON scalars of a search body.
    `between` also takes `{"from": a, "till": b}`."""
    if isinstance(raw, dict) and set(raw) == {"from", "till"}:
        raw = [raw["from"], raw["till"]]
    items = raw if isinstance(raw, list) else [raw]
    found: list[Any] = []
    for item in items:
        if isinstance(item, str):
            found += item.split(",") if "," in item else [item]
        elif item is None or isinstance(item, bool | int | float):
            found.append(item)
        else:
            raise invalid_filter(resource, name, "expects a value or a list of values")
    return found


def cast(kind: str, name: str, value: Any, owner: str) -> Any:
    """Graphiti's typecasting of one filter value (a failure is its "failed typecasting")."""
    if value is None:
        return None
    try:
        return _cast(kind, value)
    except (ValueError, OverflowError):
        raise request_error(
            f"failed typecasting: {owner}: Failed typecasting :{name}! Given {value!r}, "
            f"expected {kind}",
            "failed_typecasting",
        ) from None


def _cast(kind: str, value: Any) -> Any:
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).lower()
        if text not in _TRUE | _FALSE:
            raise ValueError(value)
        return text in _TRUE
    if isinstance(value, bool):  # JSON true/false is no number, date or text
        raise ValueError(value)
    if kind == "integer":
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(value)
        return int(value) if not isinstance(value, str) else int(value.strip())
    if kind in ("float", "big_decimal"):
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(value)
        return number
    if kind in ("datetime", "date"):
        if not isinstance(value, str):
            raise ValueError(value)
        return instant(value)
    return str(value) if isinstance(value, int | float) else value


def instant(text: str) -> datetime:
    """An ISO 8601 instant as Ruby's parser reads a filter value: a space for the `T`, no
    offset (UTC), `UTC` as the zone, or the offset's `+` decoded to a space by Rack."""
    text = text.strip()
    if text.upper().endswith(" UTC"):
        text = text[:-4]
    try:
        return parse_instant(text)
    except ValueError:
        spaced = _SPACED_OFFSET.match(text)
        if spaced is None:
            raise
        return parse_instant(f"{spaced.group(1)}+{spaced.group(2)}")


def _field(kind: str, value: Any) -> Any:
    if kind in ("datetime", "date"):
        if isinstance(value, list):
            return [_time(v) for v in value]
        return _time(value)
    return value


def _time(value: Any) -> Any:
    return parse_instant(value) if isinstance(value, str) else value


def _eq(value: Any, wanted: list[Any]) -> bool:
    if isinstance(value, list):
        return any(_same(v, w) for v in value for w in wanted)
    return any(_same(value, w) for w in wanted)


def _same(value: Any, wanted: Any) -> bool:
    if isinstance(value, str) and isinstance(wanted, str):  # string `eq` ignores case
        return value.lower() == wanted.lower()
    if isinstance(value, bool) or isinstance(wanted, bool):
        return value is wanted
    return bool(value == wanted)


def _ordered(op: Callable[[Any, Any], bool]) -> Callable[[Any, list[Any]], bool]:
    def test(value: Any, wanted: list[Any]) -> bool:
        values = value if isinstance(value, list) else [value]
        return any(
            v is not None and w is not None and _comparable(v, w) and op(v, w)
            for v in values
            for w in wanted
        )

    return test


def _comparable(value: Any, wanted: Any) -> bool:
    if isinstance(value, datetime) or isinstance(wanted, datetime):
        return isinstance(value, datetime) and isinstance(wanted, datetime)
    if isinstance(value, str) or isinstance(wanted, str):
        return isinstance(value, str) and isinstance(wanted, str)
    return True


def _between(value: Any, wanted: list[Any]) -> bool:
    low, high = wanted
    values = value if isinstance(value, list) else [value]
    return any(
        v is not None and _comparable(v, low) and _comparable(v, high) and low <= v <= high
        for v in values
    )


def _text(op: Callable[[str, str], bool]) -> Callable[[Any, list[Any]], bool]:
    return lambda value, wanted: (
        isinstance(value, str)
        and any(isinstance(w, str) and op(value.lower(), w.lower()) for w in wanted)
    )


def _any_of(value: Any, wanted: list[Any]) -> bool:
    return isinstance(value, list) and any(w in value for w in wanted)


TESTS: dict[str, Callable[[Any, list[Any]], bool]] = {
    "eq": _eq,
    "not_eq": lambda v, w: not _eq(v, w),
    "eql": lambda v, w: v in w,
    "not_eql": lambda v, w: v not in w,
    "prefix": _text(str.startswith),
    "not_prefix": lambda v, w: not _text(str.startswith)(v, w),
    "suffix": _text(str.endswith),
    "not_suffix": lambda v, w: not _text(str.endswith)(v, w),
    "match": _text(lambda v, w: w in v),
    "not_match": lambda v, w: not _text(lambda a, b: b in a)(v, w),
    "gt": _ordered(lambda v, w: v > w),
    "gte": _ordered(lambda v, w: v >= w),
    "lt": _ordered(lambda v, w: v < w),
    "lte": _ordered(lambda v, w: v <= w),
    "between": _between,
    "any_of": _any_of,
}
