"""Query strings of the control plane's reads: known parameters, each given once, else a 422."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from starlette.datastructures import QueryParams

from booking_sandbox.control.http import ControlError


def bad_query(name: str, message: str) -> ControlError:
    path = f"query.{name}"
    return ControlError(
        422, "invalid_query", f"{path}: {message}", [{"path": path, "message": message}]
    )


def vendor_of(query: Mapping[str, str], names: Sequence[str]) -> str | None:
    """The `vendor` parameter: absent, or one of the app's vendors."""
    wanted = query.get("vendor")
    if wanted is not None and wanted not in names:
        raise bad_query("vendor", f"must be one of {', '.join(names)}")
    return wanted


def query_of(params: QueryParams, allowed: Sequence[str]) -> dict[str, str]:
    """The parameters as a dict, refusing an unknown one (a typo would silently match all)
    and a repeated one (which value would win is nobody's guess)."""
    for key in sorted(params.keys()):
        if key not in allowed:
            raise bad_query(key, f"is not a parameter (use {', '.join(allowed)})")
        if len(params.getlist(key)) > 1:
            raise bad_query(key, "give it once")
    return dict(params)
