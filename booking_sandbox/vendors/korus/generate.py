"""Generate a large, valid Korus Ticket fixture catalog for load tests and benchmarks.

The result follows `schemas/fixtures/korus.schema.json` and the loader's cross-reference rules:
ids unique per kind, every organization/product/product base/event reference resolves inside
the document (or the same catalog), seat numbers unique per session, no more named seats than
places, `endsAt` after `startsAt`, and `dateAccess` true exactly for tickets without sessions.

The document holds exactly `size` sessions, all starting after `start`. It always contains the
demo organization and service account (`demo-client`/`demo-secret`) and the catalog, offer,
tickets and session of the book-a-ticket how-to, so the documented requests work on it too.

Every random choice goes through `rng` and every name through `fake`, so the same seeds give
the same catalog byte for byte.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from faker import Faker

DEMO_ORGANIZATION = "0194abdc-3a79-7ec3-b1b9-a1f291de587d"
DEMO_CATALOG = "0194abdc-3a71-72b0-a9b9-89d4be0cd73e"
DEMO_PRODUCT = "0194abfe-1c04-7ade-9bc3-dbcfefb12652"
DEMO_OFFER = "0194ac40-fda7-78c1-8fcb-26fc2df25894"
DEMO_DAY_TICKET = "0194ac40-fda7-78c1-8fcb-26fc2e2612d4"
DEMO_SESSION_TICKET = "7522b8de-37a2-458d-b099-6d515b0739be"
DEMO_SESSION = "337177bc-e513-444f-bcee-49a3e25b48a3"
# The how-to's session: 2025-06-07T20:00:00+02:00.
DEMO_SESSION_START = datetime(2025, 6, 7, 18, 0, tzinfo=UTC)

TIMEZONE = "Europe/Paris"
# French VAT rates on tickets: 80.00 incl. / 75.83 excl. in the how-to is the 5.5 % rate.
VAT_RATES = (Decimal("0.055"), Decimal("0.10"), Decimal("0.20"))
CAPACITIES = (2, 10, 30, 50, 100, 200, 500)
# Local start times; none falls in the 02:00-03:00 DST gap, so the offset rule below is exact.
SLOTS = (time(10, 0), time(11, 30), time(14, 0), time(16, 30), time(20, 0), time(21, 30))
DURATIONS = (timedelta(minutes=90), timedelta(hours=2), timedelta(hours=3, minutes=30))
UNIVERSES = ("show", "park", "visit", "sport", "concert")
PRICE_TYPES = ("adulte", "enfant", "senior", "étudiant")
STANDS = ("NORD", "SUD", "EST", "OUEST")
SESSIONS_PER_CATALOG = 250


def generate(fake: Faker, rng: random.Random, *, size: int, start: datetime) -> dict[str, Any]:
    """Exactly `size` sessions over catalogs of the demo organization and a few others.

    Sessions start on the days after `start`; creation timestamps lie before it (a naive
    `start` is UTC).
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    now = start if start.tzinfo is not None else start.replace(tzinfo=UTC)
    ids = _Ids(rng, now - timedelta(days=120))

    organizations: list[dict[str, Any]] = [{"id": DEMO_ORGANIZATION, "name": "CSE Démo"}]
    accounts: list[dict[str, Any]] = [
        {
            "clientId": "demo-client",
            "clientSecret": "demo-secret",
            "organization": DEMO_ORGANIZATION,
        }
    ]
    # One more organization per ~1000 sessions, so isolation is exercised at every size.
    for n in range(max(1, size // 1000)):
        org_id = ids.new()
        organizations.append({"id": org_id, "name": f"CSE {fake.company()}"})
        accounts.append(
            {
                "clientId": f"client-{n + 1:03d}",
                "clientSecret": f"{rng.getrandbits(128):032x}",
                "organization": org_id,
            }
        )

    demo = _demo_catalog(fake, rng, ids, now)
    catalogs = [demo]
    remaining = size - _count_sessions(demo)
    n_catalogs = max(1, -(-remaining // SESSIONS_PER_CATALOG))
    for n in range(n_catalogs):
        # Round-robin over organizations; the demo one gets the first generated catalog.
        owner = organizations[n % len(organizations)]["id"]
        share = -(-remaining // (n_catalogs - n)) if remaining > 0 else 0
        catalog = _catalog(fake, rng, ids, now, owner, share)
        remaining -= _count_sessions(catalog)
        catalogs.append(catalog)

    return {"organizations": organizations, "serviceAccounts": accounts, "catalogs": catalogs}


class _Ids:
    """UUIDv7-shaped ids from `rng`, with timestamps rising from `since` like real imports."""

    def __init__(self, rng: random.Random, since: datetime) -> None:
        self.rng = rng
        self.millis = int(since.timestamp() * 1000)
        self.seen: set[str] = set()

    def new(self) -> str:
        while True:
            self.millis += self.rng.randint(1, 5000)
            rand_a = self.rng.getrandbits(12)
            rand_b = self.rng.getrandbits(62)
            value = (self.millis << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
            text = str(uuid.UUID(int=value))
            # 74 random bits make a clash vanishingly rare, but ids must be unique per kind.
            if text not in self.seen:
                self.seen.add(text)
                return text


def _paris_offset(local: datetime) -> timezone:
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


def _local(day: date, at: time) -> datetime:
    naive = datetime.combine(day, at)
    return naive.replace(tzinfo=_paris_offset(naive))


def _stamp(value: datetime) -> str:
    """RFC 3339 with a numeric offset, as Korus (Symfony's RFC3339 format) prints it."""
    return value.isoformat(timespec="seconds")


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _prices(rng: random.Random) -> tuple[str, str]:
    incl = Decimal(rng.randint(5, 150)) + Decimal(rng.choice((0, 0, 50, 90))) / 100
    excl = incl / (1 + rng.choice(VAT_RATES))
    return _money(incl), _money(excl)


def _count_sessions(catalog: dict[str, Any]) -> int:
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


def _session(
    rng: random.Random, ids: _Ids, day: date, *, seated: bool, session_id: str | None = None
) -> dict[str, Any]:
    begins = _local(day, rng.choice(SLOTS))
    capacity = rng.choice(CAPACITIES)
    return {
        "id": session_id or ids.new(),
        "startsAt": _stamp(begins),
        "endsAt": _stamp(begins + rng.choice(DURATIONS)),
        # A few closed sessions, so clients meet the "not bookable" case under load too.
        "status": "closed" if rng.random() < 0.05 else "open",
        "capacity": capacity,
        "seats": _seats(rng, capacity) if seated else [],
    }


def _product_base(fake: Faker, rng: random.Random, ids: _Ids, universe: str) -> dict[str, Any]:
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


def _ticket(
    fake: Faker, rng: random.Random, ids: _Ids, sessions: list[dict[str, Any]]
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


def _catalog(
    fake: Faker,
    rng: random.Random,
    ids: _Ids,
    now: datetime,
    organization: str,
    n_sessions: int,
) -> dict[str, Any]:
    created = now - timedelta(days=rng.randint(30, 365), seconds=rng.randint(0, 86399))
    catalog_id = ids.new()
    # The first base always takes sessions, so the loop below can place its share of them.
    universes = ["show", *(rng.choice(UNIVERSES) for _ in range(rng.randint(1, 4)))]
    bases = [_product_base(fake, rng, ids, universe) for universe in universes]
    products: list[dict[str, Any]] = []
    offers: list[dict[str, Any]] = []
    first_day = now.date() + timedelta(days=1)
    remaining = n_sessions
    # Always at least one offer; then offers until this catalog's session share is used up.
    while remaining > 0 or not offers:
        base = rng.choice(bases)
        price_type = rng.choice(PRICE_TYPES)
        product = {
            "id": ids.new(),
            "productBase": base["id"],
            "name": f"{base['name']} - {price_type.capitalize()}",
            "description": str(fake.sentence()),
            "disabled": False,
            "optionValues": {"price_type": price_type},
        }
        products.append(product)
        tickets: list[dict[str, Any]] = []
        if base["useSession"] and remaining > 0:
            count = min(remaining, rng.randint(5, 40))
            remaining -= count
            seated = base["universe"] in ("show", "sport", "concert") and rng.random() < 0.5
            # Sessions on consecutive days from a random first day, one slot a day.
            offset = rng.randint(0, 60)
            sessions = [
                _session(rng, ids, first_day + timedelta(days=offset + d), seated=seated)
                for d in range(count)
            ]
            tickets.append(_ticket(fake, rng, ids, sessions))
        # Some session offers also give a day pass, like the how-to's offer.
        if not tickets or rng.random() < 0.3:
            tickets.append(_ticket(fake, rng, ids, []))
        incl, excl = _prices(rng)
        discounted = rng.random() < 0.1
        offers.append(
            {
                "id": ids.new(),
                "product": product["id"],
                "name": f"{product['name']} - {fake.word()}",
                # A few offers off sale, so reservation failures show up under load.
                "onSale": rng.random() >= 0.05,
                "date": None,
                "unitAmountInclTax": incl,
                "unitAmountExclTax": excl,
                "originalAmountInclTax": (
                    _money(Decimal(incl) * Decimal("1.15")) if discounted else None
                ),
                "currency": "eur",
                "availabilityCheckRequired": rng.random() < 0.5,
                "realtimePriceRequired": rng.random() < 0.1,
                "tickets": tickets,
            }
        )
    return {
        "id": catalog_id,
        "organization": organization,
        "name": f"Catalogue {fake.city()} - CSE",
        "createdAt": _stamp(created.astimezone(UTC)),
        "lastSyncedAt": _stamp((now - timedelta(hours=rng.randint(1, 24))).astimezone(UTC)),
        "defaultLanguage": "fr",
        "reservationHoldSeconds": rng.choice((600, 900, 900, 1200)),
        "productBases": bases,
        "events": [],
        "products": products,
        "offers": offers,
    }


def _demo_catalog(fake: Faker, rng: random.Random, ids: _Ids, now: datetime) -> dict[str, Any]:
    """The how-to's catalog, offer, tickets and seated session, with its documented ids."""
    base = _product_base(fake, rng, ids, "show")
    base["name"] = "Billetterie - Puy du Fou"
    # The documented session keeps its date when it is still ahead of `start`; otherwise it
    # moves to the next day at 20:00 local, so every generated session lies after `start`.
    if now < DEMO_SESSION_START:
        begins = DEMO_SESSION_START.astimezone(_paris_offset(datetime(2025, 6, 7, 20, 0)))
    else:
        begins = _local(now.date() + timedelta(days=1), time(20, 0))
    seats = [
        {
            "seatNumber": str(n),
            "level": "EST/INT-127-128-129-130-131",
            "row": "26",
            "stand": "EST",
            "stair": "131" if n >= 227 else "130",
            "gate": "V",
        }
        for n in range(222, 233)
    ]
    session = {
        "id": DEMO_SESSION,
        "startsAt": _stamp(begins),
        "endsAt": _stamp(begins + timedelta(hours=3, minutes=30)),
        "status": "open",
        "capacity": 200,
        "seats": seats,
    }
    day_ticket = _ticket(fake, rng, ids, [])
    day_ticket.update({"id": DEMO_DAY_TICKET, "name": "Grand Parc - 1 jour", "capacity": 500})
    session_ticket = _ticket(fake, rng, ids, [session])
    session_ticket.update({"id": DEMO_SESSION_TICKET, "name": "Cinéscénie", "capacity": 200})
    return {
        "id": DEMO_CATALOG,
        "organization": DEMO_ORGANIZATION,
        "name": "Catalogue Puy du Fou - CSE",
        "createdAt": "2025-01-28T07:42:04+00:00",
        "lastSyncedAt": _stamp(now.astimezone(UTC) - timedelta(hours=1)),
        "defaultLanguage": "fr",
        "reservationHoldSeconds": 900,
        "productBases": [base],
        "events": [],
        "products": [
            {
                "id": DEMO_PRODUCT,
                "productBase": base["id"],
                "name": "Grand Parc + Cinéscénie - Adulte",
                "description": str(fake.sentence()),
                "disabled": False,
                "optionValues": {"price_type": "adulte"},
            }
        ],
        "offers": [
            {
                "id": DEMO_OFFER,
                "product": DEMO_PRODUCT,
                "name": "Grand Parc + Cinéscénie - Adulte",
                "onSale": True,
                "date": begins.date().isoformat(),
                "unitAmountInclTax": "80.00",
                "unitAmountExclTax": "75.83",
                "originalAmountInclTax": None,
                "currency": "eur",
                "availabilityCheckRequired": True,
                "realtimePriceRequired": False,
                "tickets": [day_ticket, session_ticket],
            }
        ],
    }
