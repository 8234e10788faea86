"""Reads from ready bytes: a server-wide cache of encoded answers, bounded in bytes (LRU).

A vendor read handler that opts in (core/cached_route.py) stores its answer here, keyed by
the namespace object (`serial`), its state version, its clock's moves and what the request
asked (path, query, body, the headers the answer depends on, the caller's identity). A write
bumps the version, a reset or an import makes a new namespace (a new serial), a clock set,
advance or freeze moves the clock: each makes a new key, and the old entries age out of the
LRU. What time alone changes on a running clock is covered by each entry's `fresh_before`,
the namespace-clock instant at which the answer would first differ.

Only bytes live here (status, headers, body): per-request work (authentication, rate limits,
request ids, the QA plane) runs on every request, hit or miss.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from booking_sandbox.core.namespace import Namespace

DEFAULT_LIMIT = 64 * 1024 * 1024  # bytes
_OVERHEAD = 400  # bytes an entry costs besides its body, headers and key text (objects, links)
RawHeaders = tuple[tuple[bytes, bytes], ...]


@dataclass(eq=False, slots=True)
class Answer:
    status: int
    headers: RawHeaders
    body: bytes
    # The namespace-clock instant from which the answer may differ; None: only writes,
    # clock moves, imports and resets change it.
    fresh_before: datetime | None = None
    # What callers derive from the bytes once (an ETag...), by name.
    memo: dict[str, Any] = field(default_factory=dict)
    size: int = 0


class ReadCache:
    """One per server. `limit` bytes at most (0: off)."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = limit
        self.size = 0
        self.hits = self.misses = self.evictions = 0
        self._entries: OrderedDict[Hashable, Answer] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def __len__(self) -> int:
        return len(self._entries)

    @staticmethod
    def full_key(space: Namespace, key: tuple[Hashable, ...]) -> tuple[Hashable, ...]:
        """`key` within the namespace's current state: what makes a cached answer current."""
        return (space.serial, space.version, space.clock.moves, *key)

    def get(self, space: Namespace, key: tuple[Hashable, ...]) -> Answer | None:
        full = self.full_key(space, key)
        found = self._entries.get(full)
        if found is None:
            self.misses += 1
            return None
        if found.fresh_before is not None and space.clock.now() >= found.fresh_before:
            self._drop(full)  # time alone changed it (a running clock)
            self.misses += 1
            return None
        self._entries.move_to_end(full)
        self.hits += 1
        return found

    def put(self, full_key: tuple[Hashable, ...], answer: Answer) -> None:
        """Keep `answer` under a key from `full_key` (taken before the answer was built)."""
        answer.size = (
            len(answer.body)
            + sum(len(k) + len(v) for k, v in answer.headers)
            + sum(len(part) for part in full_key if isinstance(part, str | bytes))
            + _OVERHEAD
        )
        if answer.size > self.limit // 4:
            return  # one answer must not flush the rest
        if full_key in self._entries:
            self._drop(full_key)
        self._entries[full_key] = answer
        self.size += answer.size
        while self.size > self.limit:
            _, oldest = self._entries.popitem(last=False)
            self.size -= oldest.size
            self.evictions += 1

    def clear(self) -> None:
        self._entries.clear()
        self.size = 0

    def _drop(self, full_key: tuple[Hashable, ...]) -> None:
        gone = self._entries.pop(full_key, None)
        if gone is not None:
            self.size -= gone.size
