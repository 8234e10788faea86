"""`/_sandbox/faults`, `/_sandbox/metrics` and `/_sandbox/magic`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.control.http import (
    ControlError,
    ControlJSON,
    control_schemas,
    json_body,
    namespace_of,
)
from booking_sandbox.control.operations import operations_of
from booking_sandbox.core.runtime import sandbox_of
from booking_sandbox.traffic.actions import FaultError
from booking_sandbox.traffic.faults import FaultBook, Operations, Rule, TooManyFaults, check_sizes
from booking_sandbox.traffic.metrics import CONTENT_TYPE
from booking_sandbox.traffic.plane import plane_of
from booking_sandbox.vendors import vendors_of


def _faults(request: Request) -> FaultBook:
    """The rules of the request's namespace (created on first use, like the namespace)."""
    return plane_of(request).faults(namespace_of(request).name)


def _rule(request: Request) -> Rule:
    ident = request.path_params["id"]
    rule = _faults(request).get(ident)
    if rule is None:
        raise ControlError(404, "fault_not_found", f"no fault rule {ident!r} in this namespace")
    return rule


def _operations(request: Request) -> Operations:
    """Each vendor's operation names, as `GET /_sandbox/operations` lists them."""
    known: dict[str, list[str]] = {vendor.name: [] for vendor in vendors_of(request)}
    for operation in operations_of(request):
        known[operation["vendor"]].append(operation["name"])
    return known


async def list_faults(request: Request) -> ControlJSON:
    return ControlJSON({"faults": [r.to_json() for r in _faults(request).rules]})


async def add_fault(request: Request) -> ControlJSON:
    body = await json_body(request)
    try:
        check_sizes(body)  # before the schema check, whose messages quote the value
        control_schemas(request).check("FaultRuleInput", body)
        rule = _faults(request).add(body, _operations(request))
    except FaultError as exc:  # what the schema cannot say: ranges, combinations, sizes
        details = [{"path": exc.path, "message": exc.message}]
        code = "too_many_faults" if isinstance(exc, TooManyFaults) else "invalid_body"
        raise ControlError(422, code, str(exc), details) from None
    return ControlJSON(rule.to_json(), status_code=201)


async def clear_faults(request: Request) -> ControlJSON:
    return ControlJSON({"deleted": _faults(request).clear()})


async def get_fault(request: Request) -> ControlJSON:
    return ControlJSON(_rule(request).to_json())


async def remove_fault(request: Request) -> ControlJSON:
    rule = _rule(request)
    _faults(request).remove(rule.id)
    return ControlJSON({"deleted": 1})


async def metrics(request: Request) -> Response:
    """Server-wide, whatever the namespace header says: Prometheus scrapes one target."""
    sandbox = sandbox_of(request)
    spaces = [s for n in sandbox.namespaces.names() if (s := sandbox.namespaces.peek(n))]
    text = plane_of(request).metrics.render(spaces, sandbox.namespaces.evicted)
    return Response(text, media_type=CONTENT_TYPE)


async def magic(request: Request) -> ControlJSON:
    return ControlJSON({"magic": [row for v in vendors_of(request) for row in v.magic]})
