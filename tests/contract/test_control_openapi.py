"""schemathesis fuzzes the control plane from its own OpenAPI document (specs as data).

Every generated request, valid or not, must get a documented status with a body that matches
the document: no 5xx, no undocumented shapes.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant

pytestmark = pytest.mark.slow  # schemathesis: hundreds of generated requests per run

app = create_app(Settings(start_time=parse_instant("2025-01-29T07:55:53Z")))
schema = schemathesis.openapi.from_asgi("/_sandbox/openapi.json", app)


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("CONTRACT_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_control_plane_honours_its_openapi(case: Any) -> None:
    # Documented 422s for schema-valid bodies: a state that contradicts itself (an interval
    # that ends where it starts, an allocation of an unknown pool), and an advance that would
    # take the clock past year 9999 (a limit relative to the clock, which no schema can say),
    # and an instant whose offset puts it outside years 1-9999 in UTC.
    # A fault whose uniform latency has min > max, scenario parameters that name nothing in
    # the fixtures: rules between values, which no schema can say either. So is an inventory
    # window whose `to` is not after its `from`, or more than 366 days after it.
    semantic = {
        "GET /_sandbox/inventory",
        "PUT /_sandbox/state",
        "POST /_sandbox/clock/advance",
        "PUT /_sandbox/clock",
        "POST /_sandbox/faults",
        "POST /_sandbox/scenarios/{name}",
    }
    excluded = [positive_data_acceptance] if case.operation.label in semantic else []
    case.call_and_validate(excluded_checks=excluded)
