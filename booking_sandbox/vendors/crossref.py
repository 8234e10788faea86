"""Small checks shared by the vendor catalogs: unique ids and references that resolve."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Problems = list[tuple[str, str]]


def unique(items: Iterable[tuple[str, Any]], what: str) -> Problems:
    """(json path, id) pairs: every id after its first use is a problem."""
    seen: dict[Any, str] = {}
    problems: Problems = []
    for path, ident in items:
        if ident in seen:
            problems.append((path, f"duplicate {what} {ident!r} (first at {seen[ident]})"))
        else:
            seen[ident] = path
    return problems


def resolves(items: Iterable[tuple[str, Any]], known: set[Any], what: str) -> Problems:
    return [(path, f"unknown {what} {ref!r}") for path, ref in items if ref not in known]
