"""JSON parsed and written in small steps, for documents of many megabytes.

`json.loads` and `json.dumps` are C calls that hold the GIL from the first byte to the last: on
a worker thread they still stop the event loop for the whole document (a 46 MB state import
stopped vendor traffic for 1.3 s). Here the outer levels, where a large document keeps its
bulk (lists of records, maps of sections), are walked in Python, and each element is handed
to the C scanner or encoder alone. Between elements the interpreter may switch threads, so
the loop goes on serving; each C call is as small as one record.

Both give exactly what their C counterparts give: the same values (and the same refusals,
through the same decoder) and the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from json.scanner import make_scanner
from typing import Any, cast

# Values nested shallower than this are walked (a state's lists of records sit at depths 2 and
# 3); deeper ones are records, each one C call. The C scanner then nests exactly as deep as
# json.loads would, where Python frames would give out sooner.
OBJECT_DEPTH = 3
ARRAY_DEPTH = 4
_SPACE = re.compile(r"[ \t\n\r]*")
# The C string scanner json.loads uses (typeshed does not declare it).
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


class Scanner:
    """`decoder`'s own parse, in steps: it keeps the decoder's hooks (constants, floats)."""

    def __init__(self, decoder: json.JSONDecoder) -> None:
        # (typeshed types make_scanner as a class taking itself; it takes the decoder)
        self._scan: Callable[[str, int], tuple[Any, int]] = cast(Any, make_scanner)(decoder)

    def parse(self, text: str) -> Any:
        end = _skip(text, 0)
        value, end = self._value(text, end, 0)
        end = _skip(text, end)
        if end != len(text):
            raise json.JSONDecodeError("Extra data", text, end)
        return value

    def _value(self, text: str, at: int, depth: int) -> tuple[Any, int]:
        first = text[at : at + 1]
        if first == "[" and depth < ARRAY_DEPTH:
            return self._array(text, at + 1, depth + 1)
        if first == "{" and depth < OBJECT_DEPTH:
            return self._object(text, at + 1, depth + 1)
        try:
            found: tuple[Any, int] = self._scan(text, at)
        except StopIteration as stop:
            raise json.JSONDecodeError("Expecting value", text, stop.value) from None
        return found

    def _array(self, text: str, at: int, depth: int) -> tuple[list[Any], int]:
        items: list[Any] = []
        at = _skip(text, at)
        if text[at : at + 1] == "]":
            return items, at + 1
        while True:
            value, at = self._value(text, at, depth)
            items.append(value)
            at = _skip(text, at)
            mark = text[at : at + 1]
            if mark == "]":
                return items, at + 1
            if mark != ",":
                raise json.JSONDecodeError("Expecting ',' delimiter", text, at)
            at = _skip(text, at + 1)

    def _object(self, text: str, at: int, depth: int) -> tuple[dict[str, Any], int]:
        members: dict[str, Any] = {}
        at = _skip(text, at)
        if text[at : at + 1] == "}":
            return members, at + 1
        while True:
            if text[at : at + 1] != '"':
                raise json.JSONDecodeError(
                    "Expecting property name enclosed in double quotes", text, at
                )
            key, at = _scanstring(text, at + 1)
            at = _skip(text, at)
            if text[at : at + 1] != ":":
                raise json.JSONDecodeError("Expecting ':' delimiter", text, at)
            value, at = self._value(text, _skip(text, at + 1), depth)
            members[key] = value
            at = _skip(text, at)
            mark = text[at : at + 1]
            if mark == "}":
                return members, at + 1
            if mark != ",":
                raise json.JSONDecodeError("Expecting ',' delimiter", text, at)
            at = _skip(text, at + 1)


def _str_keys(value: dict[Any, Any]) -> bool:
    return all(type(key) is str for key in value)  # (else the encoder's own key rules apply)


def _skip(text: str, at: int) -> int:
    found = _SPACE.match(text, at)
    return found.end() if found is not None else at


def dumps(value: Any, encoder: json.JSONEncoder, depth: int = 0) -> str:
    """`encoder.encode(value)`, element by element down to OBJECT_DEPTH (compact separators)."""
    if isinstance(value, list) and value and depth < ARRAY_DEPTH:
        return "[" + ",".join(dumps(item, encoder, depth + 1) for item in value) + "]"
    if isinstance(value, dict) and value and depth < OBJECT_DEPTH and _str_keys(value):
        parts = (
            f"{encoder.encode(key)}:{dumps(item, encoder, depth + 1)}"
            for key, item in value.items()
        )
        return "{" + ",".join(parts) + "}"
    return encoder.encode(value)
