"""The request journal of one namespace: a bounded ring of what clients sent and got.

Entries keep the raw bytes (capped) and are rendered, masked, only when someone reads them, so
the hot path pays for a deque append and a few slices.
"""

from __future__ import annotations

import base64
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sandbox.timefmt import format_instant
from sandbox.traffic import masking
from sandbox.traffic.patterns import matches

BODY_LIMIT = 16 * 1024  # bytes kept per body: a whole seed response, not a PDF
Headers = list[tuple[bytes, bytes]]


@dataclass(slots=True)
class Body:
    data: bytes  # at most BODY_LIMIT bytes
    size: int  # the whole body's length

    def to_json(self, headers: dict[str, str]) -> dict[str, Any]:
        found: dict[str, Any] = {"headers": headers}
        if not self.size:
            found.update(body=None, body_bytes=0, truncated=False, encoding="utf-8")
            return found
        try:
            text: str = masking.body(self.data.decode("utf-8"))
            encoding = "utf-8"
        except UnicodeDecodeError:
            # A cut may split a character: keep what decodes, else it is binary.
            try:
                text = masking.body(self.data[: len(self.data) - 3].decode("utf-8"))
                encoding = "utf-8"
            except UnicodeDecodeError:
                text, encoding = base64.b64encode(self.data).decode("ascii"), "base64"
        found.update(
            body=text, body_bytes=self.size, truncated=len(self.data) < self.size, encoding=encoding
        )
        return found


@dataclass(slots=True)
class Entry:
    id: int
    at: datetime
    vendor: str
    operation: str | None
    method: str
    path: str
    query: str
    status: int | None
    duration_ms: float
    fault: dict[str, Any] | None
    request_headers: Headers
    request_body: Body
    response_headers: Headers
    response_body: Body

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": format_instant(self.at),
            "vendor": self.vendor,
            "operation": self.operation,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "duration_ms": round(self.duration_ms, 3),
            "fault": self.fault,
            "request": self.request_body.to_json(_headers(self.request_headers)),
            "response": self.response_body.to_json(_headers(self.response_headers)),
        }


def _headers(raw: Headers) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("latin-1").lower()
        text = masking.header(key, value.decode("latin-1"))
        found[key] = f"{found[key]}, {text}" if key in found else text
    return found


@dataclass(frozen=True)
class RequestFilter:
    vendor: str | None = None
    method: str | None = None
    path: str | None = None
    operation: str | None = None
    status: int | str | None = None  # 503, or a class: "5xx"
    since: datetime | None = None

    def accepts(self, entry: Entry) -> bool:
        return (
            (self.vendor is None or entry.vendor == self.vendor)
            and (self.method is None or entry.method == self.method.upper())
            and matches(self.path, entry.path)
            and matches(self.operation, entry.operation)
            and self._status(entry.status)
            and (self.since is None or entry.at >= self.since)
        )

    def _status(self, status: int | None) -> bool:
        if self.status is None:
            return True
        if status is None:
            return False
        if isinstance(self.status, int):
            return status == self.status
        return str(status)[0] == self.status[0]


class Journal:
    def __init__(self, size: int) -> None:
        self.entries: deque[Entry] = deque(maxlen=size)
        self.size = size
        self.dropped = 0
        self._next = 1

    def next_id(self) -> int:
        ident = self._next
        self._next += 1
        return ident

    def append(self, entry: Entry) -> None:
        if self.size == 0:
            self.dropped += 1
            return
        if len(self.entries) == self.size:
            self.dropped += 1
        self.entries.append(entry)

    def select(self, where: RequestFilter) -> Iterator[Entry]:
        return (e for e in list(self.entries) if where.accepts(e))

    def clear(self) -> int:
        count = len(self.entries)
        self.entries.clear()
        return count
