"""Pont Central: plain JSON with `success` envelopes (AdonisJS and VineJS underneath)."""

from __future__ import annotations

from typing import Any

from booking_sandbox.vendors.adapter import Secret, Vendor
from booking_sandbox.vendors.pontcentral import magic, pools, qa, retention, routes, scenarios
from booking_sandbox.vendors.pontcentral.state_check import state_problems


def _generate(*args: Any, **kwargs: Any) -> dict[str, Any]:
    # Imported when called: serving never loads faker (the `generate` extra's).
    from booking_sandbox.vendors.pontcentral.generate import stream

    return stream(*args, **kwargs)


VENDOR = Vendor(
    name="pontcentral",
    section="pontcentral",
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
    state_problems=state_problems,
    prune=retention.prune,
    scenarios=scenarios.SCENARIOS,
    magic=magic.MAGIC,
    generate=_generate,
    openapi="pontcentral.openapi.json",
    reads=frozenset({"pontcentral.availabilities"}),  # a POST that only asks
    secrets=(Secret("partners", "clientSecret", key="clientId"),),
)
