"""The namespace's Korus catalog, indexed by the keys requests use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.vendors.korus.store import owned
from booking_sandbox.vendors.korus.wire import KorusError

SECTION = "korus"
Record = dict[str, Any]


@dataclass(frozen=True)
class KorusCatalog:
    organizations: dict[str, Record]
    catalogs: dict[str, Record]
    # session id -> its seat map, seat number -> seat, in seat-map order
    seats: dict[str, dict[str, Record]]

    def catalogs_of(self, organization: str) -> list[Record]:
        return [c for c in self.catalogs.values() if c["organization"] == organization]

    def own_catalog(self, organization: str, catalog_id: str) -> Record:
        """Another organization's catalog does not exist for the caller: 404, as API Platform."""
        return owned(self.catalogs, catalog_id, organization)


def catalog_of(space: Namespace) -> KorusCatalog:
    doc = space.catalogs.get(SECTION)
    if not isinstance(doc, dict):
        raise KorusError(404, "No Korus catalog in this sandbox's fixtures")
    return space.derive(SECTION, SECTION, lambda: _index(doc))


def _index(doc: Record) -> KorusCatalog:
    return KorusCatalog(
        organizations={o["id"]: o for o in doc["organizations"]},
        catalogs={c["id"]: c for c in doc["catalogs"]},
        seats={
            session["id"]: {seat["seatNumber"]: seat for seat in session["seats"]}
            for catalog in doc["catalogs"]
            for offer in catalog["offers"]
            for ticket in offer["tickets"]
            for session in ticket["sessions"]
        },
    )
