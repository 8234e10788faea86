"""Clusters (the v4 docs' `_clusters.md`, dropped from DOCS-HEAD in 2026-06 while locations
still include `clusters`): `GET /clusters` and `/clusters/{id}` (`include=locations`), from
the fixtures' `clusters` (none by default: an empty list) and the writes of cluster_writes.py.

A location joins a cluster by naming it in its `cluster_ids`; a cluster's `location_ids` are
those locations (catalog_extras.py). Clusters are data only: availability is still counted
per location, not shared across a cluster (docs/vendors/booqable.md).
"""

from __future__ import annotations

from booking_sandbox.vendors.booqable.filters import derived
from booking_sandbox.vendors.booqable.jsonapi import (
    AnyRecord,
    Ref,
    Rel,
    Resource,
    Store,
    register,
)

KIND = "clusters"


def ids_in(name: str, key: str, kind: str, related: str) -> Rel:
    """A to-many held as a list of ids on the record (`cluster_ids`, `location_ids`)."""

    def resolve(store: Store, record: AnyRecord) -> list[Ref]:
        found = (store.find(kind, ident) for ident in record.get(key) or [])
        return [(kind, r) for r in found if r is not None]

    return Rel(name, True, (kind,), resolve, related=related)


# A location's `clusters`, with the link the 2022 docs' locations had.
OF_LOCATION = ids_in(KIND, "cluster_ids", KIND, "clusters?filter[location_id]={id}")

CLUSTERS = Resource(
    KIND,
    ("created_at", "updated_at", "name", "location_ids"),
    (ids_in("locations", "location_ids", "locations", "locations?filter[cluster_id]={id}"),),
    {"id": "uuid", "created_at": "datetime", "updated_at": "datetime", "name": "string"},
    {"location_id": derived("uuid", lambda store, record: record.get("location_ids") or [])},
)
register(CLUSTERS)
