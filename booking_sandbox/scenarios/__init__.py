"""Named scenarios: presets applied to a namespace with `POST /_sandbox/scenarios/{name}`.

Each is a short sequence of real vendor requests made in-process (inprocess.py), so what it
leaves are the vendor's own records: visible through the vendor API, exported and imported with
the namespace's state like any other.
"""

from __future__ import annotations

from booking_sandbox.scenarios import booqable, korus, pontcentral
from booking_sandbox.scenarios.base import Context, Params, Scenario

SCENARIOS: dict[str, Scenario] = {
    s.name: s for s in (*korus.SCENARIOS, *booqable.SCENARIOS, *pontcentral.SCENARIOS)
}

__all__ = ["SCENARIOS", "Context", "Params", "Scenario"]
