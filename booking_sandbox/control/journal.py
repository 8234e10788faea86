"""`/_sandbox/requests`: read, count and clear the namespace's request journal."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request

from booking_sandbox.control.http import (
    ControlError,
    ControlJSON,
    control_schemas,
    json_body,
    namespace_of,
)
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.traffic.actions import whole
from booking_sandbox.traffic.journal import Journal, RequestFilter
from booking_sandbox.traffic.patterns import oversized, wildcard_problem
from booking_sandbox.traffic.plane import plane_of

DIGITS = re.compile(r"[0-9]{1,9}")  # ASCII only: str.isdigit() takes "²", which int() refuses
MAX_LIMIT = 1_000_000
FILTERS = ("vendor", "method", "path", "operation", "status", "since")


def _journal(request: Request) -> Journal:
    """The journal of the request's namespace (created on first use, like the namespace)."""
    return plane_of(request).journal(namespace_of(request).name)


def _filter(given: Mapping[str, Any], where: str, vendors: tuple[str, ...]) -> RequestFilter:
    def bad(key: str, message: str) -> ControlError:
        path = f"{where}.{key}"
        return ControlError(
            422, "invalid_filter", f"{path}: {message}", [{"path": path, "message": message}]
        )

    _sizes(dict(given), where, "invalid_filter")  # first: the messages below quote what is wrong
    unknown = sorted(set(given) - {*FILTERS, "limit"})
    if unknown:
        raise bad(unknown[0], f"is not a filter (use {', '.join(FILTERS)})")
    for key in FILTERS:
        if key in given and key != "status" and not (isinstance(given[key], str) and given[key]):
            raise bad(key, "must be a non-empty string")
    if given.get("vendor") not in (None, *vendors):
        raise bad("vendor", f"must be one of {', '.join(vendors)}")
    wildcards = wildcard_problem(dict(given))
    if wildcards is not None:
        raise bad(*wildcards)
    status = whole(given.get("status"))  # JSON's 503.0 is 503
    if isinstance(status, str) and DIGITS.fullmatch(status):
        status = int(status)
    if status is not None and not (
        (isinstance(status, int) and not isinstance(status, bool) and 100 <= status <= 599)
        or (isinstance(status, str) and status in ("1xx", "2xx", "3xx", "4xx", "5xx"))
    ):
        raise bad("status", "must be a status (100 to 599) or a class such as 5xx")
    since = None
    if "since" in given:
        try:
            since = parse_instant(given["since"])
        except ValueError as exc:
            raise bad("since", str(exc)) from None
    return RequestFilter(
        vendor=given.get("vendor"),
        method=given.get("method"),
        path=given.get("path"),
        operation=given.get("operation"),
        status=status,
        since=since,
    )


def _sizes(given: Any, where: str, code: str) -> None:
    """A pattern is matched against every entry: its size bounds the work of a read."""
    found = oversized(given, where)
    if found is not None:
        path, message = found
        raise ControlError(422, code, f"{path}: {message}", [{"path": path, "message": message}])


async def list_requests(request: Request) -> ControlJSON:
    query = request.query_params
    _sizes(dict(query), "query", "invalid_filter")
    repeated = sorted(k for k in query if len(query.getlist(k)) > 1)
    if repeated:
        raise ControlError(422, "invalid_filter", f"query.{repeated[0]}: give it once")
    given = {k: v for k, v in query.items() if k != "limit"}
    where = _filter(given, "query", plane_of(request).vendors)
    limit = None
    if "limit" in query:
        if not DIGITS.fullmatch(query["limit"]) or not 1 <= int(query["limit"]) <= MAX_LIMIT:
            message = f"query.limit: must be an integer from 1 to {MAX_LIMIT}"
            raise ControlError(422, "invalid_filter", message)
        limit = int(query["limit"])
    journal = _journal(request)
    found = list(journal.select(where))
    if limit is not None:
        found = found[-limit:]  # the most recent ones, still oldest first
    return ControlJSON(
        {
            "requests": [e.to_json() for e in found],
            "total": len(journal.entries),
            "dropped": journal.dropped,
        }
    )


async def count_requests(request: Request) -> ControlJSON:
    body = await json_body(request, optional=True)
    _sizes(body, "$", "invalid_body")  # before the schema check, whose messages quote values
    control_schemas(request).check("RequestMatch", body)
    where = _filter(body, "$", plane_of(request).vendors)
    return ControlJSON({"count": sum(1 for _ in _journal(request).select(where))})


async def clear_requests(request: Request) -> ControlJSON:
    return ControlJSON({"deleted": _journal(request).clear()})
