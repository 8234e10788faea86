"""Generate a large, valid Pont Central fixture catalog for load tests and benchmarks.

The result follows `schemas/fixtures/pontcentral.schema.json` and the loader's cross-reference
rules: unique ids and codes, every `partnerId` and resource code resolves, exactly one primary
resource per product, `timeOffsetStart < timeOffsetEnd` (minutes from the slot start) and
`sameDay` true only when every occupied interval ends by local midnight.

Every random choice goes through `rng` and every name through `fake`, so the same seeds give
the same catalog byte for byte.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from faker import Faker

from booking_sandbox.core.lazydoc import Spool

DEMO_PARTNER_ID = 42
DEMO_PRODUCT = "TOUR-EIFFEL-SKIP-LINE"
DEMO_RESOURCE = "RES-EIFFEL-1000"
MINUTES_PER_DAY = 24 * 60
ALL_WEEKDAYS = [1, 2, 3, 4, 5, 6, 7]

TIMEZONES = (
    "Europe/Paris",
    "Europe/Lisbon",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tokyo",
)
KINDS = ("Walking Tour", "Food Tour", "River Cruise", "Museum Pass", "Bike Tour", "Night Tour")
# Start times every 30 minutes from 07:00 to 21:30: late slots plus long durations give
# intervals that cross midnight, which exercises sameDay=false.
SLOTS = tuple(f"{m // 60:02d}:{m % 60:02d}" for m in range(7 * 60, 22 * 60, 30))
DURATIONS = (30, 60, 90, 120, 180, 240)
CAPACITIES = (2, 5, 10, 20, 50, 100, 200)
SECRET_ALPHABET = string.ascii_letters + string.digits


def stream(
    fake: Faker,
    rng: random.Random,
    *,
    size: int,
    start: datetime,
    progress: Callable[[int], None] = lambda done: None,
) -> dict[str, Any]:
    """About `size` products (at least the demo one) for partner 42 and a few other partners.

    Schedules start on `start`'s date; timestamps lie before `start` (a naive `start` is UTC).
    Resources are made as they are read, each with the product that owns it (`progress` hears
    of each): the products wait in a temporary file until the resources are written, so a big
    document is never whole in memory.
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    now = start if start.tzinfo is not None else start.replace(tzinfo=UTC)
    first_day = now.date()

    partners = _partners(fake, rng, size)
    # Shared guides (capacity 1-2) are linked by several products, so bookings of one product
    # block another's overlapping slots; about one guide per 20 products keeps that frequent.
    guides = [
        {
            "id": n + 1,
            "code": f"RES-GUIDE-{n + 1:04d}",
            "name": f"Tour Guide - {fake.first_name()}",
            "type": "guide",
            "capacity": rng.choice((1, 1, 2)),
            "active": True,
        }
        for n in range(max(1, size // 20))
    ]
    demo_resource = {
        "id": len(guides) + 1,
        "code": DEMO_RESOURCE,
        "name": "Eiffel Tower 10AM Entry",
        "type": "ticket",
        "capacity": 50,
        "active": True,
    }
    # The seed's create-booking example stays valid on a generated catalog whenever `start`
    # lies on or before 2026-03-25.
    demo_product = {
        "id": 1,
        "code": DEMO_PRODUCT,
        "partnerId": DEMO_PARTNER_ID,
        "name": "Eiffel Tower Skip-the-Line Entry",
        "description": "Timed 10 AM entry to the Eiffel Tower, skipping the ticket queue",
        "active": True,
        "allDay": False,
        "timezone": "Europe/Paris",
        **_timestamps(rng, now),
        "schedule": {
            "startDate": first_day.isoformat(),
            "endDate": (first_day + timedelta(days=365)).isoformat(),
            "weekdays": list(ALL_WEEKDAYS),
            "times": ["10:00"],
        },
        "prices": [_price("adult", 75), _price("child", 40)],
        "resources": [_link(DEMO_RESOURCE, True, 0, 60, same_day=True)],
    }
    active_others = [p["id"] for p in partners[1:] if p["active"]]
    inactive_others = [p["id"] for p in partners[1:] if not p["active"]]
    spooled = Spool()  # made with their resources, which come first in the document

    def resources() -> Iterator[dict[str, Any]]:
        yield from guides
        yield demo_resource
        progress(1)  # (the demo product)
        for product_id in range(2, size + 1):
            # Most products belong to the demo partner so its token sees a large catalog.
            roll = rng.random()
            if roll < 0.6 or not active_others:
                partner_id = DEMO_PARTNER_ID
            elif roll < 0.95 or not inactive_others:
                partner_id = rng.choice(active_others)
            else:
                partner_id = rng.choice(inactive_others)
            # Resources before this one's: the guides, the demo one, one per product before.
            before = len(guides) + product_id - 1
            product, own = _product(fake, rng, product_id, partner_id, before, guides, now)
            spooled.add(product)
            progress(1)
            yield own

    def products() -> Iterator[dict[str, Any]]:
        yield demo_product
        yield from spooled

    return {"partners": partners, "resources": resources(), "products": products()}


def _partners(fake: Faker, rng: random.Random, size: int) -> list[dict[str, Any]]:
    partners: list[dict[str, Any]] = [
        {
            "id": DEMO_PARTNER_ID,
            "name": "Paris Discovery Tours",
            "clientId": "demo-partner",
            "clientSecret": "demo-secret",
            "active": True,
        }
    ]
    # A few others: two at least (one of them inactive), one more per 250 products, at most 6.
    count = min(6, max(2, 2 + size // 250))
    for n in range(count):
        partner_id = DEMO_PARTNER_ID + 1 + n
        partners.append(
            {
                "id": partner_id,
                "name": str(fake.company()),
                "clientId": f"gen-partner-{partner_id}",
                "clientSecret": "".join(rng.choice(SECRET_ALPHABET) for _ in range(32)),
                "active": n != count - 1,
            }
        )
    return partners


def _product(
    fake: Faker,
    rng: random.Random,
    product_id: int,
    partner_id: int,
    resource_count: int,
    guides: list[dict[str, Any]],
    now: datetime,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """One product and the resource it owns (its primary one)."""
    city = str(fake.city())
    kind = rng.choice(KINDS)
    name = f"{city} {kind}"
    all_day = kind == "Museum Pass" or rng.random() < 0.05
    capacity = rng.choice(CAPACITIES)
    own: dict[str, Any] = {
        "id": resource_count + 1,
        "code": f"RES-GEN-{product_id:06d}",
        "name": f"{name} Entry",
        "type": "ticket" if all_day else rng.choice(("ticket", "venue", "vehicle", "boat")),
        "capacity": capacity,
        "active": True,
    }

    first_day = now.date()
    end_day = first_day + timedelta(days=rng.randint(30, 365))
    if rng.random() < 0.5:
        weekdays = list(ALL_WEEKDAYS)
    else:
        weekdays = sorted(rng.sample(ALL_WEEKDAYS, rng.randint(1, 6)))
    if all_day:
        times: list[str] = []
        duration = MINUTES_PER_DAY
    else:
        times = sorted(rng.sample(SLOTS, rng.randint(1, 4)))
        duration = rng.choice(DURATIONS)
    latest = max((_minutes(t) for t in times), default=0)
    links = [_link(own["code"], True, 0, duration, same_day=latest + duration <= MINUTES_PER_DAY)]
    if not all_day and rng.random() < 0.3:
        # The guide joins for part of the tour: often a non-zero start offset, so shared
        # capacity is taken over a sub-interval of the slot.
        guide = rng.choice(guides)
        offset = rng.choice((0, 15, 30))
        end = min(duration, offset + rng.choice((30, 60, 90, 120)))
        if end <= offset:
            end = offset + 15
        links.append(
            _link(guide["code"], False, offset, end, same_day=latest + end <= MINUTES_PER_DAY)
        )

    adult = rng.randint(8, 180)
    prices = [_price("adult", adult)]
    if rng.random() < 0.7:
        prices.append(_price("child", adult * rng.choice((0.0, 0.4, 0.5, 0.6))))
    if rng.random() < 0.3:
        prices.append(_price("senior", adult * 0.8))
    currency = "EUR" if rng.random() < 0.8 else rng.choice(("USD", "GBP", "JPY"))
    for line in prices:
        line["currency"] = currency

    product = {
        "id": product_id,
        "code": f"GEN-{product_id:06d}",
        "partnerId": partner_id,
        "name": name,
        "description": str(fake.sentence(nb_words=12)),
        # A few inactive products so catalog filtering is exercised at scale too.
        "active": rng.random() >= 0.05,
        "allDay": all_day,
        "timezone": rng.choice(TIMEZONES),
        **_timestamps(rng, now),
        "schedule": {
            "startDate": first_day.isoformat(),
            "endDate": end_day.isoformat(),
            "weekdays": weekdays,
            "times": times,
        },
        "prices": prices,
        "resources": links,
    }
    return product, own


def _link(code: str, primary: bool, start: int, end: int, *, same_day: bool) -> dict[str, Any]:
    return {
        "code": code,
        "isPrimary": primary,
        "sameDay": same_day,
        "timeOffsetStart": start,
        "timeOffsetEnd": end,
    }


def _price(label: str, price: float) -> dict[str, Any]:
    # Whole amounts stay integers, as in the reference examples (75, not 75.0).
    amount: float = int(price) if float(price).is_integer() else round(price, 2)
    return {"label": label, "price": amount, "currency": "EUR"}


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _timestamps(rng: random.Random, now: datetime) -> dict[str, str]:
    """createdAt <= updatedAt <= now, printed as Pont Central does (milliseconds, offset)."""
    created = now - timedelta(days=rng.randint(1, 400), seconds=rng.randint(0, 86_399))
    updated = created + (now - created) * rng.random()
    return {
        "createdAt": _stamp(created),
        "updatedAt": _stamp(updated),
    }


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")
