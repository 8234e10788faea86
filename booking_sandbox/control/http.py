"""JSON in and out for the control plane: parsing, schema validation, errors."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from booking_sandbox.core.fixtures import json_path
from booking_sandbox.core.headers import NAMESPACE_HEADER
from booking_sandbox.core.jsonbody import (
    BadJson,
    BodyTooLarge,
    parse_json,
    parse_json_in_steps,
    read_body,
)
from booking_sandbox.core.jsonsteps import dumps as dumps_in_steps
from booking_sandbox.core.namespace import DEFAULT, Namespace, NamespaceError, check_name
from booking_sandbox.core.runtime import sandbox_of
from booking_sandbox.core.schemacheck import SchemaCheck

# Bodies past this size are parsed, checked and built on a worker thread: the loop keeps
# serving vendor traffic meanwhile (a 100 MB state took 6.8 s on the loop).
OFF_LOOP_BYTES = 256 * 1024


class ControlJSON(JSONResponse):
    """Starlette's JSON, except that a lone surrogate a client sent is written `\\udXXX`.

    Vendor adapters store what clients send as they sent it; a state export must give it back,
    not fail on the one string UTF-8 cannot encode.
    """

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8", errors="backslashreplace")


_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


class SteppedJSON(ControlJSON):
    """ControlJSON's bytes, written record by record: a large document rendered on a worker
    thread then leaves the event loop room to run (one `json.dumps` would hold it)."""

    def render(self, content: Any) -> bytes:
        return dumps_in_steps(content, _ENCODER).encode("utf-8", errors="backslashreplace")


class ControlError(Exception):
    """Rendered as `{"error": {"code", "message", "details"}}` with its status."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: list[dict[str, str]] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details
        self.headers = headers or {}


def error_response(
    status: int,
    code: str,
    message: str,
    details: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> ControlJSON:
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        # Bounded, whatever found them: a schema message quotes the value (megabytes, maybe),
        # and a hostile state can break one rule a hundred thousand times.
        error["details"] = [
            {"path": _short(d.get("path", "$")), "message": _short(d.get("message", ""))}
            for d in details[:MAX_DETAILS]
        ]
        if len(details) > MAX_DETAILS:
            error["message"] = f"{message} (the first {MAX_DETAILS} of {len(details)} problems)"
    return ControlJSON({"error": error}, status_code=status, headers=headers)


class ControlSchemas:
    """Validators for the control plane's request bodies, compiled once from its OpenAPI."""

    def __init__(self, openapi: Path) -> None:
        self.document: dict[str, Any] = json.loads(openapi.read_text("utf-8"))

    @cache  # noqa: B019 - one instance per app, a handful of names
    def validator(self, name: str) -> SchemaCheck:
        # The OpenAPI's components carried along, so its `#/components/...` refs resolve in
        # both validators; compiled first, as a state import checks megabytes (2.5 s in Python
        # for a 35 MB state).
        schema = {"$ref": f"#/components/schemas/{name}", "components": self.document["components"]}
        return SchemaCheck(schema)

    def check(self, name: str, body: Any) -> None:
        errors = sorted(
            self.validator(name).iter_errors(body), key=lambda e: json_path(e.absolute_path)
        )
        if errors:
            details = [{"path": json_path(e.absolute_path), "message": e.message} for e in errors]
            raise ControlError(422, "invalid_body", f"the body is not a valid {name}", details)


MAX_DETAILS = 50  # problems listed in one 422
MAX_MESSAGE = 300  # characters of one: jsonschema quotes the value, which may be megabytes


def _short(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else f"{message[: MAX_MESSAGE - 1]}…"


def control_schemas(request: Request) -> ControlSchemas:
    schemas: ControlSchemas = request.app.state.control_schemas
    return schemas


async def raw_body(request: Request) -> bytes:
    """The body, refused (413) past the server's limit before it is all in memory."""
    limit = sandbox_of(request).settings.control_body_limit
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise _too_large(limit)  # said before reading a byte of it
    try:
        return await read_body(request, limit)
    except BodyTooLarge:
        raise _too_large(limit) from None


def _too_large(limit: int) -> ControlError:
    return ControlError(
        413,
        "body_too_large",
        f"control-plane bodies are at most {limit} bytes (--control-body-limit)",
    )


async def json_body(request: Request, *, optional: bool = False) -> Any:
    raw = await raw_body(request)
    if not raw.strip():
        if optional:
            return {}
        raise ControlError(400, "invalid_json", "a JSON body is required")
    if len(raw) > OFF_LOOP_BYTES:  # parsing megabytes would stall every vendor request
        return await run_in_threadpool(decode_json, raw)
    return decode_json(raw)


def decode_json(raw: bytes) -> Any:
    """The body's JSON; a large one in steps (it is on a worker thread, see OFF_LOOP_BYTES)."""
    try:
        return parse_json_in_steps(raw) if len(raw) > OFF_LOOP_BYTES else parse_json(raw)
    except BadJson as exc:
        raise ControlError(400, "invalid_json", f"the body is not JSON: {exc}") from None


def namespace_name(request: Request) -> str:
    # Present but empty is an error, not `default`: it is usually a CI template gone wrong.
    name = request.headers.get(NAMESPACE_HEADER, DEFAULT)
    try:
        check_name(name)
    except NamespaceError as exc:
        raise ControlError(400, "invalid_namespace", str(exc)) from None
    return name


def namespace_of(request: Request) -> Namespace:
    """The request's namespace, created on first use; 429 past the server's limit."""
    try:
        return sandbox_of(request).namespaces.get(namespace_name(request))
    except NamespaceError as exc:
        raise ControlError(429, "too_many_namespaces", str(exc)) from None
