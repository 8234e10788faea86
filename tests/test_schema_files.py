"""Every JSON Schema the server compiles is valid against the 2020-12 meta-schema.

The server does not check this at start-up (it was most of the start-up's CPU): the schemas
are the project's own files, so this test is where a broken one is caught."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from booking_sandbox.core.paths import bundled

SCHEMAS = bundled("schemas")
FILES = sorted([*SCHEMAS.glob("fixtures/*.schema.json"), *SCHEMAS.glob("state/*.schema.json")])


def _load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return document


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_schema_file_is_a_valid_schema(path: Path) -> None:
    Draft202012Validator.check_schema(_load(path))


def test_the_control_planes_request_schemas_are_valid() -> None:
    """Each component `control.http.ControlSchemas` may compile (the meta-schema does not
    look inside `components`, so each is checked as a schema of its own)."""
    components = _load(SCHEMAS / "control.openapi.json")["components"]["schemas"]
    assert components
    for schema in components.values():
        Draft202012Validator.check_schema(schema)


def test_there_are_schemas_to_check() -> None:
    assert {p.parent.name for p in FILES} == {"fixtures", "state"}
    assert len(FILES) >= 6


def test_a_broken_schema_is_caught() -> None:
    with pytest.raises(Exception, match="is not valid"):
        Draft202012Validator.check_schema({"type": "no-such-type"})
