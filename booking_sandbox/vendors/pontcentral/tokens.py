"""Issued access tokens: kept by digest, dropped once expired, at a constant cost per issuance.

The table (`tokens` in the vendor state, in issue order) is keyed by `sha256:<hex>` of each
token, never by the token: a state export then holds nothing a reader could replay, and stays
exact, since an import keeps the digests and a presented token is hashed to look it up.
(Tokens stay reproducible from the server's seed, as every id is: the digest keeps an export
from being replayed, not the seed's owner from issuing the same tokens again.)

Expiry is kept in order beside the table, in the namespace's `derived` indexes (never
exported, rebuilt from the table when missing), so each issuance drops the expired tokens at
the front without walking the others: O(1) amortised while the sandbox clock goes forward,
O(log n) for tokens issued after it was set back.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.pontcentral import state
from booking_sandbox.vendors.pontcentral.records import IssuedToken

DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_INDEX = "pontcentral.token_expiry"  # key in `space.derived`

Table = dict[str, IssuedToken]


def key_of(token: str) -> str:
    """What the state keeps of `token`."""
    return "sha256:" + hashlib.sha256(token.encode()).hexdigest()


def issued(space: Namespace, key: str) -> IssuedToken | None:
    """The token of digest `key`, expired or not, without creating any state."""
    found: IssuedToken | None = space.vendor_state.get(state.VENDOR, {}).get("tokens", {}).get(key)
    return found


def add(space: Namespace, token: str, record: IssuedToken, now: datetime) -> None:
    """Store a new token and forget those expired at `now`: O(1) amortised."""
    table: Table = state.records(space)["tokens"]
    index = _index(space, table)
    index.drop_expired(now)
    key = key_of(token)
    entry = (parse_instant(record["expiresAt"]), key)  # as authentication reads it
    if not index.ordered or index.ordered[-1] <= entry:
        index.ordered.append(entry)
    else:  # the clock was set back since a token that outlives this one
        heapq.heappush(index.others, entry)
    table[key] = record


def upgrade(records: dict[str, Any]) -> list[tuple[str, str]]:
    """An imported table in digest form, in place; problems of tokens given twice.

    States exported before tokens were kept by digest hold them in clear: each key that is not
    a digest is taken as a token and replaced by its digest, so it authenticates as before.
    """
    table: Table = records["tokens"]
    if all(DIGEST.fullmatch(key) for key in table):
        return []
    upgraded: Table = {}
    problems = []
    for key, record in table.items():
        digest = key if DIGEST.fullmatch(key) else key_of(key)
        if digest in upgraded:
            problems.append((f"$.tokens[{key!r}]", "the same token twice (in clear and digest)"))
        upgraded[digest] = record
    records["tokens"] = upgraded
    return problems


Entry = tuple[datetime, str]  # (expiry, key)


@dataclass
class _Expiry:
    """The keys of a table by expiry, soonest first."""

    table: Table  # the table indexed: a state that holds another one gets a new index
    # Issued while the clock only goes forward, tokens come in expiry order: a queue.
    ordered: deque[Entry]
    # Those that expire before an earlier one (the clock was set back): a heap.
    others: list[Entry] = field(default_factory=list)

    def drop_expired(self, now: datetime) -> None:
        for expired in self._expired(now):
            old = self.table.get(expired)
            # Checked against the table, so a stale entry can never drop a live token.
            if old is not None and parse_instant(old["expiresAt"]) < now:
                del self.table[expired]

    def _expired(self, now: datetime) -> Iterator[str]:
        while self.ordered and self.ordered[0][0] < now:
            yield self.ordered.popleft()[1]
        while self.others and self.others[0][0] < now:
            yield heapq.heappop(self.others)[1]


def _index(space: Namespace, table: Table) -> _Expiry:
    index = space.derived.get(_INDEX)
    if not isinstance(index, _Expiry) or index.table is not table:
        # Once per namespace (fresh, reset or imported): an imported table may be in any order.
        order = sorted((parse_instant(r["expiresAt"]), key) for key, r in table.items())
        index = space.derived[_INDEX] = _Expiry(table, deque(order))
    return index
