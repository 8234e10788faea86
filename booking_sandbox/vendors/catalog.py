"""What each vendor contributes to a namespace, as data: its pools and its credential bindings.

The engine knows nothing of vendors; this is the seam where a vendor's fixture catalog becomes
engine pools (principle 2: business rules stay in the engine, adapters only translate).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from booking_sandbox.engine import Pool

Document = dict[str, Any]


@dataclass(frozen=True)
class VendorCatalog:
    name: str
    # The fixture section that holds this vendor's catalog (`fixtures/<section>.json`).
    section: str
    pools: Callable[[Document], Iterable[Pool]]
    # credential id -> namespace, from the optional `namespace` of each credential.
    bindings: Callable[[Document], dict[str, str]]
    # Cross-reference problems the JSON Schema cannot see, as (json path, message).
    problems: Callable[[Document], list[tuple[str, str]]]
    # For a state import: problems of the vendor's records (already schema-valid against
    # schemas/state/<name>.schema.json) given its catalog and the allocations by id.
    state_problems: (
        Callable[[Document, Document, dict[str, Document]], list[tuple[str, str]]] | None
    ) = None
    # Called with each new namespace once its pools exist: records the vendor's fixtures imply
    # (Booqable's pre-booked orders). A ValueError means the fixtures cannot be set up.
    prepare: Callable[[Any], None] | None = None


def cross_reference_problems(
    vendors: Sequence[VendorCatalog], catalogs: Mapping[str, Any]
) -> list[tuple[str, str, str]]:
    """(section, json path, message) for every vendor catalog present in `catalogs`."""
    return [
        (vendor.section, path, message)
        for vendor in vendors
        if isinstance(catalogs.get(vendor.section), dict)
        for path, message in vendor.problems(catalogs[vendor.section])
    ]
