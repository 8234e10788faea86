"""Pont Central's retention hook (core/retention.py): a cancelled booking is finished (no
endpoint changes a `canceled` booking again: update and cancel answer 409), and is pruned with
every engine allocation its number owns (those of its rows, and those an update replaced).

A pruned booking number answers as one never issued: detail and update 404 "Booking not
found", cancel 404 "No bookings found for the given booking number". Issued tokens need no
policy: they are dropped once expired (tokens.py).
"""

from __future__ import annotations

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.core.retention import beyond_recent
from booking_sandbox.vendors.pontcentral.records import Booking
from booking_sandbox.vendors.pontcentral.state import VENDOR


def prune(space: Namespace, keep: int) -> dict[str, int]:
    state = space.vendor_state.get(VENDOR)
    if not state:
        return {}
    bookings: dict[str, Booking] = state["bookings"]
    inventory = space.inventory
    now = inventory.now()
    counts = {"bookings": 0, "allocations": 0}

    def finished(booking: Booking) -> bool:
        if booking["status"] != "canceled":
            return False
        return not inventory.holds_active(booking["bookingNumber"], now)

    for number in beyond_recent(bookings, finished, keep):
        del bookings[number]
        counts["bookings"] += 1
        counts["allocations"] += inventory.forget_owner(number)
    return counts
