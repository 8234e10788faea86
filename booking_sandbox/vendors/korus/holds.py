"""Whether a reservation still holds its stock: the engine's word, read on the namespace clock."""

from __future__ import annotations

from collections.abc import Sequence

from booking_sandbox.engine import Allocation, Status
from booking_sandbox.vendors.korus import store
from booking_sandbox.vendors.korus.http import Call
from booking_sandbox.vendors.korus.records import Reservation


def is_expired(
    call: Call, reservation: Reservation, allocations: Sequence[Allocation] | None = None
) -> bool:
    """The engine's word: a hold is live up to and including expiresAt, and one that was seen
    expired stays expired if the clock goes back. An ordered or released one is not expired.

    `allocations`: the reservation's, as the engine just answered them (no lookup again)."""
    if reservation["order"] is not None or reservation["cancelled"]:
        return False
    if allocations is not None:
        return any(a.effective_status(call.now) is Status.EXPIRED for a in allocations)
    return Status.EXPIRED in _statuses(call, reservation)


def released(call: Call, reservation: Reservation) -> bool:
    """No longer holding stock: expired, or released early (cancellation.py), not ordered."""
    if reservation["order"] is not None:
        return False
    return bool(_statuses(call, reservation) & {Status.EXPIRED, Status.RELEASED})


def _statuses(call: Call, reservation: Reservation) -> set[Status]:
    return {
        call.space.inventory.allocation(a).effective_status(call.now)
        for a in store.allocation_ids(reservation)
    }
