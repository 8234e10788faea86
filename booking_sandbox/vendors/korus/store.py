"""Korus records of one namespace (reservations, orders), JSON-able so state export is exact,
and the lookups the endpoints share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.vendors.korus.records import Order, Reservation
from booking_sandbox.vendors.korus.wire import not_found

VENDOR = "korus"
Record = dict[str, Any]
# Any record with string keys: a reservation, an order, one of their items, a catalog...
R = TypeVar("R", bound=Mapping[str, Any])


def records(space: Namespace) -> Record:
    state = space.state_of(VENDOR)
    if not state:
        state.update({"reservations": {}, "orders": {}})
    return state


def reservations(space: Namespace) -> dict[str, Reservation]:
    found: dict[str, Reservation] = records(space)["reservations"]
    return found


def orders(space: Namespace) -> dict[str, Order]:
    found: dict[str, Order] = records(space)["orders"]
    return found


def by_id(items: Iterable[R], ident: str) -> R:
    """The record with id `ident` among `items` (an order's items, a ticket's sessions...), else
    404."""
    for item in items:
        if item["id"] == ident:
            return item
    raise not_found()


def owned(store: Mapping[str, R], ident: str, organization: str) -> R:
    """A reservation, order or catalog of the caller's organization; another's is a 404."""
    found = store.get(ident)
    if found is None or found["organization"] != organization:
        raise not_found()
    return found


def allocation_ids(record: Reservation | Order) -> list[str]:
    """The engine allocations a reservation or an order holds, one per held ticket line."""
    return [t["allocation"] for item in record["items"] for t in item["tickets"]]
