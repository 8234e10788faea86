"""`*` wildcards for paths and operation names: `/v1/booking/*` matches any rest.

Matched piece by piece with `str.find`, in linear time: a regex of `.*` runs backtracks badly on
patterns like `*a*a*a*b`, and both patterns and paths come from clients.
"""

from __future__ import annotations

from typing import Any

# Characters of a pattern, and of any string in a fault rule or a journal filter. Patterns run
# against every request (rules) or every entry (filters): their size bounds that work.
MAX_PATTERN = 1024
# Each `*` is one more search of the value: `/api/*/orders/*` needs two, not hundreds.
MAX_WILDCARDS = 16
WILDCARDS = ("path", "operation")  # the fields of rules and filters that take `*`


def wildcard_problem(doc: dict[str, Any]) -> tuple[str, str] | None:
    """The first pattern field of `doc` with too many `*`, and what is wrong with it."""
    for key in WILDCARDS:
        value = doc.get(key)
        if isinstance(value, str) and value.count("*") > MAX_WILDCARDS:
            return key, f"holds more than {MAX_WILDCARDS} '*' wildcards"
    return None


def oversized(doc: Any, path: str = "$") -> tuple[str, str] | None:
    """Where a string (or key) in `doc` is longer than MAX_PATTERN, and what is wrong there.

    Checked before a schema check, whose messages quote the value, megabytes included.
    Iterative: the JSON parser's nesting limit is deeper than a recursion here could go.
    """
    todo: list[tuple[str, Any]] = [(path, doc)]
    while todo:
        where, value = todo.pop()
        if isinstance(value, str) and len(value) > MAX_PATTERN:
            return where, f"is longer than {MAX_PATTERN} characters"
        if isinstance(value, dict):
            for key, item in value.items():
                if len(key) > MAX_PATTERN:
                    return where, f"has a key longer than {MAX_PATTERN} characters"
                todo.append((f"{where}.{key}", item))
        elif isinstance(value, list):
            todo.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
    return None


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
