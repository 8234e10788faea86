"""The request journal of one namespace: a bounded ring of what clients sent and got.

Entries keep the raw bytes (capped) and are rendered, masked, only when someone reads them, so
the hot path pays for a deque append and a few slices.
"""

from __future__ import annotations

import base64
import codecs
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from booking_sandbox.timefmt import format_instant
from booking_sandbox.traffic import masking
from booking_sandbox.traffic.patterns import matches

BODY_LIMIT = 16 * 1024  # bytes kept per body: a whole seed response, not a PDF
BYTE_BUDGET = 4 * 1024 * 1024  # per namespace: ~1,000 typical exchanges, far fewer large ones
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
        truncated = len(self.data) < self.size
        try:
            # A cut may split a character: an incremental decoder keeps that tail pending.
            text = codecs.getincrementaldecoder("utf-8")().decode(self.data, final=not truncated)
            text, encoding = masking.body(text), "utf-8"
        except UnicodeDecodeError:
            # Binary (or broken) bytes: masked all the same through latin-1, then base64.
            masked = masking.body(self.data.decode("latin-1")).encode("latin-1")
            text, encoding = base64.b64encode(masked).decode("ascii"), "base64"
        found.update(body=text, body_bytes=self.size, truncated=truncated, encoding=encoding)
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
            "query": masking.form(self.query),
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
    """At most `size` entries and BYTE_BUDGET bytes of bodies: the oldest go first."""

    def __init__(self, size: int) -> None:
        self.entries: deque[Entry] = deque()
        self.size = size
        self.bytes = 0
        self.dropped = 0
        self._next = 1

    def next_id(self) -> int:
        ident = self._next
        self._next += 1
        return ident

    def append(self, entry: Entry) -> None:
        self.entries.append(entry)
        self.bytes += _weight(entry)
        while len(self.entries) > self.size or (self.bytes > BYTE_BUDGET and len(self.entries) > 1):
            self.bytes -= _weight(self.entries.popleft())
            self.dropped += 1

    def select(self, where: RequestFilter) -> Iterator[Entry]:
        return (e for e in list(self.entries) if where.accepts(e))

    def clear(self) -> int:
        count = len(self.entries)
        self.entries.clear()
        self.bytes = 0
        return count


def _weight(entry: Entry) -> int:
    return len(entry.request_body.data) + len(entry.response_body.data) + 512
