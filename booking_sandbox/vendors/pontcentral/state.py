"""Pont Central records of one namespace, kept JSON-able so state export is exact.

`tokens`: access token -> {partnerId, expiresAt}; `bookings`: booking number -> booking, in
creation order; `rowSeq`/`tokenSeq`: the vendor's auto-increment ids (booking rows, tokens).
"""

from __future__ import annotations

from typing import Any

from booking_sandbox.core.namespaces import Namespace
from booking_sandbox.vendors.pontcentral.records import Booking, IssuedToken

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


def tokens(space: Namespace) -> dict[str, IssuedToken]:
    found: dict[str, IssuedToken] = records(space)["tokens"]
    return found


def token(space: Namespace, token: str) -> IssuedToken | None:
    """The issued token, without creating any state."""
    found: IssuedToken | None = space.vendor_state.get(VENDOR, {}).get("tokens", {}).get(token)
    return found


def bookings(space: Namespace) -> dict[str, Booking]:
    found: dict[str, Booking] = records(space)["bookings"]
    return found
