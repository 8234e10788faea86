"""schemathesis fuzzes the Booqable Boomerang API from schemas/booqable.openapi.json.

Every generated request, valid or not, must get a documented status and a body matching the
document: no 5xx, no undocumented shapes, no traceback.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    positive_data_acceptance,
    unsupported_method,
)

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # schemathesis: hundreds of generated requests per run

app = create_app(Settings(start_time=parse_instant("2022-01-12T14:03:25Z")))
DOCUMENT = json.loads((ROOT / "schemas" / "booqable.openapi.json").read_text("utf-8"))
schema = schemathesis.openapi.from_dict(DOCUMENT)
# The document lists `/api/boomerang`; the same operations answer under `/api/4` in the
# 2025 era's shapes (other attributes, shortage errors with `orders`): fuzzed there too.
V4_DOCUMENT = {
    **DOCUMENT,
    "paths": {
        path.replace("/api/boomerang/", "/api/4/", 1): item
        for path, item in DOCUMENT["paths"].items()
    },
}
schema_v4 = schemathesis.openapi.from_dict(V4_DOCUMENT)
for loaded in (schema, schema_v4):
    loaded.app = app
    # Like Graphiti, the sandbox ignores query parameters it does not know.
    loaded.config.generation.update(allow_extra_parameters=False)
HEADERS = {"Authorization": "Bearer demo-api-key", "X-Sandbox-Namespace": "contract-booqable"}
HEADERS_V4 = {**HEADERS, "X-Sandbox-Namespace": "contract-booqable-v4"}


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("CONTRACT_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_booqable_honours_its_openapi(case: Any) -> None:
    # Schema-valid requests still meet business rules no schema states (unknown ids, wrong
    # statuses, shortages): 404 and 422 are documented answers. Rails answers an undeclared
    # method with 404, not 405 and `Allow`: so does the sandbox.
    excluded = [positive_data_acceptance, unsupported_method, allow_header_conformance]
    case.call_and_validate(headers=HEADERS, excluded_checks=excluded)


@schema_v4.parametrize()
@settings(
    max_examples=int(os.environ.get("CONTRACT_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_booqable_v4_honours_its_openapi(case: Any) -> None:
    excluded = [positive_data_acceptance, unsupported_method, allow_header_conformance]
    case.call_and_validate(headers=HEADERS_V4, excluded_checks=excluded)
