"""The objects one running sandbox is made of, reachable from every request."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from sandbox.control.http import ControlSchemas
from sandbox.fixtures import FixtureSet
from sandbox.namespaces import Namespaces
from sandbox.settings import Settings


@dataclass
class Sandbox:
    settings: Settings
    fixtures: FixtureSet
    namespaces: Namespaces
    control_schemas: ControlSchemas


def sandbox_of(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox
