"""The vendors' hot path: a raw ASGI dispatch in front of Starlette for vendor paths.

Starlette's stack wraps every request in its error middleware, the user middleware, the
exception middleware, the router, `Route.handle`, `request_response` (a Request and an
exception wrapper each) and a second Request: about as much CPU as a whole vendor read. Here a
vendor request makes one `Exchange` (the QA plane, a plain call), which resolves the namespace,
the credential check and the route once; `answer` then calls the route's endpoint with the
exchange's one Request. What the endpoint or the router leaves unanswered is mapped as the
app's exception handlers map it: 404 and 405 to the vendor's `route_error`, a client gone
mid-body to an empty 400. Anything else propagates to the app (`app.SandboxApp`), which answers
the vendor's 500 as Starlette's error middleware would. `tests/test_indexed_router.py` proves
the choice of route, the 404s and the 405s (with `Allow`) equal to Starlette's own.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Sequence

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from booking_sandbox.traffic.middleware import Exchange
from booking_sandbox.vendors import Vendor, owner

log = logging.getLogger("sandbox")
VENDOR_KEY = "sandbox.vendor"  # the vendor that owns the path the client sent


class VendorGate:
    """The innermost app of a vendor request (inside CORS and the vendors' middleware)."""

    def __init__(self, vendors: Sequence[Vendor]) -> None:
        self.vendors = tuple(vendors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # A vendor's middleware may rewrite the path (`.jsonld`); it stays that vendor's.
        vendor = owner(self.vendors, scope["path"]) or scope[VENDOR_KEY]
        await Exchange(scope, receive, send, vendor).run(answer)


async def answer(exchange: Exchange, send: Send) -> None:
    """The routed endpoint's answer, or the vendor's 404/405, as Starlette's stack gives it."""
    request, routed = exchange.request, exchange.routed
    scope, receive = request.scope, request.receive
    route = routed.route
    try:
        if route is None:  # the router's default: HTTPException(404)
            response = exchange.vendor.route_error(request, 404, None)
        elif routed.full and isinstance(route, Route) and _plain(route):
            response = await route.endpoint(request)
        else:  # a 405 (Route.handle raises it with `Allow`), or an ASGI endpoint
            await route.handle(scope, receive, send)
            return
    except HTTPException as exc:
        allow = (exc.headers or {}).get("Allow")
        response = exchange.vendor.route_error(request, exc.status_code, allow)
    except ClientDisconnect:  # nobody to answer, and no bug either (app._client_gone)
        log.info("client disconnected during %s %s", request.method, request.url.path)
        response = Response(status_code=400)
    await response(scope, receive, send)


def _plain(route: Route) -> bool:
    """An endpoint that is an async function: Starlette would wrap it in `request_response`
    and await it with a Request, as `answer` does."""
    return inspect.iscoroutinefunction(route.endpoint)
