"""Pont Central records of one namespace, kept JSON-able so state export is exact.

`tokens`: token digest -> {partnerId, expiresAt}, kept by tokens.py; `bookings`: booking number
-> booking, in creation order; `rowSeq`/`tokenSeq`: the vendor's auto-increment ids (booking
rows, tokens).
"""

from __future__ import annotations

from typing import Any

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.vendors.pontcentral.records import Booking

VENDOR = "pontcentral"
Record = dict[str, Any]


def records(space: Namespace) -> Record:
    state = space.state_of(VENDOR)
    if not state:
        state.update({"tokens": {}, "tokenSeq": 0, "bookings": {}, "rowSeq": 0})
    return state


def next_id(space: Namespace, sequence: str) -> int:
    state = records(space)
    state[sequence] += 1
    value: int = state[sequence]
    return value


def bookings(space: Namespace) -> dict[str, Booking]:
    found: dict[str, Booking] = records(space)["bookings"]
    return found
