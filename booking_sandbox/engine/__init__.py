"""The vendor-neutral inventory engine. It imports nothing from HTTP frameworks or vendors."""

from booking_sandbox.engine.errors import (
    AllocationRejected,
    CapacityConflict,
    DomainError,
    HoldExpired,
    InvalidRequest,
    InvalidState,
    InvalidTransition,
    UnknownAllocation,
    UnknownPool,
    UnknownUnit,
)
from booking_sandbox.engine.inventory import Inventory
from booking_sandbox.engine.model import (
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
from booking_sandbox.engine.snapshot import export_inventory, import_inventory

__all__ = [
    "Allocation",
    "AllocationRejected",
    "AllocationReport",
    "Availability",
    "CapacityConflict",
    "DomainError",
    "HoldExpired",
    "Interval",
    "InvalidRequest",
    "InvalidState",
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
    "export_inventory",
    "import_inventory",
]
