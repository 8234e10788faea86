"""The vendor-neutral inventory engine. It imports nothing from HTTP frameworks or vendors."""

from sandbox.engine.errors import (
    AllocationRejected,
    DomainError,
    HoldExpired,
    InvalidRequest,
    InvalidTransition,
    UnknownAllocation,
    UnknownPool,
    UnknownUnit,
)
from sandbox.engine.inventory import Inventory
from sandbox.engine.model import (
    Allocation,
    AllocationReport,
    Availability,
    Interval,
    Line,
    LineCheck,
    Pool,
    Status,
    Verdict,
)

__all__ = [
    "Allocation",
    "AllocationRejected",
    "AllocationReport",
    "Availability",
    "DomainError",
    "HoldExpired",
    "Interval",
    "InvalidRequest",
    "InvalidTransition",
    "Inventory",
    "Line",
    "LineCheck",
    "Pool",
    "Status",
    "UnknownAllocation",
    "UnknownPool",
    "UnknownUnit",
    "Verdict",
]
