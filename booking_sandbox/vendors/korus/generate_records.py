"""The pieces of a generated Korus catalog (generate.py assembles the catalogs): ids, Paris
wall times, prices, sessions with their named seats, tickets and product bases.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from faker import Faker

TIMEZONE = "Europe/Paris"
# French VAT rates on tickets: 80.00 incl. / 75.83 excl. in the how-to is the 5.5 % rate.
VAT_RATES = (Decimal("0.055"), Decimal("0.10"), Decimal("0.20"))
CAPACITIES = (2, 10, 30, 50, 100, 200, 500)
# Local start times; none falls in the 02:00-03:00 DST gap, so the offset rule below is exact.
SLOTS = (time(10, 0), time(11, 30), time(14, 0), time(16, 30), time(20, 0), time(21, 30))
DURATIONS = (timedelta(minutes=90), timedelta(hours=2), timedelta(hours=3, minutes=30))
STANDS = ("NORD", "SUD", "EST", "OUEST")


class Ids:
    """UUIDv7-shaped ids from `rng`, with timestamps rising from `since` like real imports."""

    def __init__(self, rng: random.Random, since: datetime) -> None:
        self.rng = rng
        self.millis = int(since.timestamp() * 1000)

    def new(self) -> str:
        # Unique without a set of those made (which would grow with the catalog): the
        # timestamp rises by at least a millisecond from one id to the next.
        self.millis += self.rng.randint(1, 5000)
        rand_a = self.rng.getrandbits(12)
        rand_b = self.rng.getrandbits(62)
        value = (self.millis << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
        return str(uuid.UUID(int=value))


def paris_offset(local: datetime) -> timezone:
    """Europe/Paris offset for a naive local wall time, without depending on system tzdata.

    EU rule: summer time from the last Sunday of March to the last Sunday of October, 01:00 UTC.
    """
    year = local.year

    def last_sunday(month: int) -> date:
        day = date(year, month, 31)
        return day - timedelta(days=(day.weekday() + 1) % 7)

    begins = datetime.combine(last_sunday(3), time(1, 0))
    ends = datetime.combine(last_sunday(10), time(1, 0))
    as_utc = local - timedelta(hours=1)
    hours = 2 if begins <= as_utc < ends else 1
    return timezone(timedelta(hours=hours))


def paris_time(day: date, at: time) -> datetime:
    naive = datetime.combine(day, at)
    return naive.replace(tzinfo=paris_offset(naive))


def stamp(value: datetime) -> str:
    """RFC 3339 with a numeric offset, as Korus (Symfony's RFC3339 format) prints it."""
    return value.isoformat(timespec="seconds")


def money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def prices(rng: random.Random) -> tuple[str, str]:
    incl = Decimal(rng.randint(5, 150)) + Decimal(rng.choice((0, 0, 50, 90))) / 100
    excl = incl / (1 + rng.choice(VAT_RATES))
    return money(incl), money(excl)


def count_sessions(catalog: dict[str, Any]) -> int:
    return sum(len(t["sessions"]) for o in catalog["offers"] for t in o["tickets"])


def _seats(rng: random.Random, capacity: int) -> list[dict[str, Any]]:
    """A run of adjacent named seats in one row; a few, so documents stay small."""
    stand = rng.choice(STANDS)
    row = str(rng.randint(1, 40))
    first = rng.randint(1, 400)
    stairs = [str(rng.randint(100, 140)) for _ in range(2)]
    count = min(capacity, rng.randint(2, 12))
    return [
        {
            "seatNumber": str(first + n),
            "level": f"{stand}/INT-{stairs[0]}-{stairs[1]}",
            "row": row,
            "stand": stand,
            "stair": stairs[n * 2 // count],
            "gate": rng.choice("ABCDEFGHJKLMNPRSTUV"),
        }
        for n in range(count)
    ]


def session(
    rng: random.Random, ids: Ids, day: date, *, seated: bool, session_id: str | None = None
) -> dict[str, Any]:
    begins = paris_time(day, rng.choice(SLOTS))
    capacity = rng.choice(CAPACITIES)
    return {
        "id": session_id or ids.new(),
        "startsAt": stamp(begins),
        "endsAt": stamp(begins + rng.choice(DURATIONS)),
        # A few closed sessions, so clients meet the "not bookable" case under load too.
        "status": "closed" if rng.random() < 0.05 else "open",
        "capacity": capacity,
        "seats": _seats(rng, capacity) if seated else [],
    }


def product_base(fake: Faker, rng: random.Random, ids: Ids, universe: str) -> dict[str, Any]:
    return {
        "id": ids.new(),
        "name": f"{str(fake.catch_phrase()).capitalize()} - {fake.city()!s}",
        "disabled": False,
        "description": {"fr": f"<p>{fake.paragraph()}</p>", "en": f"<p>{fake.paragraph()}</p>"},
        "shortDescription": f"<p>{fake.sentence()}</p>",
        "termsOfUse": f"<p>{fake.sentence()}</p>",
        "useSession": universe != "park",
        "timezone": TIMEZONE,
        "recurring": True,
        "beneficiaryInfoMayBeRequired": rng.random() < 0.2,
        "instantDocumentDelivery": rng.random() < 0.8,
        "maxAmountPerOrder": rng.choice((4, 6, 10, 20)),
        "universe": universe,
        "venue": {
            "name": str(fake.company()),
            "line1": str(fake.street_address()),
            "line2": None,
            "postalCode": str(fake.postcode()),
            "city": str(fake.city()),
            "country": "FR",
            "phone": str(fake.phone_number()),
            "website": str(fake.url()),
            "latitude": f"{rng.uniform(42.5, 51.0):.4f}",
            "longitude": f"{rng.uniform(-4.5, 8.0):.4f}",
        },
        "medias": {
            "logo": str(fake.image_url()),
            "gallery": [str(fake.image_url()) for _ in range(rng.randint(0, 3))],
        },
    }


def ticket(
    fake: Faker, rng: random.Random, ids: Ids, sessions: list[dict[str, Any]]
) -> dict[str, Any]:
    named = rng.random() < 0.15
    return {
        "id": ids.new(),
        "name": str(fake.catch_phrase()).capitalize(),
        "description": str(fake.sentence()),
        "dateAccess": not sessions,
        "form": None,
        "requiredBeneficiaryFields": ["firstname", "lastname"] if named else [],
        "beneficiaryDesignationDeadline": None,
        "beneficiaryAmendable": True,
        # Unused when there are sessions, but required: keep it the largest session's size.
        "capacity": max((s["capacity"] for s in sessions), default=rng.choice(CAPACITIES)),
        "sessions": sessions,
    }
