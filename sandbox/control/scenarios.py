"""`/_sandbox/scenarios`: named presets applied to a namespace (placeholder, being written)."""

from __future__ import annotations

from starlette.requests import Request

from sandbox.control.http import ControlError, ControlJSON


async def list_scenarios(request: Request) -> ControlJSON:
    return ControlJSON({"scenarios": []})


async def apply_scenario(request: Request) -> ControlJSON:
    name = request.path_params["name"]
    raise ControlError(404, "scenario_not_found", f"no scenario {name!r}")
