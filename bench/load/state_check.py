"""After a run, the namespace's state must still be correct: that makes the figures honest.

The export is imported again into a scratch namespace: the import refuses a state where any pool
holds more than its capacity at its peak, or whose records do not match the vendor's schema.
"""

from __future__ import annotations

from collections import Counter

import httpx2 as httpx


class StateError(AssertionError):
    pass


def check(url: str, namespace: str) -> Counter[str]:
    """Raise StateError unless the namespace's state imports back; count allocations by status."""
    with httpx.Client(base_url=url, timeout=120) as client:
        state = client.get("/_sandbox/state", headers={"X-Sandbox-Namespace": namespace})
        state.raise_for_status()
        scratch = {"X-Sandbox-Namespace": f"{namespace}-check"}
        json_type = {**scratch, "Content-Type": "application/json"}
        again = client.put("/_sandbox/state", content=state.content, headers=json_type)
        client.post("/_sandbox/reset", headers=scratch)
        if again.status_code != 200:
            raise StateError(f"{namespace}: the state does not import back: {again.text[:2000]}")
        return Counter(a["status"] for a in state.json()["inventory"]["allocations"])
