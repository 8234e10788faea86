"""JSON in and out for the control plane: parsing, schema validation, errors."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from starlette.requests import Request
from starlette.responses import JSONResponse

from booking_sandbox.core.fixtures import json_path
from booking_sandbox.core.formats import FORMATS
from booking_sandbox.core.headers import NAMESPACE_HEADER
from booking_sandbox.core.jsonbody import BadJson, parse_json
from booking_sandbox.core.namespaces import DEFAULT, Namespace, NamespaceError, check_name
from booking_sandbox.core.runtime import sandbox_of


class ControlJSON(JSONResponse):
    """Starlette's JSON, except that a lone surrogate a client sent is written `\\udXXX`.

    Vendor adapters store what clients send as they sent it; a state export must give it back,
    not fail on the one string UTF-8 cannot encode.
    """

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8", errors="backslashreplace")


class ControlError(Exception):
    """Rendered as `{"error": {"code", "message", "details"}}` with its status."""

    def __init__(
        self, status: int, code: str, message: str, details: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


def error_response(
    status: int, code: str, message: str, details: list[dict[str, str]] | None = None
) -> ControlJSON:
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = details
    return ControlJSON({"error": error}, status_code=status)


class ControlSchemas:
    """Validators for the control plane's request bodies, compiled once from its OpenAPI."""

    def __init__(self, openapi: Path) -> None:
        self.document: dict[str, Any] = json.loads(openapi.read_text("utf-8"))
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource("urn:control", resource)

    @cache  # noqa: B019 - one instance per app, a handful of names
    def validator(self, name: str) -> Draft202012Validator:
        return Draft202012Validator(
            {"$ref": f"urn:control#/components/schemas/{name}"},
            registry=self._registry,
            format_checker=FORMATS,
        )

    def check(self, name: str, body: Any) -> None:
        errors = sorted(
            self.validator(name).iter_errors(body), key=lambda e: json_path(e.absolute_path)
        )
        if errors:
            details = [{"path": json_path(e.absolute_path), "message": e.message} for e in errors]
            raise ControlError(422, "invalid_body", f"the body is not a valid {name}", details)


def control_schemas(request: Request) -> ControlSchemas:
    schemas: ControlSchemas = request.app.state.control_schemas
    return schemas


async def json_body(request: Request, *, optional: bool = False) -> Any:
    raw = await request.body()
    if not raw.strip():
        if optional:
            return {}
        raise ControlError(400, "invalid_json", "a JSON body is required")
    try:
        return parse_json(raw)
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
