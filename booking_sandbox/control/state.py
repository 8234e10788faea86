"""`/_sandbox/state`: a namespace exported as JSON, and taken back exactly."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from booking_sandbox.control.http import (
    OFF_LOOP_BYTES,
    ControlError,
    ControlJSON,
    SteppedJSON,
    control_schemas,
    decode_json,
    namespace_name,
    namespace_of,
    raw_body,
)
from booking_sandbox.control.secrets import masked, unmask
from booking_sandbox.core.fixtures import json_path, schema_validator
from booking_sandbox.core.ids import state_problem
from booking_sandbox.core.namespace import Namespace, NamespaceError
from booking_sandbox.core.runtime import Sandbox, sandbox_of
from booking_sandbox.engine import DomainError
from booking_sandbox.vendors import Vendor, vendors_of
from booking_sandbox.vendors.adapter import cross_reference_problems


async def export_state(request: Request) -> ControlJSON:
    wanted = request.query_params.get("secrets", "masked")
    if wanted not in ("masked", "include"):
        message = "secrets is `masked` (the default) or `include`"
        raise ControlError(400, "invalid_query", message, _at("$.query.secrets", message))
    space = namespace_of(request)
    if wanted == "masked":
        return ControlJSON(masked(space.export(), vendors_of(request)))
    if sandbox_of(request).settings.control_token is None:
        raise ControlError(
            403,
            "secrets_need_token",
            "an export with its secrets in clear is only served behind --control-token",
        )
    return ControlJSON({**space.export(), "secrets": "included"})


async def import_state(request: Request) -> ControlJSON:
    raw = await raw_body(request)
    build = partial(_build_state, request, raw)
    # A large state is parsed, checked, built and rendered on a worker thread, and only put
    # in place here, on the loop: vendor requests go on meanwhile, and never see half of it.
    space, answer = await run_in_threadpool(build) if len(raw) > OFF_LOOP_BYTES else build()
    try:
        sandbox_of(request).namespaces.install(space)
    except NamespaceError as exc:
        raise ControlError(429, "too_many_namespaces", str(exc)) from None
    return answer


def _build_state(request: Request, raw: bytes) -> tuple[Namespace, ControlJSON]:
    """The namespace a state body describes, and the export to answer; nothing installed."""
    sandbox = sandbox_of(request)
    vendors = vendors_of(request)
    body: dict[str, Any] = decode_json(raw) if raw.strip() else _no_body()
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
    if not details:  # a masked secret keeps the one already at its place, before the
        # cross-references compare secrets (two masked API keys are not a duplicate)
        details = unmask(body["catalogs"], partial(_secret_sources, sandbox, request), vendors)
    if not details:  # cross-references only make sense on schema-valid catalogs
        problems = cross_reference_problems(vendors, body["catalogs"])
        details = [
            {"path": f"$.catalogs.{sec}{path[1:]}", "message": m} for sec, path, m in problems
        ]
    if details:
        raise ControlError(422, "invalid_body", "the state's catalogs are invalid", details)
    ids_problem = state_problem(body["ids"])  # a degenerate one would repeat every id
    if ids_problem is not None:
        raise ControlError(
            422, "invalid_body", "the state's id generator is unusable", _at("$.ids", ids_problem)
        )
    details = _vendor_state_problems(vendors, sandbox.settings.schemas, body)
    if details:
        raise ControlError(422, "invalid_body", "the state's vendor records are invalid", details)
    name = namespace_name(request)  # (checked: a bad one is its 400)
    try:
        space = sandbox.namespaces.build(name, body)
    except OverflowError as exc:  # a clock outside the range every vendor can serve
        problem = _at("$.clock.now", str(exc))
        raise ControlError(422, "clock_out_of_range", str(exc), problem) from None
    except (DomainError, ValueError, TypeError, KeyError) as exc:
        # Consistent with the schema but not with itself (an allocation of an unknown pool...).
        raise ControlError(422, "invalid_state", f"the state is inconsistent: {exc}") from None
    render = SteppedJSON if len(raw) > OFF_LOOP_BYTES else ControlJSON  # (on a worker thread)
    return space, render(masked(space.export(), vendors))


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


def _secret_sources(sandbox: Sandbox, request: Request, section: str) -> list[Any]:
    """Where a masked secret's value is kept: the namespace being replaced, the fixtures."""
    current = sandbox.namespaces.peek(namespace_name(request))
    return [
        current.catalogs.get(section) if current is not None else None,
        sandbox.fixtures.section(section),  # read only
    ]


def _no_body() -> dict[str, Any]:
    raise ControlError(400, "invalid_json", "a JSON body is required")


def _at(path: str, message: str) -> list[dict[str, str]]:
    return [{"path": path, "message": message}]
