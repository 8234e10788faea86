"""The core of one running sandbox, reachable from every request: what the vendors may use."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from booking_sandbox.core.fixtures import FixtureSet
from booking_sandbox.core.namespaces import Namespaces
from booking_sandbox.core.settings import Settings


@dataclass
class Sandbox:
    settings: Settings
    fixtures: FixtureSet
    namespaces: Namespaces


def sandbox_of(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox
