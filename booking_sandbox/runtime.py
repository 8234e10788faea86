"""The objects one running sandbox is made of, reachable from every request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from starlette.requests import Request

from booking_sandbox.fixtures import FixtureSet
from booking_sandbox.namespaces import Namespaces
from booking_sandbox.settings import Settings
from booking_sandbox.traffic.metrics import Metrics

if TYPE_CHECKING:  # sandbox.control imports this module: a runtime import would be circular
    from booking_sandbox.control.http import ControlSchemas


@dataclass
class Sandbox:
    settings: Settings
    fixtures: FixtureSet
    namespaces: Namespaces
    control_schemas: ControlSchemas
    metrics: Metrics = field(default_factory=Metrics)


def sandbox_of(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox
