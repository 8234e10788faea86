"""Documents whose big lists are made while they are written: memory flat in their size.

A lazy document is a dict whose top-level values may be iterators. `write_json` writes it
item by item, byte for byte as `json.dumps(document, indent=1, ensure_ascii=False)` would have
written the same values as lists; `materialise` turns it into a plain document. Both read the
iterators once each, in key order, so a later one may go on from where an earlier one ended.

A generator that makes two lists in one pass (each product with the resource it owns) yields
the first and keeps the other in a `Spool` (a temporary file) until its turn comes.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Mapping
from typing import Any, TextIO

INDENT = 1
IN_MEMORY = 8 * 1024 * 1024  # bytes a Spool keeps in memory before it moves to a file


def materialise(document: Mapping[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, Iterator) else v for k, v in document.items()}


def write_json(out: TextIO, document: Mapping[str, Any]) -> None:
    """The document as indented JSON and a final newline, its iterators one item at a time."""
    if not document:
        out.write("{}\n")
        return
    separator = "{"
    for key, value in document.items():
        out.write(f"{separator}\n{' ' * INDENT}{_dumps(key, 0)}: ")
        if isinstance(value, Iterator):
            _write_items(out, value, level=1)
        else:
            out.write(_dumps(value, 1))
        separator = ","
    out.write("\n}\n")


def _write_items(out: TextIO, items: Iterator[Any], level: int) -> None:
    inner = "\n" + " " * (INDENT * (level + 1))
    separator = "["
    for item in items:
        out.write(f"{separator}{inner}{_dumps(item, level + 1)}")
        separator = ","
    out.write("[]" if separator == "[" else "\n" + " " * (INDENT * level) + "]")


def _dumps(value: Any, level: int) -> str:
    # JSON strings never hold a raw newline: every one in the text starts an indented line.
    text = json.dumps(value, ensure_ascii=False, indent=INDENT)
    return text.replace("\n", "\n" + " " * (INDENT * level)) if level else text


class Spool:
    """Items kept on disk (in memory while small) until read back, once, in order."""

    def __init__(self) -> None:
        # Closed once read back (a spool never read is closed when collected).
        self.file = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=IN_MEMORY, mode="w+", encoding="utf-8", newline="\n"
        )

    def add(self, item: Any) -> None:
        # One line each: JSON text has no raw newline. Python's floats survive the round trip.
        self.file.write(json.dumps(item, ensure_ascii=False) + "\n")

    def __iter__(self) -> Iterator[Any]:
        with self.file:
            self.file.seek(0)
            for line in self.file:
                yield json.loads(line)
