"""The QA plane's own state: fault rules and journals per namespace name, and the metrics.

Kept here, keyed by name, rather than inside `Namespace`: the core knows nothing of QA. A state
import replaces a namespace's booking state but not the faults and journal QA set up for it;
a reset drops both. A journal may exist for a name whose namespace does not (yet): a refused
request (a 401 for a bad token) creates no namespace, but a test that asks next must find it.
"""

from __future__ import annotations

import random
from collections import OrderedDict
from collections.abc import Sequence

from starlette.requests import Request

from booking_sandbox.core.namespaces import Namespaces
from booking_sandbox.traffic.faults import FaultBook
from booking_sandbox.traffic.journal import Journal
from booking_sandbox.traffic.metrics import Metrics

# Journals kept for names that have no namespace, past which the oldest is dropped.
MAX_ORPHANS = 100


class QaPlane:
    def __init__(
        self, namespaces: Namespaces, vendors: Sequence[str], *, seed: int, journal_size: int
    ) -> None:
        self.namespaces = namespaces
        self.vendors = tuple(vendors)  # the vendors' names, for rules, filters and metrics
        self.seed = seed
        self.journal_size = journal_size
        self.metrics = Metrics(self.vendors)
        self._faults: dict[str, FaultBook] = {}
        self._journals: OrderedDict[str, Journal] = OrderedDict()

    def faults(self, name: str) -> FaultBook:
        book = self._faults.get(name)
        if book is None:
            # Its own generator: fault draws never shift the namespace's id sequence.
            book = self._faults[name] = FaultBook(random.Random(f"{self.seed}:{name}:faults"))
        return book

    def faults_if_any(self, name: str) -> FaultBook | None:
        """The rules of `name` without creating a book (the hot path's question)."""
        return self._faults.get(name)

    def journal(self, name: str) -> Journal:
        journal = self._journals.get(name)
        if journal is None:
            journal = self._journals[name] = Journal(self.journal_size)
            self._bound_orphans()
        return journal

    def drop(self, name: str) -> None:
        """A reset: the namespace's rules and journal go with it."""
        self._faults.pop(name, None)
        self._journals.pop(name, None)

    def drop_all(self) -> None:
        self._faults.clear()
        self._journals.clear()

    def _bound_orphans(self) -> None:
        orphans = [n for n in self._journals if self.namespaces.peek(n) is None]
        for name in orphans[: max(0, len(orphans) - MAX_ORPHANS)]:  # the oldest first
            del self._journals[name]


def plane_of(request: Request) -> QaPlane:
    plane: QaPlane = request.app.state.qa
    return plane
