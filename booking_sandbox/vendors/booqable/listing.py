"""Graphiti's list semantics over records: filters (filters.py, conditions.py), sort, pages
and stats.

Stats are computed over the filtered, unpaginated collection, as the docs say. Sort and stats
take the attributes the request's era writes (`Resource.attributes_v4` under `/api/4`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from booking_sandbox.vendors.booqable import conditions, filters
from booking_sandbox.vendors.booqable.errors import request_error
from booking_sandbox.vendors.booqable.jsonapi import Record, Resource, Store
from booking_sandbox.vendors.booqable.query import Query

AGGREGATES = ("count", "count_each", "sum", "average", "maximum", "minimum")
# Kinds whose values add up; `sum` over any other kind counts per value (over an enum, as the
# docs' inventory_breakdowns example shows).
_NUMBERS = frozenset({"integer", "float", "big_decimal"})
# Only numbers have these (Graphiti's "No stat configured" otherwise).
_NUMERIC = ("average", "maximum", "minimum")


def select(store: Store, resource: Resource, records: list[Record], query: Query) -> list[Record]:
    """The records the query's filters keep, sorted (default: newest first)."""
    kept = records
    for name, ops in query.filter.items():
        if name == conditions.NAME and name in resource.filters:
            kept = conditions.select(store, resource, kept, ops)
        else:
            kept = filters.apply(store, resource, kept, name, ops)
    return _sorted(resource, kept, query)


def page(records: list[Record], query: Query) -> list[Record]:
    start = (query.page_number - 1) * query.page_size
    return records[start : start + query.page_size]


def stats(resource: Resource, records: list[Record], query: Query) -> Record | None:
    """`meta.stats`, or None when no stats were asked for."""
    if not query.stats:
        return None
    names = _attributes(resource, query)
    found: Record = {}
    for name, aggregates in query.stats.items():
        found[name] = {}
        for aggregate in aggregates:
            known = aggregate in AGGREGATES and (
                aggregate == "count" if name == "total" else name in names
            )
            if known and aggregate in _NUMERIC and name != "total":
                known = _numeric(resource, name, records)
            if not known:  # Graphiti's StatNotFound
                raise request_error(
                    f"No stat configured for calculation {_symbol(aggregate)} on attribute "
                    f"{_symbol(name)}",
                    "invalid_stat",
                )
            found[name][aggregate] = _aggregate(resource, name, aggregate, records)
    return {"stats": found}


def _symbol(name: str) -> str:
    """Ruby's `inspect` of what Graphiti names: a symbol, or a quoted string."""
    return f":{name}" if name.isidentifier() else f"'{name}'"


def _attributes(resource: Resource, query: Query) -> tuple[str, ...]:
    """The attributes the request's era writes: what can be sorted and aggregated."""
    if query.era.current and resource.attributes_v4 is not None:
        return resource.attributes_v4
    return resource.attributes


def _numeric(resource: Resource, name: str, records: list[Record]) -> bool:
    """Whether the attribute's values add up (else `sum` counts per value): its filter kind
    says so, else its values."""
    kind = resource.filters.get(name, "").split(" ")[0]
    if kind:
        return kind in _NUMBERS
    values = [r.get(name) for r in records]
    return all(v is None or type(v) in (int, float) for v in values)


def _aggregate(resource: Resource, name: str, aggregate: str, records: list[Record]) -> Any:
    if name == "total":
        return len(records)
    values = [r.get(name) for r in records]
    if aggregate in ("count", "count_each") or (
        aggregate == "sum" and not _numeric(resource, name, records)
    ):
        counts: dict[str, int] = {}  # per value; list values count each element
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
        mean = sum(numbers) / len(numbers)
        return mean if any(isinstance(n, float) for n in numbers) else round(mean)
    return max(numbers) if aggregate == "maximum" else min(numbers)


def _sorted(resource: Resource, records: list[Record], query: Query) -> list[Record]:
    names = _attributes(resource, query)
    keys = query.sort
    if not keys:
        keys = [("created_at", True)] if "created_at" in names else []
    for name, descending in reversed(keys):
        if name != "id" and name not in names:
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
