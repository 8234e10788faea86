"""Filters of the computed resources (inventory levels and availabilities, item prices).

These resources are not stored: their filters are the question (`from`, `till`, `item_id`),
not a selection over records. Each documents only `eq`; some are `required`, and a missing one
is Graphiti's "required filter" 400 (reference §3.8: a body the official gem recognises).
Values come as `x`, `x,y` or `filter[x][]=a&filter[x][]=b` (reference §3.6).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable.errors import not_found, request_error
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import Record

# The docs' own forms: `2030-01-01 12:00:00 UTC` and an unencoded `+00:00` that Rack read as
# a space (`2024-10-01T09:00:00 00:00`); Ruby's parser takes both.
_UTC_SUFFIX = re.compile(r"\s+(UTC|GMT|Z)\Z", re.I)
_SPACED_OFFSET = re.compile(r"(\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)\Z")


def read(
    call: Call,
    kind: str,
    resource_class: str,
    allowed: Iterable[str],
    required: Iterable[str] = (),
    hashes: Iterable[str] = (),
) -> dict[str, Any]:
    """Each filter's raw value: unknown names and operators other than `eq` are a 400.

    A `hashes` filter's value is the object itself (`filter[configuration][<id>]=<id>`).
    """
    names = tuple(allowed)
    found: dict[str, Any] = {}
    for name, ops in call.query.filter.items():
        if name not in names:
            raise request_error(f"invalid filter: {kind} has no filter {name!r}", "invalid_filter")
        if name in hashes:
            value = ops.get("eq", ops) if isinstance(ops.get("eq"), dict) else ops
            if not all(isinstance(v, str) for v in value.values()):
                raise request_error(f"invalid filter: {name} expects a hash", "invalid_filter")
            found[name] = value
            continue
        for op, value in ops.items():
            if op != "eq":
                raise request_error(
                    f"invalid filter: operator {op!r} is not supported on {name!r}",
                    "invalid_filter",
                )
            found[name] = value
    require(found, resource_class, [name for name in required if name not in found])
    return found


def require(found: dict[str, Any], resource_class: str, missing: list[str]) -> None:
    """Graphiti's `RequiredFilter` text, singular or plural."""
    if len(missing) == 1:
        raise request_error(
            f'The required filter "{missing[0]}" on resource {resource_class} was not provided',
            "required_filter",
        )
    if missing:
        raise request_error(
            f'The required filters "{", ".join(missing)}" on resource {resource_class} '
            "were not provided",
            "required_filter",
        )


def values(raw: Any) -> list[str]:
    """`x`, `x,y` or `[]`-style arrays, as Graphiti reads a filter value."""
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    if not all(isinstance(i, str) for i in items):
        raise request_error("invalid filter: expected a value", "invalid_filter")
    return [v.strip() for item in items for v in item.split(",") if v.strip()]


def one(name: str, raw: Any) -> str:
    found = values(raw)
    if len(found) != 1:
        raise request_error(f"invalid filter: {name} takes one value", "invalid_filter")
    return found[0]


def instant(name: str, raw: Any) -> datetime:
    """A datetime filter value, in any form the docs' examples send."""
    found = values(raw)
    try:
        if len(found) != 1:
            raise ValueError(raw)
        text = _SPACED_OFFSET.sub(r"\1+\2", _UTC_SUFFIX.sub("", found[0]))
        return parse_instant(text)
    except ValueError:
        raise request_error(
            f"failed typecasting: {name} expected datetime, got {raw!r}", "failed_typecasting"
        ) from None


def integer(name: str, raw: Any) -> int:
    text = one(name, raw)
    if not re.fullmatch(r"[0-9]{1,12}", text):
        raise request_error(
            f"failed typecasting: {name} expected integer, got {raw!r}", "failed_typecasting"
        )
    return int(text)


def boolean(name: str, raw: Any) -> bool:
    text = one(name, raw).lower()
    if text not in ("true", "false", "1", "0"):
        raise request_error(
            f"failed typecasting: {name} expected boolean, got {raw!r}", "failed_typecasting"
        )
    return text in ("true", "1")


def period(raw_from: Any, raw_till: Any) -> tuple[datetime, datetime]:
    start, till = instant("from", raw_from), instant("till", raw_till)
    if not start < till:
        raise request_error("invalid filter: till must be after from", "invalid_filter")
    return start, till


def records(call: Call, kinds: tuple[str, ...], ids: list[str]) -> list[tuple[str, Record]]:
    """(kind, record) for each id, in the order asked; an id of none of `kinds` is a 404."""
    found: list[tuple[str, Record]] = []
    for ident in dict.fromkeys(ids):
        for kind in kinds:
            record = call.store.find(kind, ident)
            if record is not None:
                found.append((kind, record))
                break
        else:
            raise not_found()
    return found
