"""A client generated from schemas/control.openapi.json steers a live server.

A clock set and advanced, a fault armed and seen to fire on a vendor call, then a reset that
clears it: every answer read through its generated model.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from contextlib import ExitStack
from types import ModuleType

import httpx2 as httpx
import pytest

from booking_sandbox.testing.live import LiveServer
from tests.clients.generated import part

pytestmark = [pytest.mark.slow, pytest.mark.live]

START = datetime.datetime(2025, 1, 29, 7, 55, 53, tzinfo=datetime.UTC)


def test_a_generated_client_drives_the_control_plane(
    generated: Callable[[str], ModuleType],
    closing: ExitStack,
    live_server: LiveServer,
    namespace: str,
) -> None:
    control = generated("control")
    models = part(control, "models")
    client = closing.enter_context(
        control.Client(base_url=live_server.url, headers={"X-Sandbox-Namespace": namespace})
    )

    frozen = part(control, "api.default.set_clock").sync(
        client=client, body=models.ClockSet(now=START, frozen=True)
    )
    assert isinstance(frozen, models.Clock), frozen
    assert (frozen.now, frozen.frozen) == (START, True)
    moved = part(control, "api.default.advance_clock").sync(
        client=client, body=models.ClockAdvance(seconds=90)
    )
    assert isinstance(moved, models.Clock), moved
    assert moved.now == START + datetime.timedelta(seconds=90)

    rule = models.FaultRuleInput(
        match=models.FaultMatch(vendor=models.FaultMatchVendor.BOOQABLE, method="GET"),
        action=models.FaultAction(status=503),
        times=2,
    )
    armed = part(control, "api.default.add_fault").sync(client=client, body=rule)
    assert isinstance(armed, models.FaultRule), armed
    assert (armed.action.status, armed.fired) == (503, 0)
    vendor = httpx.get(
        f"{live_server.url}/api/boomerang/products",
        headers={"Authorization": "Bearer demo-api-key", "X-Sandbox-Namespace": namespace},
    )
    assert vendor.status_code == 503, vendor.text
    fired = part(control, "api.default.get_fault").sync(armed.id, client=client)
    assert isinstance(fired, models.FaultRule), fired
    assert fired.fired == 1

    reset = part(control, "api.default.reset").sync(client=client, body=models.Reset())
    assert isinstance(reset, models.ResetResult), reset
    assert reset.reset == [namespace]
    left = part(control, "api.default.list_faults").sync(client=client)
    assert isinstance(left, models.FaultList), left
    assert left.faults == []
