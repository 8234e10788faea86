"""The objects one running sandbox is made of, reachable from every request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from starlette.requests import Request

from sandbox.fixtures import FixtureSet
from sandbox.namespaces import Namespaces
from sandbox.settings import Settings
from sandbox.traffic.metrics import Metrics

if TYPE_CHECKING:  # sandbox.control imports this module: a runtime import would be circular
    from sandbox.control.http import ControlSchemas


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
