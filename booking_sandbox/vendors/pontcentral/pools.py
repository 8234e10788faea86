"""Pont Central catalog -> engine pools: one per resource, allocated over time.

A booking takes, from every resource linked to the product, the quantity over
[slot + timeOffsetStart, slot + timeOffsetEnd), so products that share a resource conflict.
"""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from booking_sandbox.engine import Pool
from booking_sandbox.vendors.adapter import Document, PoolInfo
from booking_sandbox.vendors.crossref import Problems, resolves, unique


def resource_pool(code: str) -> str:
    return f"pontcentral:resource:{code}"


def pools(doc: Document) -> Iterator[Pool]:
    for resource in doc["resources"]:
        yield Pool(resource_pool(resource["code"]), resource["capacity"])


def describe_pools(doc: Document) -> Iterator[PoolInfo]:
    """`pools()` as the inventory overview names them; bookings take them over time slots."""
    for resource in doc["resources"]:
        label = f"{resource['name']} ({resource['code']})"
        yield PoolInfo(resource_pool(resource["code"]), "resource", label, timed=True)


def bindings(doc: Document) -> dict[str, str]:
    return {p["clientId"]: p["namespace"] for p in doc["partners"] if p.get("namespace")}


def problems(doc: Document) -> Problems:
    partners = {p["id"] for p in doc["partners"]}
    resources = {r["code"] for r in doc["resources"]}
    found: Problems = []
    found += unique(
        ((f"$.partners[{i}]", p["id"]) for i, p in enumerate(doc["partners"])), "partner id"
    )
    found += unique(
        ((f"$.partners[{i}]", p["clientId"]) for i, p in enumerate(doc["partners"])), "clientId"
    )
    found += unique(
        ((f"$.resources[{i}]", r["code"]) for i, r in enumerate(doc["resources"])), "resource code"
    )
    found += unique(
        ((f"$.products[{i}]", p["code"]) for i, p in enumerate(doc["products"])), "product code"
    )
    for i, product in enumerate(doc["products"]):
        path = f"$.products[{i}]"
        found += resolves([(f"{path}.partnerId", product["partnerId"])], partners, "partner")
        links = product["resources"]
        found += resolves(
            ((f"{path}.resources[{r}].code", link["code"]) for r, link in enumerate(links)),
            resources,
            "resource",
        )
        for r, link in enumerate(links):
            if link["timeOffsetEnd"] <= link["timeOffsetStart"]:
                found.append(
                    (f"{path}.resources[{r}]", "timeOffsetEnd must be after timeOffsetStart")
                )
        schedule = product["schedule"]
        if schedule["endDate"] < schedule["startDate"]:
            found.append((f"{path}.schedule", "endDate is before startDate"))
        if product["allDay"] != (not schedule["times"]):
            found.append((f"{path}.schedule.times", "must be empty exactly when allDay is true"))
        if sum(1 for link in links if link["isPrimary"]) != 1:
            found.append((f"{path}.resources", "exactly one resource must be isPrimary"))
        try:
            ZoneInfo(product["timezone"])
        except (ValueError, ZoneInfoNotFoundError):
            found.append((f"{path}.timezone", f"unknown IANA time zone {product['timezone']!r}"))
    return found
