"""`*` wildcards for paths and operation names: `/v1/booking/*` matches any rest."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=512)
def wildcard(pattern: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if part == "*" else re.escape(part) for part in _split(pattern)))


def _split(pattern: str) -> list[str]:
    return [p for p in re.split(r"(\*)", pattern) if p]


def matches(pattern: str | None, value: str | None) -> bool:
    if pattern is None:
        return True
    if value is None:
        return False
    if "*" not in pattern:
        return pattern == value
    return wildcard(pattern).fullmatch(value) is not None
