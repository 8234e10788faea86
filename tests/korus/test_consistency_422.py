"""Issue 16, point 4: the bulk reservation's synchronous consistency check is a 422 that
reserves nothing (reference §5.1); `failedReservations` is left to the sub-system's answers."""

from __future__ import annotations

from typing import Any

import pytest

from booking_sandbox.vendors.korus import consistency as c
from booking_sandbox.vendors.korus import magic
from booking_sandbox.vendors.korus.messages import translate
from booking_sandbox.vendors.korus.php_json import encode
from booking_sandbox.vendors.korus.wire import Violation, violation_body
from tests.korus.conftest import (
    CATALOG,
    DAY_TICKET,
    MULTI,
    MULTI_TICKET,
    SEED_OFFER,
    SHOW,
    SHOW_TICKET,
    SMALL,
    Client,
    login,
    multi_item,
    seed_item,
)

BULK = "/v1/booking/reservations/_bulk"
CLOSED = f"{MULTI_TICKET}/sessions/0194ac41-2b3c-7d10-8e4f-5a6b7c8d9e02"
PAST = f"{MULTI_TICKET}/sessions/0194ac41-2b3c-7d10-8e4f-5a6b7c8d9e03"
NOT_ON_SALE = f"{CATALOG}/offers/0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8ea0"
DATED = f"{CATALOG}/offers/0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8eb0"  # 2025-06-07, no session
SMALL_OLD_FORM = f"{CATALOG}/events/0194ac41-0000-7000-8000-000000000000/sessions/{SMALL[-36:]}"
ENGLISH = {"Accept-Language": "en"}


def seed_with(*choices: dict[str, str]) -> dict[str, Any]:
    return {"offer": SEED_OFFER, "quantity": 1, "ticketSessions": list(choices)}


def violations(korus: Client, *items: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    response = korus.post(BULK, json={"items": list(items)}, headers=ENGLISH)
    assert response.status_code == 422, response.text
    return [(v["propertyPath"], v["message"], v["code"]) for v in response.json()["violations"]]


def nothing_reserved(korus: Client) -> None:
    assert korus.get("/v1/booking/reservations").json()["totalItems"] == 0
    # SMALL's two seats are both still free: a hold of 2 fits.
    again = korus.post(BULK, json={"items": [multi_item(SMALL, 2)]}).json()
    assert again["failedReservations"] == [], again


CASES = [
    pytest.param(
        multi_item(CLOSED),
        [(".ticketSessions[0].session", "Session is closed", c.SESSION_CLOSED)],
        id="closed-session",
    ),
    pytest.param(
        multi_item(PAST),
        [(".ticketSessions[0].session", "Session has already taken place", c.SESSION_PAST)],
        id="past-session",
    ),
    pytest.param(
        {"offer": NOT_ON_SALE, "quantity": 1},
        [(".offer", "Offer is not on sale", c.OFFER_NOT_ON_SALE)],
        id="not-on-sale",
    ),
    pytest.param(
        {"offer": MULTI, "quantity": 1, "ticketSessions": [{"ticket": DAY_TICKET}]},
        [
            (
                ".ticketSessions[0].ticket",
                f"Ticket {DAY_TICKET} is not a ticket of this offer",
                c.TICKET_NOT_OF_OFFER,
            ),
            (
                ".ticketSessions",
                f"A session must be chosen for ticket {MULTI_TICKET}",
                c.SESSION_REQUIRED,
            ),
        ],
        id="ticket-of-another-offer",
    ),
    pytest.param(
        seed_with({"ticket": MULTI_TICKET}),  # the reviewer's repro
        [
            (
                ".ticketSessions[0].ticket",
                f"Ticket {MULTI_TICKET} is not a ticket of this offer",
                c.TICKET_NOT_OF_OFFER,
            ),
            (
                ".ticketSessions",
                f"A session must be chosen for ticket {SHOW_TICKET}",
                c.SESSION_REQUIRED,
            ),
        ],
        id="seed-offer-with-another-offers-ticket",
    ),
    pytest.param(
        seed_with({"ticket": DAY_TICKET}),
        [
            (
                ".ticketSessions",
                f"A session must be chosen for ticket {SHOW_TICKET}",
                c.SESSION_REQUIRED,
            )
        ],
        id="session-missing-no-entry",
    ),
    pytest.param(
        seed_with({"ticket": DAY_TICKET}, {"ticket": SHOW_TICKET}),
        [
            (
                ".ticketSessions[1].session",
                f"A session must be chosen for ticket {SHOW_TICKET}",
                c.SESSION_REQUIRED,
            )
        ],
        id="session-missing-in-its-entry",
    ),
    pytest.param(
        seed_with(
            {"ticket": DAY_TICKET, "session": SHOW}, {"ticket": SHOW_TICKET, "session": SHOW}
        ),
        [
            (
                ".ticketSessions[0].session",
                f"Ticket {DAY_TICKET} has no session to choose",
                c.NO_SESSION_TO_CHOOSE,
            )
        ],
        id="session-for-a-ticket-without-sessions",
    ),
    pytest.param(
        seed_with({"ticket": DAY_TICKET}, {"ticket": SHOW_TICKET, "session": SMALL}),
        [
            (
                ".ticketSessions[1].session",
                f"Session {SMALL} is not a session of this ticket",
                c.SESSION_NOT_OF_TICKET,
            )
        ],
        id="session-of-another-ticket",
    ),
    pytest.param(
        # The events-model IRI names no ticket: it is matched against this ticket's sessions.
        seed_with({"ticket": DAY_TICKET}, {"ticket": SHOW_TICKET, "session": SMALL_OLD_FORM}),
        [
            (
                ".ticketSessions[1].session",
                f"Session {SMALL_OLD_FORM} is not a session of this ticket",
                c.SESSION_NOT_OF_TICKET,
            )
        ],
        id="events-model-session-of-another-ticket",
    ),
]


@pytest.mark.parametrize(("item", "expected"), CASES)
def test_a_consistency_failure_is_a_422_that_reserves_nothing(
    korus: Client, item: dict[str, Any], expected: list[tuple[str, str, str]]
) -> None:
    # A good item first: it is not reserved either, and the path indexes the request's items.
    found = violations(korus, seed_item(), multi_item(SMALL, 2), item)
    assert found == [(f"items[2]{path}", message, code) for path, message, code in expected]
    nothing_reserved(korus)


def test_a_passed_offer_date_is_a_422(korus: Client) -> None:
    korus.api.put("/_sandbox/clock", json={"now": "2025-06-08T08:00:00Z", "frozen": True})
    fresh = Client(korus.api, login(korus.api)["access_token"])
    found = violations(fresh, {"offer": DATED, "quantity": 1})
    assert found == [("items[0].offer", "Offer date has passed", c.OFFER_DATE_PASSED)]


def test_another_organizations_offer_is_a_422_on_the_offer(korus: Client) -> None:
    """The IRI resolves (no security on a relation), then the check refuses it; no more is
    said about it (its sessions are not checked), and nothing is reserved."""
    other = Client(korus.api, login(korus.api, "other-client", "other-secret")["access_token"])
    found = violations(other, seed_with())  # the show ticket has no session chosen
    assert found == [("items[0].offer", "Offer not found", c.OFFER_NOT_FOUND)]
    assert other.get("/v1/booking/reservations").json()["totalItems"] == 0


def test_every_violation_of_every_item_at_once_in_item_order(korus: Client) -> None:
    response = korus.post(
        BULK, json={"items": [{"offer": NOT_ON_SALE, "quantity": 0}, multi_item(CLOSED)]}
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert [(v["propertyPath"], v["code"]) for v in body["violations"]] == [
        ("items[0].quantity", "778b7ae0-84d3-481a-9dec-35fdb64b1d78"),  # Positive, then
        ("items[0].offer", c.OFFER_NOT_ON_SALE),  # the item's consistency
        ("items[1].ticketSessions[0].session", c.SESSION_CLOSED),
    ]
    ident = f"0=778b7ae0-84d3-481a-9dec-35fdb64b1d78;1={c.OFFER_NOT_ON_SALE};2={c.SESSION_CLOSED}"
    assert body["@id"] == f"/validation_errors/{ident}"


def test_the_422_is_korus_s_constraint_violation_list_in_french_by_default(
    korus: Client,
) -> None:
    response = korus.post(BULK, json={"items": [seed_with({"ticket": DAY_TICKET})]})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json; charset=utf-8"
    french = f"Une séance doit être choisie pour le billet {SHOW_TICKET}"
    expected = violation_body([Violation("items[0].ticketSessions", french, c.SESSION_REQUIRED)])
    assert response.content == encode(expected)


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("Offer not found", "Offre introuvable"),
        ("Offer is not on sale", "L'offre n'est pas en vente"),
        ("Offer date has passed", "La date de l'offre est passée"),
        (
            f"Ticket {DAY_TICKET} is not a ticket of this offer",
            f"Le billet {DAY_TICKET} n'est pas un billet de cette offre",
        ),
        (
            f"Session {SMALL} is not a session of this ticket",
            f"La séance {SMALL} n'est pas une séance de ce billet",
        ),
        (
            f"Ticket {DAY_TICKET} has no session to choose",
            f"Le billet {DAY_TICKET} n'a pas de séance à choisir",
        ),
        (
            f"A session must be chosen for ticket {SHOW_TICKET}",
            f"Une séance doit être choisie pour le billet {SHOW_TICKET}",
        ),
        ("Session is closed", "La séance est fermée"),
        ("Session has already taken place", "La séance a déjà eu lieu"),
    ],
)
def test_every_consistency_message_speaks_both_languages(english: str, french: str) -> None:
    assert translate(english, "fr") == french
    assert translate(french, "en") == english


def test_sub_system_refusals_stay_in_failed_reservations(korus: Client) -> None:
    """Capacity and the magic quantity are the sub-system's answers: 200, item by item."""
    response = korus.post(
        BULK, json={"items": [seed_item(), multi_item(SMALL, 3), multi_item(SMALL, 999)]}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["reservations"]) == 1
    assert [f["message"] for f in body["failedReservations"]] == [
        "Offer is sold out",
        magic.RESERVATION_REFUSED_MESSAGE,
    ]


def test_the_magic_quantity_does_not_hide_a_consistency_failure(korus: Client) -> None:
    found = violations(korus, {"offer": NOT_ON_SALE, "quantity": 999})
    assert found == [("items[0].offer", "Offer is not on sale", c.OFFER_NOT_ON_SALE)]
