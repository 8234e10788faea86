"""Korus Ticket: JSON-LD / Hydra (API Platform 4) behind Keycloak, with a signed-URL host."""

from __future__ import annotations

from typing import Any

from starlette.middleware import Middleware

from booking_sandbox.vendors.adapter import Secret, Vendor
from booking_sandbox.vendors.korus import magic, pools, qa, retention, routes, scenarios
from booking_sandbox.vendors.korus.state_check import state_problems


def _generate(*args: Any, **kwargs: Any) -> dict[str, Any]:
    # Imported when called: serving never loads faker (the `generate` extra's).
    from booking_sandbox.vendors.korus.generate import stream

    return stream(*args, **kwargs)


VENDOR = Vendor(
    name="korus",
    section="korus",
    owns=routes.owns,
    routes=routes.routes,
    pools=pools.pools,
    describe_pools=pools.describe_pools,
    bindings=pools.bindings,
    problems=pools.problems,
    namespace_hint=qa.namespace_hint,
    fault_response=qa.fault_response,
    route_error=routes.route_error,
    server_error=routes.server_error,
    # `{._format}`: the QA plane then sees the route the router will pick.
    middleware=(Middleware(routes.FormatSuffix),),
    state_problems=state_problems,
    prune=retention.prune,
    scenarios=scenarios.SCENARIOS,
    magic=magic.MAGIC,
    generate=_generate,
    openapi="korus.openapi.json",
    secrets=(Secret("serviceAccounts", "clientSecret", key="clientId"),),
)
