"""Korus content negotiation: `Accept` (406, the `jsonproblem` error form) and `Accept-Language`
(violation messages in French or English), as API Platform and Symfony answer (§8.7)."""

from __future__ import annotations

import json
import re
import string
from typing import Any

import httpx2 as httpx
import pytest
from starlette.datastructures import Headers

from booking_sandbox.vendors.korus import negotiation
from booking_sandbox.vendors.korus.inputs import NOT_BLANK
from booking_sandbox.vendors.korus.messages import MESSAGES, translate
from booking_sandbox.vendors.korus.negotiation import (
    ERROR_TYPES,
    MAX_ECHO_CHARS,
    MAX_HEADER_CHARS,
    MAX_RANGES,
    RESOURCE_TYPES,
    best,
    language,
    preferences,
    preferred_languages,
    ranges,
)
from booking_sandbox.vendors.korus.php_json import encode
from booking_sandbox.vendors.korus.wire import error_body
from tests.conftest import Api
from tests.korus.conftest import CATALOG, SEED_OFFER, Client, seed_item
from tests.korus.test_booking import CUSTOMER
from tests.korus.test_options_forms import PRICE_TYPES
from tests.korus.test_tickets_documents import MERGE, book

COLLECTION = "/v1/ticketing/catalogs"
MISSING = f"{CATALOG}/offers/0194ac40-0000-7000-8000-000000000000"
LD, PROBLEM, JSON = ERROR_TYPES
GENID = re.compile(rb"genid\\/[0-9a-f]{20}")
DOC_LINK = '; rel="http://www.w3.org/ns/hydra/core#apiDocumentation"'
ERROR_LINK = '<http://www.w3.org/ns/hydra/error>; rel="http://www.w3.org/ns/json-ld#error"'


def unacceptable(accept: str) -> str:
    return (
        f'Requested format "{accept}" is not supported. '
        'Supported MIME types are "application/ld+json".'
    )


def send(korus: Client, method: str, path: str, **headers: str | None) -> httpx.Response:
    """A request whose headers are exactly these (None removes the client's default)."""
    request = korus.api.client.build_request(method, path)
    request.headers["Authorization"] = f"Bearer {korus.token}"
    request.headers["X-Sandbox-Namespace"] = korus.api.namespace
    for name, value in headers.items():
        name = name.replace("_", "-")
        if value is None:
            request.headers.pop(name, None)
        else:
            request.headers[name] = value
    return korus.api.client.send(request)


def problem(status: int, detail: str, accept: str = PROBLEM) -> bytes:
    """`_api_errors_problem`'s body: for `application/problem+json` (`jsonproblem`) in API
    Platform's JsonEncoder bytes, as JSON-LD (quotes `\\u0022`, accents raw); for
    `application/json` (`json`) in Symfony's own (quotes `\\"`, accents `\\u00XX`)."""
    detail = json.dumps(detail)[1:-1] if accept == JSON else detail.replace('"', "\\u0022")
    detail = detail.replace("/", "\\/")
    return (
        f'{{"title":"An error occurred","detail":"{detail}","status":{status},'
        f'"type":"\\/errors\\/{status}"}}'
    ).encode()


def assert_problem_headers(response: httpx.Response) -> None:
    assert response.headers["content-type"] == "application/problem+json; charset=utf-8"
    assert response.headers["vary"] == "Accept"
    assert response.headers["link"].endswith(DOC_LINK)
    assert ERROR_LINK not in response.headers["link"]  # the problem operation has no link


def assert_hydra_error(response: httpx.Response, status: int, detail: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json; charset=utf-8"
    assert response.headers["link"].startswith(ERROR_LINK)
    assert response.content == encode(error_body(status, detail))


# ----- the negotiator ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "priorities", "chosen"),
    [
        ("application/ld+json", RESOURCE_TYPES, LD),
        ("*/*", RESOURCE_TYPES, LD),
        ("*", RESOURCE_TYPES, LD),
        ("application/*", RESOURCE_TYPES, LD),
        ("application/*+json", RESOURCE_TYPES, LD),
        ("APPLICATION/LD+JSON", RESOURCE_TYPES, LD),
        ("text/html;q=0.9, application/ld+json", RESOURCE_TYPES, LD),
        ("text/html, application/ld+json;q=0.1", RESOURCE_TYPES, LD),
        ('text/html;x="a,b", application/ld+json', RESOURCE_TYPES, LD),
        ("text/html", RESOURCE_TYPES, None),
        ("application/json", RESOURCE_TYPES, None),
        ("application/problem+json", RESOURCE_TYPES, None),
        ("invalid", RESOURCE_TYPES, None),
        # willdurand/negotiation: a parameter other than q matches no plain priority.
        ("application/ld+json; charset=utf-8", RESOURCE_TYPES, None),
        ("*/*", ERROR_TYPES, LD),
        ("application/json", ERROR_TYPES, JSON),
        ("application/problem+json", ERROR_TYPES, PROBLEM),
        ("application/json, application/ld+json", ERROR_TYPES, LD),  # equal q: server order
        ("application/ld+json;q=0.5, application/json", ERROR_TYPES, JSON),
        ("text/html", ERROR_TYPES, None),
    ],
)
def test_best_is_the_negotiators_choice(
    accept: str, priorities: tuple[str, ...], chosen: str | None
) -> None:
    assert best(accept, priorities) == chosen


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "fr"),
        ("fr", "fr"),
        ("en", "en"),
        ("en-GB", "en"),
        ("EN_us", "en"),
        ("de", "fr"),
        ("*", "fr"),
        ("de, en;q=0.8", "en"),
        ("fr;q=0.5, en", "en"),
        ("en;q=0, de", "fr"),
    ],
)
def test_the_language_asked_for(header: str | None, expected: str) -> None:
    headers = Headers({"accept-language": header} if header is not None else {})
    assert language(headers) == expected


def test_every_message_reads_in_both_languages() -> None:
    for entry in MESSAGES:
        names = {name for _, name, _, _ in string.Formatter().parse(entry["en"]) if name}
        values = {name: f"{name}-1" for name in names}
        for text in entry.values():
            filled = text.format(**values)
            assert translate(filled, "en") == entry["en"].format(**values)
            assert translate(filled, "fr") == entry["fr"].format(**values)
    assert translate("Something new.", "fr") == "Something new."  # unknown: as written


# ----- Accept on the wire ------------------------------------------------------------------


@pytest.mark.parametrize("path", [COLLECTION, SEED_OFFER])
@pytest.mark.parametrize(
    "accept", [None, "application/ld+json", "*/*", "text/html;q=0.9, application/ld+json"]
)
def test_json_ld_is_served_byte_for_byte(korus: Client, path: str, accept: str | None) -> None:
    reference = send(korus, "GET", path, Accept="application/ld+json")
    response = send(korus, "GET", path, Accept=accept)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/ld+json; charset=utf-8"
    # Blank nodes are new in every answer (§8.6): the rest is the same bytes.
    assert GENID.sub(b"", response.content) == GENID.sub(b"", reference.content)


@pytest.mark.parametrize("path", [COLLECTION, SEED_OFFER, MISSING])
@pytest.mark.parametrize("accept", ["application/json", "application/problem+json"])
def test_plain_json_is_not_served_and_says_so_in_plain_json(
    korus: Client, path: str, accept: str
) -> None:
    response = send(korus, "GET", path, Accept=accept)
    assert response.status_code == 406  # before the read: a missing item is 406 too
    assert response.content == problem(406, unacceptable(accept), accept)
    assert_problem_headers(response)


def test_problem_json_is_written_by_the_json_ld_encoder(korus: Client) -> None:
    """`jsonproblem`'s encoder is API Platform's JsonEncoder (§8.3); `json`'s is Symfony's."""
    response = send(korus, "GET", COLLECTION, Accept=PROBLEM)
    assert b'"detail":"Requested format \\u0022application\\/problem+json\\u0022 is' in (
        response.content
    )
    response = send(korus, "GET", COLLECTION, Accept=JSON)
    assert b'"detail":"Requested format \\"application\\/json\\" is' in response.content


@pytest.mark.parametrize("accept", ["text/html", "invalid", "application/ld+json; charset=utf-8"])
def test_other_types_are_406_in_json_ld(korus: Client, accept: str) -> None:
    for path in (COLLECTION, MISSING):
        assert_hydra_error(send(korus, "GET", path, Accept=accept), 406, unacceptable(accept))


def test_a_write_is_refused_before_it_happens(korus: Client, api: Api) -> None:
    body = {"items": [{"offer": SEED_OFFER, "quantity": 1}]}
    response = korus.post(
        "/v1/booking/reservations/_bulk", json=body, headers={"Accept": "text/html"}
    )
    assert_hydra_error(response, 406, unacceptable("text/html"))
    assert korus.get("/v1/booking/reservations").json()["totalItems"] == 0


@pytest.mark.parametrize(
    ("accept", "form"),
    [
        (None, "jsonld"),
        ("application/ld+json", "jsonld"),
        ("*/*", "jsonld"),
        ("application/json, application/ld+json", "jsonld"),
        ("application/ld+json;q=0.5, application/json", JSON),
        ("application/ld+json;q=0.5, application/problem+json", PROBLEM),
    ],
)
def test_errors_negotiate_their_own_form(korus: Client, accept: str | None, form: str) -> None:
    response = send(korus, "GET", MISSING, Accept=accept)
    if form == "jsonld":
        assert_hydra_error(response, 404, "Not Found")
    else:
        assert response.status_code == 404
        assert response.content == problem(404, "Not Found", form)
        assert_problem_headers(response)


def test_router_and_firewall_errors_negotiate_too(korus: Client, api: Api) -> None:
    lost = send(korus, "GET", "/v1/nowhere", Accept="application/json")
    assert lost.status_code == 404
    detail = lost.json()["detail"]
    assert detail.startswith('No route found for "GET ')
    assert lost.content == problem(404, detail, JSON)  # quotes as \", slashes as \/
    anonymous = api.get(COLLECTION, headers={"Accept": "application/problem+json"})
    assert anonymous.status_code == 401  # the firewall first: not a 406
    assert anonymous.content == problem(
        401, "Full authentication is required to access this resource."
    )


def test_a_jsonld_path_names_its_format(korus: Client) -> None:
    """`{._format}`: the route's format decides the error form, whatever the Accept."""
    response = send(korus, "GET", f"{COLLECTION}.jsonld", Accept="application/json")
    assert_hydra_error(response, 406, unacceptable("application/json"))


# ----- Accept-Language ---------------------------------------------------------------------

BLANK = {"fr": "Cette valeur ne doit pas être vide.", "en": "This value should not be blank."}


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        (None, "fr"),
        ("fr", "fr"),
        ("en", "en"),
        ("en-GB", "en"),
        ("de", "fr"),
        ("de, en", "en"),
        ("de, en;q=0.8", "en"),
    ],
)
def test_violations_speak_the_clients_language(
    korus: Client, accept_language: str | None, expected: str
) -> None:
    headers = {"Accept-Language": accept_language} if accept_language else {}
    response = korus.post("/v1/booking/reservations/_bulk", json={"items": []}, headers=headers)
    assert response.status_code == 422, response.text
    body: dict[str, Any] = response.json()
    assert body["violations"] == [
        {"propertyPath": "items", "message": BLANK[expected], "code": NOT_BLANK}
    ]
    assert body["detail"] == body["description"] == f"items: {BLANK[expected]}"


@pytest.mark.parametrize("accept_language", ["fr", "en"])
@pytest.mark.parametrize("wanted", [PROBLEM, JSON])
def test_a_422_in_the_problem_form(korus: Client, accept_language: str, wanted: str) -> None:
    accept = f"application/ld+json;q=0.5, {wanted}"
    response = korus.post(
        "/v1/booking/reservations/_bulk",
        json={"items": []},
        headers={"Accept": accept, "Accept-Language": accept_language},
    )
    assert response.status_code == 422
    assert_problem_headers(response)
    # problem+json: API Platform's JsonEncoder, `ê` raw; json: Symfony's, `\u00ea`.
    blank = BLANK[accept_language]
    message = json.dumps(blank)[1:-1] if wanted == JSON else blank
    assert (
        response.content
        == (
            f'{{"status":422,"violations":[{{"propertyPath":"items","message":"{message}",'
            f'"code":"{NOT_BLANK}"}}],"detail":"items: {message}",'
            f'"type":"\\/validation_errors\\/{NOT_BLANK}","title":"An error occurred"}}'
        ).encode()
    )


def test_accents_stay_raw_in_problem_json(korus: Client) -> None:
    """`Accept: application/problem+json, application/ld+json;q=0.5`, an empty offer IRI."""
    response = korus.post(
        "/v1/booking/reservations/_bulk",
        json={"items": [{"offer": "", "quantity": 1}]},
        headers={"Accept": "application/problem+json, application/ld+json;q=0.5"},
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json; charset=utf-8"
    message = BLANK["fr"]  # `ê` raw, as JSON-LD writes it
    assert (
        response.content
        == (
            f'{{"status":422,"violations":[{{"propertyPath":"items[0].offer","message":"{message}",'
            f'"code":"{NOT_BLANK}"}}],"detail":"items[0].offer: {message}",'
            f'"type":"\\/validation_errors\\/{NOT_BLANK}","title":"An error occurred"}}'
        ).encode()
    )


@pytest.mark.parametrize("accept_language", [None, "fr", "en", "en-GB", "de"])
def test_error_details_are_the_exceptions_words(korus: Client, accept_language: str | None) -> None:
    """API Platform's `detail` is the exception's message, which Symfony does not translate."""
    response = send(korus, "GET", MISSING, Accept_Language=accept_language)
    assert_hydra_error(response, 404, "Not Found")


@pytest.mark.parametrize(
    ("accept_language", "message"),
    [
        ("fr;q=0.5, en", "The reservation has expired"),
        ("de, fr", "La réservation a expiré"),
        ("EN", "The reservation has expired"),
    ],
)
def test_the_expired_reservation_follows_the_quality_values(
    korus: Client, accept_language: str, message: str
) -> None:
    made = korus.post("/v1/booking/reservations/_bulk", json={"items": [seed_item()]})
    reservation = made.json()["reservations"][0]["@id"]
    korus.api.post("/_sandbox/clock/advance", json={"seconds": 901})
    response = korus.post(
        "/v1/booking/orders/_bulk",
        headers={"Accept-Language": accept_language},
        json={"reservations": [reservation], "customer": CUSTOMER},
    )
    assert response.status_code == 422, response.text
    assert response.json()["violations"][0]["message"] == message
    assert response.json()["detail"] == f"reservations[0].expired: {message}"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de, en;q=0.8", "en"),
        ("de-DE, fr;q=0.5, en;q=0.4", "fr"),
        ("*, en;q=0.1", "en"),
        ("it", "fr"),  # neither: the catalog's defaultLanguage, French
    ],
)
def test_one_reading_of_accept_language(korus: Client, header: str, expected: str) -> None:
    """Violation messages, the document PATCH's `cachedLanguage` and catalog texts agree."""
    refused = korus.post(
        "/v1/booking/reservations/_bulk", json={"items": []}, headers={"Accept-Language": header}
    )
    assert refused.json()["violations"][0]["message"] == BLANK[expected]
    [document] = book(korus, seed_item())["documents"]
    patched = korus.request(
        "PATCH", document, content=b"{}", headers={**MERGE, "Accept-Language": header}
    )
    assert patched.json()["cachedLanguage"] == expected
    values = send(korus, "GET", PRICE_TYPES, Accept_Language=header).json()
    assert values["member"][0]["name"] == {"fr": "Adulte", "en": "Adult"}[expected]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de, en;q=0.8", ("de", "en")),
        ("EN_us;q=0.5, fr-CA", ("fr", "en")),
        ("*, en;q=0", ()),
        ("fr;q=abc, en", ("en",)),  # PHP's (float) "abc" is 0
    ],
)
def test_preferred_languages(header: str, expected: tuple[str, ...]) -> None:
    assert preferred_languages(header) == expected


# ----- bounds on what is read ----------------------------------------------------------------


def test_the_negotiator_reads_a_bounded_head_of_accept() -> None:
    assert len(ranges("a/a," * 250_000)) == MAX_RANGES  # 1 MB
    filler = "a/a, " * (MAX_RANGES - 1)
    assert best(filler + PROBLEM, ERROR_TYPES) == PROBLEM
    assert best(filler + "a/a, " + PROBLEM, ERROR_TYPES) is None  # the 65th range
    # A range is read whole or not at all: one ending past MAX_HEADER_CHARS is not.
    long = "a/" + "a" * (MAX_HEADER_CHARS - 10)
    assert best(f"{long}, {PROBLEM}", ERROR_TYPES) is None
    assert best(f"{long[:-20]}, {PROBLEM}", ERROR_TYPES) == PROBLEM
    assert len(preferred_languages("de," * 250_000 + "en")) == MAX_RANGES
    assert preferred_languages("de, " * MAX_RANGES + "en") == ("de",) * MAX_RANGES
    assert preferred_languages("de, " * (MAX_RANGES - 1) + "en")[-1] == "en"


def test_a_header_is_parsed_once_and_at_most_max_ranges(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    parse = negotiation._parse

    def counting(text: str) -> Any:
        calls.append(text)
        return parse(text)

    monkeypatch.setattr(negotiation, "_parse", counting)
    headers = Headers({"accept": "b/unique-to-this-test," * 50_000})
    assert preferences(headers).form == "jsonld"
    assert len(calls) <= MAX_RANGES + len(ERROR_TYPES)
    seen = len(calls)
    preferences(headers)  # the 406 check, then the error's form: one parse
    assert len(calls) == seen


def test_a_megabyte_accept_gets_a_bounded_answer(korus: Client) -> None:
    accept = '"a/a",' * 200_000
    refused = send(korus, "GET", COLLECTION, Accept=accept)
    assert refused.status_code == 406
    assert refused.json()["detail"] == unacceptable(accept[:MAX_ECHO_CHARS] + "...")
    # detail and description, each `"` six bytes on the wire (`\u0022`).
    assert len(refused.content) < 2 * 6 * MAX_ECHO_CHARS + 1000
    anonymous = send(korus, "GET", COLLECTION, Accept=accept, Authorization=None)
    assert anonymous.status_code == 401
    assert len(anonymous.content) < 1000


# ----- /contexts ---------------------------------------------------------------------------


def test_context_errors_negotiate_but_contexts_do_not(korus: Client) -> None:
    """A context is JSON-LD whatever the Accept; an unknown one's 404 is in the asked form."""
    missing = korus.api.get("/contexts/Nope", headers={"Accept": PROBLEM})
    assert missing.status_code == 404
    assert missing.content == problem(404, "Not Found")
    assert_problem_headers(missing)
    found = korus.api.get("/contexts/Error", headers={"Accept": PROBLEM})
    assert found.status_code == 200
    assert found.headers["content-type"] == "application/ld+json; charset=utf-8"
