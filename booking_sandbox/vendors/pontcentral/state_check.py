"""An imported Pont Central state must name only what its catalog and inventory hold.

Tokens of an older export, kept in clear, are turned into digests here (see tokens.upgrade).
"""

from __future__ import annotations

from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.adapter import Document
from booking_sandbox.vendors.crossref import Problems
from booking_sandbox.vendors.pontcentral import tokens
from booking_sandbox.vendors.pontcentral.records import Booking, IssuedToken


def state_problems(
    records: Document, catalog: Document, allocations: dict[str, Document]
) -> Problems:
    partners = {p["id"] for p in catalog["partners"]}
    products = {p["code"]: p for p in catalog["products"]}
    resources = {r["code"] for r in catalog["resources"]}
    # Valid against schemas/state/pontcentral.schema.json, which describes these records.
    # The import installs these very records: tokens an older export holds in clear are
    # stored by digest from here on, as the sandbox keeps them (tokens.py).
    found: Problems = tokens.upgrade(records)
    issued_tokens: dict[str, IssuedToken] = records["tokens"]
    bookings: dict[str, Booking] = records["bookings"]
    for token, issued in issued_tokens.items():
        if issued["partnerId"] not in partners:
            found.append((f"$.tokens[{token!r}].partnerId", "unknown partner"))
        try:  # RFC 3339 allows instants before year 1 in UTC ("0001-01-01T00:00:00+01:00")
            parse_instant(issued["expiresAt"])
        except ValueError as exc:
            found.append((f"$.tokens[{token!r}].expiresAt", str(exc)))
    rows: set[int] = set()
    claimed: set[str] = set()
    for number, booking in bookings.items():
        path = f"$.bookings.{number}"
        if booking["bookingNumber"] != number:
            found.append((f"{path}.bookingNumber", "differs from the booking's key"))
        if booking["partnerId"] not in partners:
            found.append((f"{path}.partnerId", "unknown partner"))
        for i, row in enumerate(booking["items"]):
            where = f"{path}.items[{i}]"
            product = products.get(row["productCode"])
            if product is None:
                found.append((f"{where}.productCode", "unknown product"))
            elif product["partnerId"] != booking["partnerId"]:
                found.append((f"{where}.productCode", "a product of another partner"))
            if row["resource"] not in resources:
                found.append((f"{where}.resource", "unknown resource"))
            if row["id"] in rows:
                found.append((f"{where}.id", "row id used twice"))
            rows.add(row["id"])
            # What the engine holds must be what the booking says it holds, and only once.
            expected = "released" if booking["status"] == "canceled" else "confirmed"
            for ident in row["allocations"]:
                alloc = allocations.get(ident)
                if alloc is None:
                    found.append((f"{where}.allocations", f"no allocation {ident}"))
                elif ident in claimed:
                    found.append((f"{where}.allocations", f"{ident} is held by another row"))
                elif alloc["owner"] != number or alloc["status"] != expected:
                    found.append(
                        (
                            f"{where}.allocations",
                            f"{ident} must be {expected} and owned by {number}",
                        )
                    )
                claimed.add(ident)
    if rows and max(rows) > records["rowSeq"]:
        found.append(("$.rowSeq", "lower than a row id: the next booking would reuse it"))
    return found
