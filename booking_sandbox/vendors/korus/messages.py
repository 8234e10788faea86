"""Violation messages in the languages Korus serves, chosen by Accept-Language (negotiation.py).

Handlers write a violation's message in English (Symfony's message ids; Korus's expired
reservation may come in French, seed 001's words); the error answer writes it in the client's
language through this table, so its `message`, `detail` and `description` all agree. The
French of Symfony's constraints is Symfony's own translation (validators.fr.xlf); the sandbox's
own refusals are translated here. A message the table does not know is written as it is.

Only violation messages are translated: API Platform's other errors (`Not Found`, `Access
Denied.`, `No route found for ...`, `Syntax error`, the 406) carry the exception's message, which
neither Symfony nor API Platform translates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from booking_sandbox.vendors.korus.negotiation import Language

# One entry per message, keyed by language; `{name}` is a parameter (Symfony's `{{ name }}`).
MESSAGES: tuple[Mapping[Language, str], ...] = (
    # Symfony's constraints (symfony/validator Resources/translations/validators.fr.xlf).
    {"en": "This value should not be blank.", "fr": "Cette valeur ne doit pas être vide."},
    {"en": "This value should not be null.", "fr": "Cette valeur ne doit pas être nulle."},
    {"en": "This value should be positive.", "fr": "Cette valeur doit être strictement positive."},
    {
        "en": "The value you selected is not a valid choice.",
        "fr": "Cette valeur doit être l'un des choix proposés.",
    },
    {"en": "This value is not valid.", "fr": "Cette valeur n'est pas valide."},
    {"en": "This value is not a valid date.", "fr": "Cette valeur n'est pas une date valide."},
    {"en": "This value is not a valid UUID.", "fr": "Cette valeur n'est pas un UUID valide."},
    {
        "en": "This value is not a valid email address.",
        "fr": "Cette valeur n'est pas une adresse email valide.",
    },
    {"en": "This value should be of type {type}.", "fr": "Cette valeur doit être de type {type}."},
    {
        "en": "This value is too long. It should have {limit} characters or less.",
        "fr": "Cette chaîne est trop longue. Elle doit avoir au maximum {limit} caractères.",
    },
    # Korus's own (book-a-ticket, §6.1: the French is the documented one).
    {"en": "The reservation has expired", "fr": "La réservation a expiré"},
    # The sandbox's own refusals (tickets, cancellation).
    {
        "en": "The order is cancelled: its tickets can no longer be changed.",
        "fr": "La commande est annulée : ses billets ne peuvent plus être modifiés.",
    },
    {
        "en": "The beneficiary designation deadline has passed.",
        "fr": "La date limite de désignation du bénéficiaire est dépassée.",
    },
    {
        "en": "The beneficiary of this ticket cannot be amended.",
        "fr": "Le bénéficiaire de ce billet ne peut pas être modifié.",
    },
    # The bulk reservation's consistency check (consistency.py); the English predates the 422.
    {"en": "Offer not found", "fr": "Offre introuvable"},
    {"en": "Offer is not on sale", "fr": "L'offre n'est pas en vente"},
    {"en": "Offer date has passed", "fr": "La date de l'offre est passée"},
    {
        "en": "Ticket {ticket} is not a ticket of this offer",
        "fr": "Le billet {ticket} n'est pas un billet de cette offre",
    },
    {
        "en": "Session {session} is not a session of this ticket",
        "fr": "La séance {session} n'est pas une séance de ce billet",
    },
    {
        "en": "Ticket {ticket} has no session to choose",
        "fr": "Le billet {ticket} n'a pas de séance à choisir",
    },
    {
        "en": "A session must be chosen for ticket {ticket}",
        "fr": "Une séance doit être choisie pour le billet {ticket}",
    },
    {"en": "Session is closed", "fr": "La séance est fermée"},
    {"en": "Session has already taken place", "fr": "La séance a déjà eu lieu"},
)

_PARAMETER = re.compile(r"\{(\w+)\}")


def _pattern(text: str) -> re.Pattern[str]:
    pieces = _PARAMETER.split(text)  # literal, name, literal, name, ..., literal
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(pieces))
    )


# A message is found by any of its wordings, so a handler may write either language.
_EXACT = {text: entry for entry in MESSAGES for text in entry.values() if "{" not in text}
_TEMPLATES = [
    (_pattern(text), entry) for entry in MESSAGES for text in entry.values() if "{" in text
]


def translate(message: str, language: Language) -> str:
    """`message` in `language`, or `message` itself when the table does not know it."""
    entry = _EXACT.get(message)
    if entry is not None:
        return entry[language]
    for pattern, template in _TEMPLATES:
        found = pattern.fullmatch(message)
        if found is not None:
            return template[language].format(**found.groupdict())
    return message
