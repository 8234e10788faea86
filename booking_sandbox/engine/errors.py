"""Domain errors: a stable code and structured details, never an HTTP status.

Each vendor adapter maps these codes to its own status and envelope, once, in its own table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from booking_sandbox.engine.model import AllocationReport


class DomainError(Exception):
    """Base of every error the engine raises."""

    code: str = "domain_error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details


class UnknownPool(DomainError):
    code = "unknown_pool"


class UnknownAllocation(DomainError):
    code = "unknown_allocation"


class UnknownUnit(DomainError):
    """A named unit (seat, stock item) that the pool does not have."""

    code = "unknown_unit"


class InvalidRequest(DomainError):
    """A request the engine cannot even evaluate (negative quantity, empty interval...)."""

    code = "invalid_request"


class HoldExpired(DomainError):
    """Confirming a hold whose `held_until` has passed on the namespace clock."""

    code = "hold_expired"


class InvalidTransition(DomainError):
    """Confirming or releasing an allocation that is not in a state that allows it."""

    code = "invalid_transition"


class CapacityConflict(DomainError):
    """Shrinking a pool (capacity, limit or units) below what active allocations hold."""

    code = "capacity_conflict"


class InvalidState(DomainError):
    """An imported state that contradicts itself (duplicate ids, overbooked pools...)."""

    code = "invalid_state"


class AllocationRejected(DomainError):
    """A multi-line allocation that did not fit: nothing was taken.

    `report` says, per line, whether it fits, is a warning (within the shortage limit) or is
    blocking, with the numbers a vendor renders (stock count, reserved, needed, shortage).
    """

    code = "allocation_rejected"

    def __init__(self, report: AllocationReport) -> None:
        kind = "blocking" if report.blocking else "warning"
        super().__init__(f"allocation rejected ({kind})", lines=[c.to_json() for c in report.lines])
        self.report = report
