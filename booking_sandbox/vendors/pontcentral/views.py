"""Pont Central documents: the key order and formats of the vendor's examples."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from booking_sandbox.vendors.pontcentral.catalog import PontCatalog, Record
from booking_sandbox.vendors.pontcentral.records import Booking, BookingRow

CUSTOMER_SHOWN = ("title", "firstName", "lastName", "phone", "email")


def utc_millis(moment: datetime) -> str:
    """`2026-03-11T14:03:49.757Z`: the token's `expires_at` (a JavaScript `toISOString()`)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def local_millis(moment: datetime, zone: ZoneInfo) -> str:
    """`2026-03-20T10:12:43.000+01:00`: Luxon's `toISO()` in the vendor's zone."""
    return moment.astimezone(zone).isoformat(timespec="milliseconds")


def product(item: Record) -> dict[str, Any]:
    return {
        "id": item["id"],
        "name": item["name"],
        "productCode": item["code"],
        "description": item["description"],
        "prices": {line["label"]: line["price"] for line in item["prices"]},
        "status": "active" if item["active"] else "inactive",
    }


def product_detail(catalog: PontCatalog, item: Record) -> dict[str, Any]:
    shown = product(item)
    shown["resources"] = [
        {
            "id": catalog.resources[link["code"]]["id"],
            "name": catalog.resources[link["code"]]["name"],
            "type": catalog.resources[link["code"]]["type"],
            "isPrimary": link["isPrimary"],
            "sameDay": link["sameDay"],
            "timeOffsetStart": link["timeOffsetStart"],
            "timeOffsetEnd": link["timeOffsetEnd"],
        }
        for link in item["resources"]
    ]
    return shown


def pagination(page: int, limit: int, total: int) -> dict[str, Any]:
    # Lucid's paginator: lastPage is at least 1, even with nothing to show.
    pages = max(1, math.ceil(total / limit))
    return {
        "page": page,
        "limit": limit,
        "total": total,
        "totalPages": pages,
        "hasNextPage": page < pages,
        "hasPreviousPage": page > 1,
    }


def paged(items: Sequence[Any], page: int, limit: int) -> tuple[list[Any], dict[str, Any]]:
    """One page of `items` and the `pagination` block that describes it."""
    return list(items[(page - 1) * limit : page * limit]), pagination(page, limit, len(items))


def _quantities(item: BookingRow) -> list[dict[str, Any]]:
    return [
        {"label": q["label"], "quantity": q["quantity"], "price": q["price"]}
        for q in item["quantities"]
    ]


def _shared(booking: Booking) -> dict[str, Any]:
    return {
        "guests": booking["guests"],
        "payments": booking["payments"],
        "customerNote": booking["customerNote"],
        "resellerReference": booking["resellerReference"],
        "resellerSource": booking["resellerSource"],
        "resellerNote": booking["resellerNote"],
        "status": booking["status"],
    }


def _customer(booking: Booking) -> dict[str, Any]:
    # The responses show five of the nine customer fields (reference §3.5).
    return {key: booking["customer"].get(key) for key in CUSTOMER_SHOWN}


def booking_detail(catalog: PontCatalog, booking: Booking) -> dict[str, Any]:
    """Create, detail and update responses: `resource` per item, no row ids, no timestamps."""
    items = []
    for item in booking["items"]:
        resource = catalog.resources[item["resource"]]
        items.append(
            {
                "productCode": item["productCode"],
                "reservationDate": item["reservationDate"],
                "reservationTime": item["reservationTime"],
                "quantities": _quantities(item),
                "resource": {
                    "code": resource["code"],
                    "name": resource["name"],
                    "type": resource["type"],
                },
            }
        )
    return {
        "bookingNumber": booking["bookingNumber"],
        "items": items,
        **_shared(booking),
        "customer": _customer(booking),
    }


def booking_summary(booking: Booking) -> dict[str, Any]:
    """The list view: customer first, row ids, no `resource`, then the two timestamps."""
    return {
        "bookingNumber": booking["bookingNumber"],
        "customer": _customer(booking),
        "items": [
            {
                "id": item["id"],
                "productCode": item["productCode"],
                "reservationDate": item["reservationDate"],
                "reservationTime": item["reservationTime"],
                "quantities": _quantities(item),
            }
            for item in booking["items"]
        ],
        **_shared(booking),
        "createdAt": booking["createdAt"],
        "updatedAt": booking["updatedAt"],
    }
