"""Graphiti's list semantics over records: filters with operators, sort, pages and stats.

Stats are computed over the filtered, unpaginated collection, as the docs say. Values are
typecast per attribute kind; a value that does not cast is Graphiti's "failed typecasting".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable.errors import request_error
from booking_sandbox.vendors.booqable.jsonapi import Record, Resource, Store
from booking_sandbox.vendors.booqable.query import Query

_COMPARE = ("eq", "not_eq", "gt", "gte", "lt", "lte")
OPERATORS: dict[str, tuple[str, ...]] = {
    "string": (
        "eq", "not_eq", "eql", "not_eql", "prefix", "not_prefix",
        "suffix", "not_suffix", "match", "not_match",
    ),
    "uuid": ("eq", "not_eq"),
    "enum": ("eq", "not_eq"),
    "integer": _COMPARE,
    "float": _COMPARE,
    "datetime": _COMPARE,
    "boolean": ("eq",),
    "array": ("eq",),
    "hash": ("eq",),
}  # fmt: skip
AGGREGATES = ("count", "count_each", "sum", "average", "maximum", "minimum")


def select(store: Store, resource: Resource, records: list[Record], query: Query) -> list[Record]:
    """The records the query's filters keep, sorted (default: newest first)."""
    kept = records
    for name, ops in query.filter.items():
        kept = _apply(store, resource, kept, name, ops)
    return _sorted(resource, kept, query.sort)


def page(records: list[Record], query: Query) -> list[Record]:
    start = (query.page_number - 1) * query.page_size
    return records[start : start + query.page_size]


def stats(resource: Resource, records: list[Record], query: Query) -> Record | None:
    """`meta.stats`, or None when no stats were asked for."""
    if not query.stats:
        return None
    found: Record = {}
    for name, aggregates in query.stats.items():
        if name != "total" and name not in resource.attributes:
            raise request_error(f"unknown stat {name!r} on {resource.type}", "invalid_stat")
        found[name] = {}
        for aggregate in aggregates:
            if aggregate not in AGGREGATES or (name == "total" and aggregate != "count"):
                raise request_error(f"unknown aggregate {aggregate!r} for {name}", "invalid_stat")
            found[name][aggregate] = _aggregate(name, aggregate, records)
    return {"stats": found}


def _aggregate(name: str, aggregate: str, records: list[Record]) -> Any:
    if name == "total":
        return len(records)
    values = [r.get(name) for r in records]
    if aggregate in ("count", "count_each"):  # per value; list values count each element
        counts: dict[str, int] = {}
        for value in values:
            for item in value if isinstance(value, list) else [value]:
                key = str(item).lower() if isinstance(item, bool) else str(item)
                counts[key] = counts.get(key, 0) + 1
        return counts
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if aggregate == "sum":
        return sum(numbers)
    if not numbers:
        return 0
    if aggregate == "average":
        return round(sum(numbers) / len(numbers))
    return max(numbers) if aggregate == "maximum" else min(numbers)


def _apply(
    store: Store, resource: Resource, records: list[Record], name: str, ops: dict[str, Any]
) -> list[Record]:
    custom = resource.custom_filters.get(name)
    if custom is not None:  # filters that are not attributes take `eq` and `not_eq` only
        for op, raw in ops.items():
            if op not in ("eq", "not_eq"):
                raise request_error(
                    f"invalid filter: operator {op!r} is not supported on {name!r}",
                    "invalid_filter",
                )
            values = _values(raw)
            keep = op == "eq"
            records = [r for r in records if custom(store, r, values) is keep]
        return records
    kind = resource.filters.get(name)
    if kind is None:
        raise request_error(
            f"invalid filter: {resource.type} has no filter {name!r}", "invalid_filter"
        )
    for op, raw in ops.items():
        if op not in OPERATORS[kind]:
            raise request_error(
                f"invalid filter: operator {op!r} is not supported on {name!r}", "invalid_filter"
            )
        wanted = [_cast(kind, name, v) for v in _values(raw)]
        test = _TESTS[op]
        records = [r for r in records if test(_field(kind, r.get(name)), wanted)]
    return records


def _values(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    if not all(isinstance(i, str) for i in items):
        raise request_error("invalid filter: expected a value", "invalid_filter")
    return [v for item in items for v in (item.split(",") if "," in item else [item])]


def _cast(kind: str, name: str, value: str) -> Any:
    try:
        if kind == "integer":
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "datetime":
            return parse_instant(value)
        if kind == "boolean":
            if value.lower() not in ("true", "false", "1", "0"):
                raise ValueError(value)
            return value.lower() in ("true", "1")
    except ValueError:
        raise request_error(
            f"failed typecasting: {name} expected {kind}, got {value!r}", "failed_typecasting"
        ) from None
    return value


def _field(kind: str, value: Any) -> Any:
    if kind == "datetime" and isinstance(value, str):
        return parse_instant(value)
    return value


def _eq(value: Any, wanted: list[Any]) -> bool:
    if isinstance(value, list):
        return any(w in value for w in wanted)
    if isinstance(value, str):  # Graphiti's string `eq` ignores case; `eql` does not
        return any(isinstance(w, str) and value.lower() == w.lower() for w in wanted)
    return value in wanted


def _ordered(op: Callable[[Any, Any], bool]) -> Callable[[Any, list[Any]], bool]:
    return lambda value, wanted: value is not None and any(op(value, w) for w in wanted)


def _text(op: Callable[[str, str], bool]) -> Callable[[Any, list[Any]], bool]:
    return lambda value, wanted: (
        isinstance(value, str) and any(op(value.lower(), w.lower()) for w in wanted)
    )


_TESTS: dict[str, Callable[[Any, list[Any]], bool]] = {
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
}


def _sorted(
    resource: Resource, records: list[Record], keys: list[tuple[str, bool]]
) -> list[Record]:
    if not keys:
        keys = [("created_at", True)] if "created_at" in resource.attributes else []
    for name, descending in reversed(keys):
        if name != "id" and name not in resource.attributes:
            raise request_error(
                f"invalid sort: {resource.type} has no attribute {name!r}", "invalid_sort"
            )
        records = sorted(records, key=_by(name), reverse=descending)
    return records


def _by(name: str) -> Callable[[Record], tuple[int, Any]]:
    return lambda record: _sort_key(record.get(name))


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, "")
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, int | float):
        return (1, value)
    if isinstance(value, datetime):
        return (1, value.timestamp())
    return (2, str(value))
