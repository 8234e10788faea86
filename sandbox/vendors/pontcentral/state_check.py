"""An imported Pont Central state must name only what its catalog and inventory hold."""

from __future__ import annotations

from sandbox.vendors.catalog import Document
from sandbox.vendors.crossref import Problems


def state_problems(records: Document, catalog: Document, allocations: set[str]) -> Problems:
    partners = {p["id"] for p in catalog["partners"]}
    products = {p["code"]: p for p in catalog["products"]}
    resources = {r["code"] for r in catalog["resources"]}
    found: Problems = []
    for token, issued in records["tokens"].items():
        if issued["partnerId"] not in partners:
            found.append((f"$.tokens[{token!r}].partnerId", "unknown partner"))
    rows: set[int] = set()
    for number, booking in records["bookings"].items():
        path = f"$.bookings.{number}"
        if booking["bookingNumber"] != number:
            found.append((f"{path}.bookingNumber", "differs from the booking's key"))
        if booking["partnerId"] not in partners:
            found.append((f"{path}.partnerId", "unknown partner"))
        for i, row in enumerate(booking["items"]):
            where = f"{path}.items[{i}]"
            if row["productCode"] not in products:
                found.append((f"{where}.productCode", "unknown product"))
            if row["resource"] not in resources:
                found.append((f"{where}.resource", "unknown resource"))
            if row["id"] in rows:
                found.append((f"{where}.id", "row id used twice"))
            rows.add(row["id"])
            found += [
                (f"{where}.allocations", f"no allocation {a} in the inventory")
                for a in row["allocations"]
                if a not in allocations
            ]
    if rows and max(rows) > records["rowSeq"]:
        found.append(("$.rowSeq", "lower than a row id: the next booking would reuse it"))
    return found
