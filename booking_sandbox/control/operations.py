"""`GET /_sandbox/operations`: every vendor operation name, for fault rules and journal filters.

An operation is what the QA plane names a vendor request by (`match.operation` of a fault rule,
`operation` in the journal and the metrics): the name of the vendor route that serves it, one
of the routes its `Vendor.routes()` gives the app (see `traffic.middleware`, `_operation`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from starlette.requests import Request

from booking_sandbox.control.http import ControlJSON
from booking_sandbox.control.query import query_of, vendor_of
from booking_sandbox.vendors import Vendor, vendors_of

PARAMETERS = ("vendor",)
# `{id:korus_id}` is shown `{id}`: the converter is how the router parses, not part of the path.
CONVERTER = re.compile(r"\{([^{}:]+):[^{}]*\}")


def operations(vendors: Sequence[Vendor]) -> list[dict[str, Any]]:
    """One entry per (vendor, name), in registry order then by name; a name served on several
    paths (Booqable's two prefixes) lists them all, in route order."""
    found = []
    for vendor in vendors:
        routes: dict[str, tuple[set[str], list[str]]] = {}
        for route in vendor.routes():
            name = getattr(route, "name", None)
            if not isinstance(name, str):  # (the QA plane names such a request None)
                continue
            methods, paths = routes.setdefault(name, (set(), []))
            methods.update(getattr(route, "methods", None) or ())
            path = CONVERTER.sub(r"{\1}", str(getattr(route, "path", "")))
            if path not in paths:
                paths.append(path)
        for name in sorted(routes):
            methods, paths = routes[name]
            if "GET" in methods:  # Starlette adds HEAD to every GET route
                methods = methods - {"HEAD"}
            found.append(
                {"vendor": vendor.name, "name": name, "methods": sorted(methods), "paths": paths}
            )
    return found


def operations_of(request: Request) -> list[dict[str, Any]]:
    """The app's listing, made once: `operations` builds every vendor route anew, and a fault
    rule's check needs the listing on each POST."""
    state = request.app.state
    if getattr(state, "operations", None) is None:
        state.operations = operations(vendors_of(request))
    listed: list[dict[str, Any]] = state.operations
    return listed


async def list_operations(request: Request) -> ControlJSON:
    names = [v.name for v in vendors_of(request)]
    wanted = vendor_of(query_of(request.query_params, PARAMETERS), names)
    listed = [o for o in operations_of(request) if wanted is None or o["vendor"] == wanted]
    return ControlJSON({"operations": listed})
