"""`*` wildcards for paths and operation names: `/v1/booking/*` matches any rest.

Matched piece by piece with `str.find`, in linear time: a regex of `.*` runs backtracks badly on
patterns like `*a*a*a*b`, and both patterns and paths come from clients.
"""

from __future__ import annotations


def matches(pattern: str | None, value: str | None) -> bool:
    if pattern is None:
        return True
    if value is None:
        return False
    if "*" not in pattern:
        return pattern == value
    first, *middle, last = pattern.split("*")
    if len(value) < len(first) + len(last) or not value.startswith(first):
        return False
    if not value.endswith(last):
        return False
    position, end = len(first), len(value) - len(last)
    for piece in middle:
        found = value.find(piece, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return True
