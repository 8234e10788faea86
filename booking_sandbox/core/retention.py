"""Retention of finished records: how many a namespace keeps, and what it has pruned.

A record is finished when no client action can bring it back to life (a Korus reservation
whose hold expired or was released, a cancelled order, a cancelled Pont Central booking, a
canceled Booqable order, not an archived one, which can be reverted); each vendor says which
of its records are, and prunes them itself (the `prune` hook of its `Vendor`). Live records
are never pruned.

The policy keeps the `keep` most recent finished records of each vendor and kind per
namespace (None: every record, as before the policy). A pass runs every `every` writes of the
namespace (from `Namespace.changed`, never on a read), so between passes at most `every`
more finished records pile up: memory stays within `keep + every` finished records per kind
plus the live ones, at an amortised cost per write of (records held) / `every`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # (namespace.py imports this module)
    from booking_sandbox.core.namespace import Namespace

DEFAULT_KEEP = 10_000
# Prune the finished records of `space` beyond the `keep` most recent of each kind; answer how
# many of each kind went (engine allocations counted as `allocations`).
Pruner = Callable[["Namespace", int], dict[str, int]]


@dataclass(frozen=True)
class RetentionPolicy:
    keep: int | None = DEFAULT_KEEP  # None: keep every finished record

    @property
    def every(self) -> int:
        """Writes between two passes: a quarter of `keep`, so a pass's walk over the records
        costs O(1) per write amortised, and at least 64, so a small `keep` does not make
        every write walk them."""
        return max(64, (self.keep or 0) // 4)

    def to_json(self) -> dict[str, Any]:
        return {"retain_finished": "all" if self.keep is None else self.keep}


def parse_keep(value: str) -> int | None:
    """`--retain-finished`'s value: a count >= 0, or `all` (None) to keep every record."""
    if value.strip().lower() == "all":
        return None
    keep = int(value)  # (ValueError: said by the caller)
    if keep < 0:
        raise ValueError(f"a count >= 0 or `all`: {value}")
    return keep


@dataclass
class Retention:
    """One namespace's side of the policy: its pruners, the writes since the last pass, and
    the counts pruned so far (exported, and imported back, under `pruned`)."""

    policy: RetentionPolicy
    pruners: Sequence[tuple[str, Pruner]] = ()
    writes: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def wrote(self, space: Namespace) -> None:
        """A write happened: every `every` writes, one pass."""
        if self.policy.keep is None or not self.pruners:
            return
        self.writes += 1
        if self.writes >= self.policy.every:
            self.run(space)

    def run(self, space: Namespace) -> None:
        """One pass now (tests, and `wrote`)."""
        self.writes = 0
        keep = self.policy.keep
        if keep is None:
            return
        for vendor, prune in self.pruners:
            for kind, count in prune(space, keep).items():
                if count:
                    mine = self.counts.setdefault(vendor, {})
                    mine[kind] = mine.get(kind, 0) + count

    def to_json(self) -> dict[str, Any] | None:
        """The export's `pruned` object, or None while nothing was ever pruned (an export
        then stays exactly what it was before the policy existed)."""
        if not self.counts:
            return None
        return {"policy": self.policy.to_json(), "counts": self.counts}

    def load_json(self, data: Mapping[str, Any] | None) -> None:
        """Counts from an imported `pruned` (its policy is the exporter's: this server's
        own applies from now on)."""
        counts = (data or {}).get("counts", {})
        self.counts = {v: {k: int(n) for k, n in kinds.items()} for v, kinds in counts.items()}


def beyond_recent(records: dict[str, Any], finished: Callable[[Any], bool], keep: int) -> list[str]:
    """Keys of the finished records older than the `keep` most recent finished ones, oldest
    last (a records table is in creation order: walked from its newest end)."""
    seen = 0
    older: list[str] = []
    for key in reversed(records):
        if finished(records[key]):
            seen += 1
            if seen > keep:
                older.append(key)
    return older
