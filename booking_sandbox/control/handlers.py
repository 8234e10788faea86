"""The `/_sandbox` endpoints: health, namespaces, reset, clock, state, and their OpenAPI."""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request

from booking_sandbox import __version__
from booking_sandbox.control.http import (
    ControlError,
    ControlJSON,
    control_schemas,
    json_body,
    namespace_name,
    namespace_of,
)
from booking_sandbox.core.namespace import NamespaceError
from booking_sandbox.core.runtime import sandbox_of
from booking_sandbox.timefmt import parse_duration, parse_instant
from booking_sandbox.traffic.plane import plane_of
from booking_sandbox.vendors import vendors_of

_OUT_OF_RANGE = "the duration is beyond the representable range"


async def health(request: Request) -> ControlJSON:
    sandbox = sandbox_of(request)
    return ControlJSON(
        {
            "status": "ok",
            "version": __version__,
            "vendors": [v.name for v in vendors_of(request)],
            "fixtures": sandbox.fixtures.sections,
            "namespaces": len(sandbox.namespaces.names()),
        }
    )


async def list_namespaces(request: Request) -> ControlJSON:
    return ControlJSON({"namespaces": sandbox_of(request).namespaces.names()})


async def reset(request: Request) -> ControlJSON:
    sandbox = sandbox_of(request)
    body = await json_body(request, optional=True)
    control_schemas(request).check("Reset", body)
    header = namespace_name(request)  # a bad header is an error whatever the body says
    if body.get("all"):
        plane_of(request).drop_all()
        return ControlJSON({"reset": sandbox.namespaces.reset_all()})
    name = body.get("namespace") or header
    try:
        sandbox.namespaces.reset(name)
    except NamespaceError as exc:
        raise ControlError(422, "invalid_body", str(exc), _at("$.namespace", str(exc))) from None
    plane_of(request).drop(name)
    return ControlJSON({"reset": [name]})


async def get_clock(request: Request) -> ControlJSON:
    return ControlJSON(namespace_of(request).clock.to_json())


async def set_clock(request: Request) -> ControlJSON:
    body = await json_body(request)
    control_schemas(request).check("ClockSet", body)
    clock = namespace_of(request).clock
    try:
        now = parse_instant(body["now"]) if "now" in body else clock.now()
    except ValueError as exc:
        raise ControlError(422, "invalid_body", str(exc), _at("$.now", str(exc))) from None
    try:
        clock.set(now, frozen=body.get("frozen"))
    except OverflowError as exc:
        raise ControlError(422, "clock_out_of_range", str(exc), _at("$.now", str(exc))) from None
    return ControlJSON(clock.to_json())


async def advance_clock(request: Request) -> ControlJSON:
    body = await json_body(request)
    control_schemas(request).check("ClockAdvance", body)
    if "duration" in body:
        try:
            delta = parse_duration(body["duration"])
        except ValueError as exc:
            raise ControlError(422, "invalid_body", str(exc), _at("$.duration", str(exc))) from None
        except OverflowError:
            raise ControlError(422, "clock_out_of_range", _OUT_OF_RANGE) from None
    else:
        delta = timedelta(seconds=body["seconds"])
    clock = namespace_of(request).clock
    try:
        clock.advance(delta)
    except OverflowError as exc:
        raise ControlError(422, "clock_out_of_range", str(exc)) from None
    return ControlJSON(clock.to_json())


async def openapi(request: Request) -> ControlJSON:
    return ControlJSON(control_schemas(request).document)


def _at(path: str, message: str) -> list[dict[str, str]]:
    return [{"path": path, "message": message}]
