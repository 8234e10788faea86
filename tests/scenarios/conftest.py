"""Applying scenarios, and reading what they did back through each vendor's own API."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api

NAMES = (  # those that apply with their defaults, in the vendor registry's order
    "korus-sold-out",
    "korus-expiring-reservation",
    "pontcentral-last-place",
    "booqable-shortage-limit",
)
# Vendor-side events: they name the record they act on (a required parameter).
EVENTS = ("korus-order-cancelled", "korus-reservation-released")
LISTED = (*NAMES[:2], *EVENTS, *NAMES[2:])  # GET /_sandbox/scenarios, in the registry's order


def apply(api: Api, name: str, **params: Any) -> dict[str, Any]:
    """POST /_sandbox/scenarios/{name}; the `applied` part of a 200."""
    response = api.post(f"/_sandbox/scenarios/{name}", json=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["scenario"] == name
    assert body["namespace"] == api.namespace
    applied: dict[str, Any] = body["applied"]
    return applied


def refused(api: Api, name: str, body: Any, status: int, code: str) -> dict[str, Any]:
    response = api.post(f"/_sandbox/scenarios/{name}", json=body)
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code, error
    return error


def records(api: Api) -> dict[str, Any]:
    """What a refused scenario must not have touched: vendor records, allocations, ids."""
    state = api.get("/_sandbox/state").json()
    return {key: state[key] for key in ("vendors", "inventory", "ids")}
