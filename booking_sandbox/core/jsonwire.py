"""orjson for the vendors' wire encoders, on the documents where it writes json.dumps' bytes.

Each vendor's encoder is `json.dumps(ensure_ascii=False, separators=(",", ":"))` plus byte-level
touches. orjson writes the same text ~10x faster for plain documents: keys in insertion order, no
spaces, non-ASCII as raw UTF-8, the same escapes (quote, backslash, \\b \\f \\n \\r \\t, other
C0 controls as lowercase \\u00xx, DEL raw), ints as digits, floats with repr's shortest
round-trip digits. It differs elsewhere: NaN and infinities become `null` (json raises or writes
`NaN`), repr's `1e-05` is its `0.00001`; it writes UUIDs, enums, dataclasses and datetimes that
json refuses, and refuses what json writes (lone surrogates, non-str keys, ints past 64 bits).

So `Plain.dumps` first walks the document and takes only exact dicts, lists, str, bool, None,
and the ints and floats the vendor accepts; for anything else, or when orjson refuses the
document, it returns None and the vendor writes it with its reference encoder. The walk costs
about a third of what it saves (a Booqable order list: ~30 µs of walk and ~10 µs of orjson
instead of ~80 µs). tests/test_jsonwire.py compares each vendor's two encoders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

# orjson gives up past 254 levels; the walk stops before Python's own recursion limit.
_MAX_DEPTH = 250


def no_float(value: float) -> bool:
    return False


def repr_float(value: float) -> bool:
    """Floats orjson writes as `repr` does: positional `75.0`, `0.0001`, `-0.0` (NaN fails)."""
    return value == 0.0 or 1e-4 <= abs(value) < 1e16


@dataclass(frozen=True)
class Plain:
    """What a vendor's reference encoder writes as json.dumps does, and so orjson too."""

    # Whether a float goes through orjson (rare in answers: else the reference encoder).
    float_ok: Callable[[float], bool]
    # Ints with abs(n) <= int_limit go through orjson; None: all (orjson refuses past 64 bits).
    int_limit: int | None = None

    def dumps(self, document: Any) -> bytes | None:
        """orjson's bytes when they are json.dumps' (UTF-8), else None."""
        leaves = _LEAVES if self.int_limit is None else _LEAVES_NO_INT
        if not _plain(document, leaves, self, 0):
            return None
        try:
            return orjson.dumps(document)
        except orjson.JSONEncodeError:  # a lone surrogate, a non-str key, an int past 64 bits
            return None


_LEAVES: frozenset[type] = frozenset({str, int, bool, type(None)})
_LEAVES_NO_INT: frozenset[type] = frozenset({str, bool, type(None)})


def _plain(value: Any, leaves: frozenset[type], plain: Plain, depth: int) -> bool:
    # Exact types only: orjson writes a str, int or dict subclass as its base type, json.dumps
    # may not (an IntEnum, a dict with its own items()). Called for every answer, so the
    # common members are tested inline.
    kind = type(value)
    if kind is dict:
        members: Any = value.values()
    elif kind is list:
        members = value
    else:
        return False
    if depth > _MAX_DEPTH:
        return False
    for member in members:
        kind = type(member)
        if kind in leaves:
            continue
        if kind is dict or kind is list:
            if not _plain(member, leaves, plain, depth + 1):
                return False
        elif kind is int:  # only with an int_limit
            limit = plain.int_limit
            if limit is None or not -limit <= member <= limit:
                return False
        elif kind is not float or not plain.float_ok(member):
            return False
    return True
