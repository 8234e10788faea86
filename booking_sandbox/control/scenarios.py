"""`/_sandbox/scenarios`: list the named presets, apply one to the request's namespace."""

from __future__ import annotations

from starlette.requests import Request

from booking_sandbox.control.http import ControlError, ControlJSON, json_body, namespace_name
from booking_sandbox.control.inprocess import Caller
from booking_sandbox.core.namespace import NamespaceError
from booking_sandbox.core.runtime import sandbox_of
from booking_sandbox.core.scenario import Context, Params, Scenario, ScenarioError
from booking_sandbox.vendors import vendors_of

REFUSALS = ("invalid_body", "scenario_unavailable")


def scenarios_of(request: Request) -> dict[str, Scenario]:
    """Every vendor's scenarios, by name, in the registry's order."""
    return {s.name: s for vendor in vendors_of(request) for s in vendor.scenarios}


async def list_scenarios(request: Request) -> ControlJSON:
    return ControlJSON({"scenarios": [s.to_json() for s in scenarios_of(request).values()]})


async def apply_scenario(request: Request) -> ControlJSON:
    name = request.path_params["name"]
    scenarios = scenarios_of(request)
    scenario = scenarios.get(name)
    if scenario is None:
        known = ", ".join(scenarios)
        raise ControlError(404, "scenario_not_found", f"no scenario {name!r} (known: {known})")
    body = await json_body(request, optional=True)
    if not isinstance(body, dict):
        message = "the body is a JSON object of the scenario's parameters"
        raise ControlError(422, "invalid_body", message, [{"path": "$", "message": message}])
    unknown = [key for key in body if key not in scenario.parameters]
    if unknown:
        details = [
            {"path": f"$.{key}", "message": f"{name} has no parameter {key!r}"} for key in unknown
        ]
        raise ControlError(422, "invalid_body", "unknown scenario parameters", details)
    namespace = namespace_name(request)
    namespaces = sandbox_of(request).namespaces
    created = namespaces.peek(namespace) is None
    try:
        space = namespaces.get(namespace)
    except NamespaceError as exc:
        raise ControlError(429, "too_many_namespaces", str(exc)) from None
    context = Context(space, Caller(request, namespace))
    try:
        applied = await scenario.apply(context, Params(body))
    except ScenarioError as exc:
        # Refused (bad parameters, fixtures that lack what it needs): it set nothing up, so a
        # namespace this request created is dropped, as if the request had not been made.
        if created and exc.code in REFUSALS:
            namespaces.discard(namespace)
        raise ControlError(exc.status, exc.code, exc.message, exc.details) from None
    return ControlJSON(
        {"scenario": name, "namespace": namespace, "vendor": scenario.vendor, "applied": applied}
    )
