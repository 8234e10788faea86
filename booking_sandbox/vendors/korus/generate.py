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
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from faker import Faker

from booking_sandbox.vendors.korus import generate_records as records

DEMO_ORGANIZATION = "0194abdc-3a79-7ec3-b1b9-a1f291de587d"
DEMO_CATALOG = "0194abdc-3a71-72b0-a9b9-89d4be0cd73e"
DEMO_PRODUCT = "0194abfe-1c04-7ade-9bc3-dbcfefb12652"
DEMO_OFFER = "0194ac40-fda7-78c1-8fcb-26fc2df25894"
DEMO_DAY_TICKET = "0194ac40-fda7-78c1-8fcb-26fc2e2612d4"
DEMO_SESSION_TICKET = "7522b8de-37a2-458d-b099-6d515b0739be"
DEMO_SESSION = "337177bc-e513-444f-bcee-49a3e25b48a3"
# The how-to's session: 2025-06-07T20:00:00+02:00.
DEMO_SESSION_START = datetime(2025, 6, 7, 18, 0, tzinfo=UTC)

UNIVERSES = ("show", "park", "visit", "sport", "concert")
PRICE_TYPES = ("adulte", "enfant", "senior", "étudiant")
SESSIONS_PER_CATALOG = 250


def stream(
    fake: Faker,
    rng: random.Random,
    *,
    size: int,
    start: datetime,
    progress: Callable[[int], None] = lambda done: None,
) -> dict[str, Any]:
    """Exactly `size` sessions over catalogs of the demo organization and a few others.

    Sessions start on the days after `start`; creation timestamps lie before it (a naive
    `start` is UTC). The catalogs are made one at a time as they are read (`progress` hears
    of each one's sessions), so a big document is never whole in memory.
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    now = start if start.tzinfo is not None else start.replace(tzinfo=UTC)
    ids = records.Ids(rng, now - timedelta(days=120))

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

    def catalogs() -> Iterator[dict[str, Any]]:
        demo = _demo_catalog(fake, rng, ids, now)
        progress(records.count_sessions(demo))
        yield demo
        remaining = size - records.count_sessions(demo)
        n_catalogs = max(1, -(-remaining // SESSIONS_PER_CATALOG))
        for n in range(n_catalogs):
            # Round-robin over organizations; the demo one gets the first generated catalog.
            owner = organizations[n % len(organizations)]["id"]
            share = -(-remaining // (n_catalogs - n)) if remaining > 0 else 0
            catalog = _catalog(fake, rng, ids, now, owner, share)
            remaining -= records.count_sessions(catalog)
            progress(records.count_sessions(catalog))
            yield catalog

    return {"organizations": organizations, "serviceAccounts": accounts, "catalogs": catalogs()}


def _catalog(
    fake: Faker,
    rng: random.Random,
    ids: records.Ids,
    now: datetime,
    organization: str,
    n_sessions: int,
) -> dict[str, Any]:
    created = now - timedelta(days=rng.randint(30, 365), seconds=rng.randint(0, 86399))
    catalog_id = ids.new()
    # The first base always takes sessions, so the loop below can place its share of them.
    universes = ["show", *(rng.choice(UNIVERSES) for _ in range(rng.randint(1, 4)))]
    bases = [records.product_base(fake, rng, ids, universe) for universe in universes]
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
                records.session(rng, ids, first_day + timedelta(days=offset + d), seated=seated)
                for d in range(count)
            ]
            tickets.append(records.ticket(fake, rng, ids, sessions))
        # Some session offers also give a day pass, like the how-to's offer.
        if not tickets or rng.random() < 0.3:
            tickets.append(records.ticket(fake, rng, ids, []))
        incl, excl = records.prices(rng)
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
                    records.money(Decimal(incl) * Decimal("1.15")) if discounted else None
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
        "createdAt": records.stamp(created.astimezone(UTC)),
        "lastSyncedAt": records.stamp((now - timedelta(hours=rng.randint(1, 24))).astimezone(UTC)),
        "defaultLanguage": "fr",
        "reservationHoldSeconds": rng.choice((600, 900, 900, 1200)),
        "productBases": bases,
        "events": [],
        "products": products,
        "offers": offers,
    }


def _demo_catalog(
    fake: Faker, rng: random.Random, ids: records.Ids, now: datetime
) -> dict[str, Any]:
    """The how-to's catalog, offer, tickets and seated session, with its documented ids."""
    base = records.product_base(fake, rng, ids, "show")
    base["name"] = "Billetterie - Puy du Fou"
    # The documented session keeps its date when it is still ahead of `start`; otherwise it
    # moves to the next day at 20:00 local, so every generated session lies after `start`.
    if now < DEMO_SESSION_START:
        begins = DEMO_SESSION_START.astimezone(records.paris_offset(datetime(2025, 6, 7, 20, 0)))
    else:
        begins = records.paris_time(now.date() + timedelta(days=1), time(20, 0))
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
        "startsAt": records.stamp(begins),
        "endsAt": records.stamp(begins + timedelta(hours=3, minutes=30)),
        "status": "open",
        "capacity": 200,
        "seats": seats,
    }
    day_ticket = records.ticket(fake, rng, ids, [])
    day_ticket.update({"id": DEMO_DAY_TICKET, "name": "Grand Parc - 1 jour", "capacity": 500})
    session_ticket = records.ticket(fake, rng, ids, [session])
    session_ticket.update({"id": DEMO_SESSION_TICKET, "name": "Cinéscénie", "capacity": 200})
    return {
        "id": DEMO_CATALOG,
        "organization": DEMO_ORGANIZATION,
        "name": "Catalogue Puy du Fou - CSE",
        "createdAt": "2025-01-28T07:42:04+00:00",
        "lastSyncedAt": records.stamp(now.astimezone(UTC) - timedelta(hours=1)),
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
