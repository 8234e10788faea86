"""Booqable Boomerang: JSON:API (Graphiti) under `/api/boomerang` and `/api/4`."""

from __future__ import annotations

from typing import Any

from booking_sandbox.vendors.adapter import Secret, Vendor
from booking_sandbox.vendors.booqable import (
    magic,
    pools,
    qa,
    retention,
    routes,
    scenarios,
    search,
    seeding,
)
from booking_sandbox.vendors.booqable.state_check import state_problems


def _generate(*args: Any, **kwargs: Any) -> dict[str, Any]:
    # Imported when called: serving never loads faker (the `generate` extra's).
    from booking_sandbox.vendors.booqable.generate import stream

    return stream(*args, **kwargs)


VENDOR = Vendor(
    name="booqable",
    section="booqable",
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
    prepare=seeding.prepare,
    prune=retention.prune,
    scenarios=scenarios.SCENARIOS,
    magic=magic.MAGIC,
    generate=_generate,
    openapi="booqable.openapi.json",
    # The advanced searches: a list whose query rides in a POST body.
    reads=frozenset(
        {*(f"booqable.{kind}.search" for kind in search.SEARCHABLE), "booqable.items.search"}
    ),
    secrets=(
        Secret("api_keys", "key"),
        Secret("authentication_methods", "key", key="id"),  # HS256 shared secrets
        Secret("oauth_clients", "client_secret", key="client_id"),
        Secret("oauth_clients", "authorization_code", key="client_id"),
    ),
)
