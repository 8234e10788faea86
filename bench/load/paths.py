"""The hot paths the load benchmark drives, as data: requests, what one passes to the next.

A path is one request, or a chain where a value cut from one response (a reservation IRI, a
booking number, an order id) goes into the next request: `{}` in a step's path or body is where
it goes. Both load generators (wrk's Lua and the Python client) read these same steps.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx

KORUS_MOMENT = "2025-01-29T07:55:53Z"
PONT_MOMENT = "2026-03-20T10:00:00Z"
BOOQABLE_MOMENT = "2022-01-12T14:03:25Z"

CATALOG = "/v1/ticketing/catalogs/0194abdc-3a71-72b0-a9b9-89d4be0cd73e"
OFFER = f"{CATALOG}/offers/0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8eb0"  # a day ticket, 100 places
OFFER_POOL = "korus:ticket:0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8eb0:"
BOOQABLE = "/api/boomerang"
CHAIR = "69a6ac18-244e-4b1e-b2e1-c88d155b51e5"  # bulk, stock 8
ORDER_ID = "09d04c6d-779b-444e-ab5c-d4567a5a8f72"  # seed 003's reserved order
ITEM = {"items": [{"offer": OFFER, "quantity": 1}]}
CUSTOMER = {"firstname": "Bench", "lastname": "Mark", "email": "bench@example.com"}


def _json(doc: Any) -> str:
    return json.dumps(doc, separators=(",", ":"))


@dataclass(frozen=True)
class Step:
    """One request. `capture` is the text right before the value handed to the next step (the
    value runs to the next `"`); `marker` is text only this step's response contains, so a
    load generator that sees responses out of order can tell whose response it is."""

    method: str
    path: str
    body: str | None = None
    capture: str | None = None
    marker: str | None = None
    # The bare app's route for a path with `{}` in it (Starlette syntax).
    route: str | None = None

    def render(self, value: str | None) -> tuple[str, str | None]:
        if value is None:
            return self.path, self.body
        body = self.body.replace("{}", value, 1) if self.body else None
        return self.path.replace("{}", value, 1), body

    def cut(self, body: str) -> str | None:
        """The value this step's response hands on, or None when `body` is not its response."""
        if self.capture is None or (self.marker is not None and self.marker not in body):
            return None
        at = body.find(self.capture)
        if at < 0:
            return None
        start = at + len(self.capture)
        end = body.find('"', start)
        return body[start:end] if end > 0 else None


Prepare = Callable[[httpx.Client], None]


@dataclass(frozen=True)
class HotPath:
    key: str
    title: str
    steps: tuple[Step, ...]
    # Logs in (headers kept on the client) and prepares the namespace before the run.
    prepare: Prepare
    # The allocation status each answered request leaves one of, when the state check can
    # count them against the load generator's answers (a single-step path).
    each_leaves: str | None = None


def _clock(client: httpx.Client, moment: str) -> None:
    client.put("/_sandbox/clock", json={"now": moment, "frozen": True}).raise_for_status()


def _korus(client: httpx.Client) -> None:
    _clock(client, KORUS_MOMENT)
    korus_login(client)


def korus_login(client: httpx.Client) -> None:
    """A Korus service-account token on the client's headers, at the namespace's clock."""
    token = client.post(
        "/realms/korusticket/protocol/openid-connect/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "demo-client",
            "client_secret": "demo-secret",
        },
    )
    token.raise_for_status()
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"


def _korus_roomy(client: httpx.Client) -> None:
    """Re-seed the offer's pool with room for a whole run: holds and orders stay taken."""
    _korus(client)
    _roomy(client, OFFER_POOL)


def _pontcentral(client: httpx.Client) -> None:
    _clock(client, PONT_MOMENT)
    token = client.post(
        "/api/v1/auth/token", json={"client_id": "demo-partner", "client_secret": "demo-secret"}
    )
    token.raise_for_status()
    client.headers["Authorization"] = f"Bearer {token.json()['data']['access_token']}"


def _pontcentral_roomy(client: httpx.Client) -> None:
    """Pools with room for any number of runs: the bookings in flight when a run stops stay
    confirmed, and in a long soak they would fill the slots (every create then a 409)."""
    _pontcentral(client)
    _roomy(client, "pontcentral:")


def _roomy(client: httpx.Client, prefix: str) -> None:
    """The namespace's pools whose id starts with `prefix` raised to room for any run (state
    export, capacity raised, import)."""
    state = client.get("/_sandbox/state").json()
    for pool in state["inventory"]["pools"]:
        if pool["id"].startswith(prefix):
            pool["capacity"] = 10_000_000
    client.put("/_sandbox/state", json=state).raise_for_status()


def _booqable(client: httpx.Client) -> None:
    """The API key, and its rate limit lifted: the fixtures' 10,000 requests a minute (the
    vendor's 429 after) would cut a run short, and the bare app it is compared with has none."""
    _clock(client, BOOQABLE_MOMENT)
    client.headers["Authorization"] = "Bearer demo-api-key"
    state = client.get("/_sandbox/state").json()
    state["catalogs"]["booqable"]["rate_limit"] = {"limit": 1_000_000_000, "period": 60}
    client.put("/_sandbox/state", json=state).raise_for_status()


RESERVE = Step(
    "POST",
    "/v1/booking/reservations/_bulk",
    _json(ITEM),
    capture='"reservations":[{"@id":"',
    marker='"@type":"CreateReservationBulkOutput"',
)
ORDER = Step(
    "POST",
    "/v1/booking/orders/_bulk",
    # The captured IRI keeps the response's escaped slashes: still the same JSON string.
    '{"reservations":["{}"],"customer":{"firstname":"Bench","lastname":"Mark",'
    '"email":"bench@example.com"}}',
)


def pont_booking(day: int) -> dict[str, Any]:
    """A Pont Central booking for one adult on the Seine cruise, day `day` of April (mod 28)."""
    return {
        "partnerId": 42,
        "items": [
            {
                "productCode": "TOUR-SEINE-CRUISE",
                "reservationDateTime": f"2026-04-{1 + day % 28:02d}T14:00:00",
                "quantities": [{"label": "adult", "quantity": 1, "price": 35}],
            }
        ],
        "customer": {"firstName": "Bench"},
    }


def booqable_doc(kind: str, **attributes: Any) -> dict[str, Any]:
    return {"data": {"type": kind, "attributes": attributes}}


PONT_BOOKING = _json(pont_booking(0))
BOOQABLE_ORDER = _json(
    booqable_doc("orders", starts_at="2030-01-01T09:00:00Z", stops_at="2030-01-01T17:00:00Z")
)
BOOKING = (
    '{"data":{"type":"order_bookings","attributes":{"order_id":"{}","items":'
    f'[{{"type":"products","id":"{CHAIR}","quantity":1}}]}}}}}}'
)

PATHS: tuple[HotPath, ...] = (
    HotPath("korus-reserve", "Korus POST reservations/_bulk", (RESERVE,), _korus_roomy, "held"),
    HotPath(
        "korus-order",
        "Korus POST reservations/_bulk → orders/_bulk",
        (RESERVE, ORDER),
        _korus_roomy,
    ),
    HotPath(
        "korus-availability",
        "Korus GET offer availability",
        (Step("GET", f"{OFFER}/availability"),),
        _korus,
    ),
    HotPath(
        "pont-availabilities",
        "Pont Central POST /availabilities",
        (
            Step(
                "POST",
                "/api/v1/availabilities",
                _json({"productCode": "PROD-001", "startDateTime": "2026-03-25", "quantity": 2}),
            ),
        ),
        _pontcentral,
    ),
    HotPath(
        "pont-create-cancel",
        "Pont Central POST /bookings/create → DELETE",
        (
            Step(
                "POST",
                "/api/v1/bookings/create",
                PONT_BOOKING,
                capture='{"success":true,"booking":{"bookingNumber":"',
            ),
            Step("DELETE", "/api/v1/bookings/{}", route="/api/v1/bookings/{number}"),
        ),
        _pontcentral_roomy,
    ),
    HotPath(
        "booqable-booking",
        "Booqable POST /orders → POST /order_bookings",
        (
            Step(
                "POST",
                f"{BOOQABLE}/orders",
                BOOQABLE_ORDER,
                capture='{"data":{"id":"',
                marker='"type":"orders"',
            ),
            Step("POST", f"{BOOQABLE}/order_bookings", BOOKING),
        ),
        _booqable,
    ),
    HotPath(
        "booqable-orders",
        "Booqable GET /orders?include=lines,plannings",
        (Step("GET", f"{BOOQABLE}/orders?include=lines,plannings"),),
        _booqable,
    ),
)
