"""The request journal of one namespace: a bounded ring of what clients sent and got.

Entries keep the raw bytes (capped) and are rendered, masked, only when someone reads them, so
the hot path pays for a deque append and a few slices. Every kept byte counts against the
namespace's budget, headers included: they are capped too, and a cut shows as cut.
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
# Per header value, and all of one message's headers: a real token or cookie fits, 4 MB does not.
HEADER_VALUE_LIMIT = 8 * 1024
HEADERS_LIMIT = 32 * 1024
HEADER_NAME_LIMIT = 256  # a longer name is not a header anyone sends on purpose: omitted
TEXT_LIMIT = 8 * 1024  # the path and the query string, each
OVERHEAD = 512  # what an entry costs beyond its strings: the objects, the numbers
CUT = "\u2026"  # ends a header value, path or query the journal did not keep whole
Headers = list[tuple[bytes, bytes]]


@dataclass(frozen=True, slots=True)
class Cut:
    """What the caps took out of one message's headers."""

    values: frozenset[int] = frozenset()  # positions of the headers whose value was cut
    omitted: int = 0  # headers not kept at all: past HEADERS_LIMIT, or a name too long


WHOLE = Cut()


def cap_headers(raw: Headers) -> tuple[Headers, Cut, int]:
    """The headers as kept (each value at most HEADER_VALUE_LIMIT, all at most HEADERS_LIMIT),
    what was cut, and the bytes kept."""
    used = 0
    for name, value in raw:
        used += len(name) + len(value)
        if len(name) > HEADER_NAME_LIMIT or len(value) > HEADER_VALUE_LIMIT:
            break
    else:
        if used <= HEADERS_LIMIT:
            return raw, WHOLE, used  # the usual case: kept as they came, no copy
    kept: Headers = []
    cut: set[int] = set()
    omitted = used = 0
    for name, value in raw:
        room = min(HEADER_VALUE_LIMIT, HEADERS_LIMIT - used - len(name))
        if len(name) > HEADER_NAME_LIMIT or room <= 0:
            omitted += 1
            continue
        if len(value) > room:
            value = bytes(value[:room])  # a copy: the whole value is not kept alive
            cut.add(len(kept))
        kept.append((name, value))
        used += len(name) + len(value)
    return kept, Cut(frozenset(cut), omitted), used


def cap_text(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT] + CUT


@dataclass(slots=True)
class Body:
    data: bytes  # at most BODY_LIMIT bytes
    size: int  # the whole body's length

    def to_json(self, raw: Headers, cut: Cut = WHOLE) -> dict[str, Any]:
        headers, truncated_headers = _headers(raw, cut)
        found: dict[str, Any] = {
            "headers": headers,
            "truncated_headers": truncated_headers,
            "omitted_headers": cut.omitted,
        }
        if not self.size:
            found.update(body=None, body_bytes=0, truncated=False, encoding="utf-8")
            return found
        truncated = len(self.data) < self.size
        try:
            # A cut may split a character: an incremental decoder keeps that tail pending.
            text = codecs.getincrementaldecoder("utf-8")().decode(self.data, final=not truncated)
            text, encoding = masking.body(text, headers.get("content-type")), "utf-8"
        except UnicodeDecodeError:
            # Binary (or broken) bytes: masked all the same through latin-1, then base64.
            latin = self.data.decode("latin-1")
            masked = masking.body(latin, headers.get("content-type")).encode("latin-1")
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
    # Set by Journal.append, which caps what it keeps.
    request_cut: Cut = WHOLE
    response_cut: Cut = WHOLE
    weight: int = 0

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
            "request": self.request_body.to_json(self.request_headers, self.request_cut),
            "response": self.response_body.to_json(self.response_headers, self.response_cut),
        }

    def cap(self) -> None:
        """Keep at most the limits, and weigh what is kept."""
        self.request_headers, self.request_cut, sent = cap_headers(self.request_headers)
        self.response_headers, self.response_cut, answered = cap_headers(self.response_headers)
        self.path, self.query = cap_text(self.path), cap_text(self.query)
        self.weight = OVERHEAD + sent + answered + len(self.path) + len(self.query)
        self.weight += len(self.request_body.data) + len(self.response_body.data)


def _headers(raw: Headers, cut: Cut) -> tuple[dict[str, str], list[str]]:
    found: dict[str, list[str]] = {}  # joined at the end: repeated names stay linear
    truncated: list[str] = []
    for i, (name, value) in enumerate(raw):
        key = name.decode("latin-1").lower()
        text = masking.header(key, value.decode("latin-1"))
        if i in cut.values:
            truncated += [] if key in truncated else [key]
            text += "" if masking.is_secret_header(key) else CUT  # (a mask hides the rest)
        found.setdefault(key, []).append(text)
    return {k: ", ".join(v) for k, v in found.items()}, truncated


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
    """At most `size` entries and BYTE_BUDGET bytes kept: the oldest go first."""

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
        entry.cap()
        self.entries.append(entry)
        self.bytes += entry.weight
        while len(self.entries) > self.size or (self.bytes > BYTE_BUDGET and len(self.entries) > 1):
            self.bytes -= self.entries.popleft().weight
            self.dropped += 1

    def select(self, where: RequestFilter) -> Iterator[Entry]:
        return (e for e in list(self.entries) if where.accepts(e))

    def clear(self) -> int:
        count = len(self.entries)
        self.entries.clear()
        self.bytes = 0
        return count
