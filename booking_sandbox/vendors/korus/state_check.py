"""An imported Korus state must name only what its catalog and inventory hold, consistently."""

from __future__ import annotations

from booking_sandbox.vendors.adapter import Document
from booking_sandbox.vendors.crossref import Problems
from booking_sandbox.vendors.korus.records import Order, Reservation


def state_problems(
    records: Document, catalog: Document, allocations: dict[str, Document]
) -> Problems:
    catalogs = {c["id"]: c for c in catalog["catalogs"]}
    # Valid against schemas/state/korus.schema.json, which describes these records.
    reservations: dict[str, Reservation] = records["reservations"]
    orders: dict[str, Order] = records["orders"]
    found: Problems = []
    claimed: dict[str, str] = {}  # allocation -> the reservation holding it
    for key, reservation in reservations.items():
        path = f"$.reservations.{key}"
        if reservation["id"] != key:
            found.append((f"{path}.id", "differs from the reservation's key"))
        owner = catalogs.get(reservation["catalog"])
        if owner is None or owner["organization"] != reservation["organization"]:
            found.append((f"{path}.catalog", "not a catalog of the reservation's organization"))
            continue
        offers = {o["id"]: o for o in owner["offers"]}
        order = orders.get(reservation["order"]) if reservation["order"] else None
        if reservation["order"] and order is None:
            found.append((f"{path}.order", "no such order"))
        for i, item in enumerate(reservation["items"]):
            offer = offers.get(item["offer"])
            if offer is None:
                found.append((f"{path}.items[{i}].offer", "not an offer of the catalog"))
                continue
            tickets = {t["id"]: t for t in offer["tickets"]}
            for j, held in enumerate(item["tickets"]):
                where = f"{path}.items[{i}].tickets[{j}]"
                ticket = tickets.get(held["ticket"])
                if ticket is None:
                    found.append((f"{where}.ticket", "not a ticket of the offer"))
                elif held["session"] and held["session"] not in {
                    s["id"] for s in ticket["sessions"]
                }:
                    found.append((f"{where}.session", "not a session of the ticket"))
                found += _allocation(where, held["allocation"], key, allocations, claimed)
                alloc = allocations.get(held["allocation"])
                if alloc is not None:
                    expected = _statuses(reservation, order)
                    if alloc["status"] not in expected:
                        found.append(
                            (f"{where}.allocation", f"must be {' or '.join(sorted(expected))}")
                        )
    for key, order in orders.items():
        ordered = reservations.get(order["reservation"])
        if order["id"] != key:
            found.append((f"$.orders.{key}.id", "differs from the order's key"))
        if ordered is None or ordered["order"] != key:
            found.append((f"$.orders.{key}.reservation", "no reservation ordered as this order"))
            continue
        holds = {t["allocation"] for i in ordered["items"] for t in i["tickets"]}
        for i, order_item in enumerate(order["items"]):
            for j, ticket in enumerate(order_item["tickets"]):
                if ticket["allocation"] not in holds:
                    found.append(
                        (
                            f"$.orders.{key}.items[{i}].tickets[{j}].allocation",
                            "not an allocation of the order's reservation",
                        )
                    )
    return found


def _statuses(reservation: Reservation, order: Order | None) -> set[str]:
    if order is not None:
        return {"released"} if order["status"] == "cancelled" else {"confirmed"}
    if reservation["cancelled"]:
        return {"released"}
    return {"held", "expired"}  # a live or expired hold; only a release or an order changes that


def _allocation(
    where: str, ident: str, owner: str, allocations: dict[str, Document], claimed: dict[str, str]
) -> Problems:
    alloc = allocations.get(ident)
    if alloc is None:
        return [(f"{where}.allocation", f"no allocation {ident}")]
    if alloc["owner"] != owner:
        return [(f"{where}.allocation", f"{ident} is owned by {alloc['owner']}")]
    if claimed.setdefault(ident, where) != where:
        return [(f"{where}.allocation", f"{ident} is held twice")]
    return []
