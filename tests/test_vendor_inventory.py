"""The bundled catalogs, mapped to engine pools, reproduce each vendor's documented behaviour.

These go through a real namespace (catalog copy -> pools) and the engine only: the wire adapters
come later, but the numbers they will render are already right.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking_sandbox.app import create_app
from booking_sandbox.core.namespace import Namespace
from booking_sandbox.core.runtime import Sandbox
from booking_sandbox.core.settings import Settings
from booking_sandbox.engine import AllocationRejected, HoldExpired, Interval, Line, Verdict
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable.pools import product_pool
from booking_sandbox.vendors.korus.pools import session_pool, ticket_pool
from booking_sandbox.vendors.pontcentral.pools import resource_pool

SEED_SESSION = "337177bc-e513-444f-bcee-49a3e25b48a3"
SEED_OFFER = "0194ac40-fda7-78c1-8fcb-26fc2df25894"
SEED_TICKET = "0194ac40-fda7-78c1-8fcb-26fc2e2612d4"
TENT = "c2452fc4-8a27-45bd-9327-85305778bcbb"  # seed 003: stock 7, no shortage allowed
CHAIRS = "69a6ac18-244e-4b1e-b2e1-c88d155b51e5"  # stock 8, shortage limit 2
DJ = "141692f0-98a4-41c6-995e-33f1d37b03e6"  # trackable, two stock items
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def space() -> Namespace:
    app = create_app(Settings(start_time=parse_instant("2025-01-29T07:55:53Z")))
    sandbox: Sandbox = app.state.sandbox
    space = sandbox.namespaces.get("vendors")
    space.clock.freeze()
    return space


def test_korus_seed_reservation_holds_for_15_minutes_then_frees(space: Namespace) -> None:
    inv = space.inventory
    assert inv.pool(session_pool(SEED_SESSION)).units[0] == "227"
    until = space.clock.now() + timedelta(seconds=900)  # the seed's catalog hold
    lines = [
        Line(ticket_pool(SEED_OFFER, SEED_TICKET), 1),
        Line(session_pool(SEED_SESSION), 1, auto_units=1),
    ]
    held = inv.allocate(lines, owner="reservation", hold_until=until)
    assert held[1].units == ("227",)  # the seat map starts where seed 001 seats its buyer
    assert inv.availability(session_pool(SEED_SESSION)).free == 199
    space.clock.advance(timedelta(minutes=16))
    with pytest.raises(HoldExpired):
        inv.confirm([a.id for a in held])
    assert inv.availability(session_pool(SEED_SESSION)).free == 200


def test_pont_central_two_tours_sharing_one_guide_conflict(space: Namespace) -> None:
    guide = resource_pool("RES-GUIDE-EN")
    # PROD-001 at 09:00 holds the guide [09:00, 11:00); Montmartre at 10:00 wants [10:00, 11:30).
    nine = datetime(2026, 3, 25, 9, tzinfo=PARIS)
    # The guide leads groups of up to 15.
    space.inventory.allocate(
        [Line(guide, 10, Interval(nine, nine + timedelta(minutes=120)))], owner="PC1"
    )
    ten = nine + timedelta(hours=1)
    with pytest.raises(AllocationRejected):
        space.inventory.allocate(
            [Line(guide, 6, Interval(ten, ten + timedelta(minutes=90)))], owner="PC2"
        )
    eleven = nine + timedelta(hours=2)
    space.inventory.allocate(
        [Line(guide, 15, Interval(eleven, eleven + timedelta(minutes=90)))], owner="PC2"
    )


def test_booqable_seed_shortages(space: Namespace) -> None:
    period = Interval(datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 3, tzinfo=UTC))
    inv = space.inventory
    # Seed 003: 10 tents against a stock of 7, no shortage allowed -> blocking, shortage 3.
    with pytest.raises(AllocationRejected) as err:
        inv.allocate([Line(product_pool(TENT), 10, period)], owner="order", accept_warnings=True)
    (tent,) = err.value.report.lines
    assert (tent.stock_count, tent.reserved, tent.needed, tent.shortage) == (7, 0, 10, 3)
    assert tent.verdict is Verdict.BLOCKING
    # 10 chairs against 8 with a limit of 2: a warning, taken once confirmed.
    report = inv.check([Line(product_pool(CHAIRS), 10, period)], owner="order")
    assert report.lines[0].verdict is Verdict.WARNING
    inv.allocate([Line(product_pool(CHAIRS), 10, period)], owner="order", accept_warnings=True)
    # A trackable product's stock items are units: a named one that is taken is blocking.
    items = inv.pool(product_pool(DJ)).units
    inv.allocate([Line(product_pool(DJ), 1, period, units=items[:1])], owner="order")
    with pytest.raises(AllocationRejected) as err:
        inv.allocate([Line(product_pool(DJ), 1, period, units=items[:1])], owner="other")
    assert err.value.report.lines[0].unavailable_units == items[:1]
    assert err.value.report.lines[0].available_units == items[1:]
