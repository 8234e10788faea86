"""The `/_sandbox` endpoints: health, namespaces, reset, clock, state, and their OpenAPI."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

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
from booking_sandbox.core.fixtures import json_path, schema_validator
from booking_sandbox.core.namespaces import NamespaceError
from booking_sandbox.core.runtime import sandbox_of
from booking_sandbox.engine import DomainError
from booking_sandbox.timefmt import parse_duration, parse_instant
from booking_sandbox.traffic.plane import plane_of
from booking_sandbox.vendors import Vendor, vendors_of
from booking_sandbox.vendors.adapter import cross_reference_problems

_OUT_OF_RANGE = "the clock would leave the representable range (years 1 to 9999)"


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
    clock.set(now, frozen=body.get("frozen"))
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
    except OverflowError:
        raise ControlError(422, "clock_out_of_range", _OUT_OF_RANGE) from None
    return ControlJSON(clock.to_json())


async def export_state(request: Request) -> ControlJSON:
    return ControlJSON(namespace_of(request).export())


async def import_state(request: Request) -> ControlJSON:
    sandbox = sandbox_of(request)
    vendors = vendors_of(request)
    body: dict[str, Any] = await json_body(request)
    control_schemas(request).check("State", body)
    details = []
    for section, catalog in body["catalogs"].items():
        if section not in sandbox.fixtures.sections:
            details.append({"path": f"$.catalogs.{section}", "message": "unknown fixture section"})
            continue
        validator = schema_validator(section, sandbox.settings.schemas)
        for error in validator.iter_errors(catalog):
            path = f"$.catalogs.{section}{json_path(error.absolute_path)[1:]}"
            details.append({"path": path, "message": error.message})
    if not details:  # cross-references only make sense on schema-valid catalogs
        problems = cross_reference_problems(vendors, body["catalogs"])
        details = [
            {"path": f"$.catalogs.{sec}{path[1:]}", "message": m} for sec, path, m in problems
        ]
    if details:
        raise ControlError(422, "invalid_body", "the state's catalogs are invalid", details)
    details = _vendor_state_problems(vendors, sandbox.settings.schemas, body)
    if details:
        raise ControlError(422, "invalid_body", "the state's vendor records are invalid", details)
    name = namespace_name(request)
    try:
        space = sandbox.namespaces.import_state(name, body)
    except NamespaceError as exc:
        raise ControlError(429, "too_many_namespaces", str(exc)) from None
    except (DomainError, ValueError, TypeError, KeyError) as exc:
        # Consistent with the schema but not with itself (an allocation of an unknown pool...).
        raise ControlError(422, "invalid_state", f"the state is inconsistent: {exc}") from None
    return ControlJSON(space.export())


def _vendor_state_problems(
    registered: tuple[Vendor, ...], schemas: Path, body: dict[str, Any]
) -> list[dict[str, str]]:
    """Each vendor's records against its state schema, then against its catalog."""
    vendors = {v.name: v for v in registered}
    allocations = {a["id"]: a for a in body["inventory"].get("allocations", [])}
    details = []
    for name, records in body["vendors"].items():
        vendor = vendors.get(name)
        if vendor is None:
            details.append({"path": f"$.vendors.{name}", "message": "unknown vendor"})
            continue
        if vendor.state_problems is None:
            continue  # a vendor whose adapter keeps no records yet: kept verbatim
        validator = schema_validator(name, schemas, "state")
        errors = [
            {"path": f"$.vendors.{name}{json_path(e.absolute_path)[1:]}", "message": e.message}
            for e in validator.iter_errors(records)
        ]
        catalog = body["catalogs"].get(vendor.section)
        if not errors and not isinstance(catalog, dict):
            errors = [{"path": f"$.vendors.{name}", "message": "records without their catalog"}]
        elif not errors:
            problems = vendor.state_problems(records, catalog, allocations)
            errors = [{"path": f"$.vendors.{name}{p[1:]}", "message": m} for p, m in problems]
        details += errors
    return details


async def openapi(request: Request) -> ControlJSON:
    return ControlJSON(control_schemas(request).document)


def _at(path: str, message: str) -> list[dict[str, str]]:
    return [{"path": path, "message": message}]
