"""Domain errors -> Pont Central's statuses and codes: the one table for this vendor."""

from __future__ import annotations

from booking_sandbox.core.namespace import NamespaceError, TooManyNamespaces
from booking_sandbox.engine.errors import AllocationRejected, DomainError
from booking_sandbox.vendors.pontcentral.wire import PontError

SLOT_UNAVAILABLE = "Resource not available for requested slot"


def conflict() -> PontError:
    return PontError(409, "CONFLICT", SLOT_UNAVAILABLE)


def from_domain(exc: Exception) -> PontError:
    if isinstance(exc, AllocationRejected):
        return conflict()
    if isinstance(exc, TooManyNamespaces):
        # A sandbox limit, not a vendor behaviour: 429 as on /_sandbox, in the vendor's envelope.
        return PontError(429, "TOO_MANY_REQUESTS", str(exc))
    if isinstance(exc, NamespaceError):
        return PontError(400, "INVALID_REQUEST", str(exc))
    if isinstance(exc, DomainError):
        # Every other domain error is a sandbox bug here (the adapter checked its inputs):
        # answer like the vendor's 500 rather than leak a traceback.
        return PontError(500, "INTERNAL_SERVER_ERROR", "Server error")
    raise exc
