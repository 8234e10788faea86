"""The core of one running sandbox, reachable from every request: what the vendors may use."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from starlette.requests import Request

from booking_sandbox.core.fixtures import FixtureSet
from booking_sandbox.core.namespaces import Namespaces
from booking_sandbox.core.settings import Settings


@dataclass
class Sandbox:
    settings: Settings
    fixtures: FixtureSet
    namespaces: Namespaces
    # This server's own key, for what must not be derivable from a state export or the seed
    # (the seeded generators' states are exported): made anew at each start.
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)


def sandbox_of(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox
