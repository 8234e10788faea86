"""Korus documents are JSON-LD a processor can expand: /contexts/{shortName} and /docs.jsonld.

pyld expands real responses, fetching every `@context` IRI from the sandbox itself through the
test's own client (no other network). API Platform 4 with `hydra_prefix: false` maps no Hydra
term in a resource context, so `member`, `totalItems`, … expand against `@vocab` (see
booking_sandbox/vendors/korus/contexts.py); the tests pin that, and that no key is lost on the way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from pyld import jsonld  # type: ignore[import-untyped]  # pyld ships no type information

from booking_sandbox.vendors.korus import contexts
from booking_sandbox.vendors.korus.wire import LD_JSON, PROBLEM_JSON, error_body
from tests.conftest import Api
from tests.korus.conftest import Client, login

HYDRA = "http://www.w3.org/ns/hydra/core#"
DOCUMENTATION_REL = f'rel="{HYDRA}apiDocumentation"'

Loader = Callable[..., dict[str, Any]]


def base_of(api: Api) -> str:
    return str(api.client.base_url).rstrip("/")


def loader_for(api: Api) -> Loader:
    """A pyld document loader that asks the sandbox, through the test's client."""

    def load(url: str, options: Any = None) -> dict[str, Any]:
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == base_of(api), url
        response = api.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert response.status_code == 200, (url, response.text)
        assert response.headers["content-type"] == LD_JSON
        return {"contextUrl": None, "documentUrl": url, "document": response.json()}

    return load


def offline(url: str, options: Any = None) -> dict[str, Any]:
    raise AssertionError(f"an inline context needs no remote document, yet {url} was asked")


def expand(document: Any, base: str, loader: Loader) -> dict[str, Any]:
    expanded = jsonld.expand(document, {"base": base, "documentLoader": loader})
    assert isinstance(expanded, list)
    assert len(expanded) == 1
    node: dict[str, Any] = expanded[0]
    return node


class Terms:
    """What a term expands to under one JSON-LD context object, the way API Platform's are built:
    a term maps to a vocab-relative IRI, a compact IRI or an absolute one; others hit @vocab."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.context = context
        self.vocab: str = context["@vocab"]

    def iri(self, term: str) -> str:
        if term.startswith("@"):
            return term
        definition = self.context.get(term, term)
        value: str = definition["@id"] if isinstance(definition, dict) else definition
        prefix, colon, suffix = value.partition(":")
        if colon and prefix in self.context:
            return f"{self.context[prefix]}{suffix}"
        if colon and suffix.startswith("//"):
            return value
        return self.vocab + value


def assert_nothing_dropped(compact: dict[str, Any], node: dict[str, Any], terms: Terms) -> None:
    """Every key of the compact node, nulls aside (JSON-LD drops those by design), is in the
    expanded node under the IRI its term maps to, with as many values; no other key is."""
    kept = {k: v for k, v in compact.items() if k != "@context" and v is not None}
    assert sorted(node) == sorted(terms.iri(k) for k in kept)
    for key, value in kept.items():
        expanded = node[terms.iri(key)]
        if key == "@id":
            assert isinstance(expanded, str)
            continue
        values = [v for v in (value if isinstance(value, list) else [value]) if v is not None]
        assert isinstance(expanded, list)
        assert len(expanded) == len(values), key
        for inner, out in zip(values, expanded, strict=True):
            if key == "@type":
                assert out == terms.iri(inner), (inner, out)
            elif isinstance(inner, dict):
                assert_nothing_dropped(inner, out, terms)
            else:
                assert "@value" in out or "@id" in out, (key, out)


def test_a_catalog_collection_expands_to_full_iris(api: Api) -> None:
    korus = Client(api, login(api)["access_token"])
    response = korus.get("/v1/ticketing/catalogs?itemsPerPage=1")
    assert response.status_code == 200, response.text
    document = response.json()
    assert document["@context"] == "/contexts/TicketingCatalog"
    assert document["view"]["next"]  # a view, so its keys are exercised too

    base = base_of(api)
    vocab = f"{base}/docs.jsonld#"
    # The Link header names the vocabulary the contexts build their terms on.
    assert response.headers["link"] == f"<{base}/docs.jsonld>; {DOCUMENTATION_REL}"

    node = expand(document, str(response.url), loader_for(api))
    assert node["@id"] == f"{base}/v1/ticketing/catalogs"
    assert node["@type"] == [f"{vocab}Collection"]
    # hydra_prefix: false -> no Hydra term in the context: the collection keys use @vocab.
    assert node[f"{vocab}totalItems"] == [{"@value": document["totalItems"]}]
    [member] = node[f"{vocab}member"]
    [catalog] = document["member"]
    assert member["@id"] == f"{base}{catalog['@id']}"
    assert member["@type"] == [f"{vocab}TicketingCatalog"]
    assert member[f"{vocab}TicketingCatalog/name"] == [{"@value": catalog["name"]}]
    assert member[f"{vocab}TicketingCatalog/createdAt"] == [{"@value": catalog["createdAt"]}]
    # The identifier is not in the context (ContextBuilder skips it): @vocab catches it.
    assert member[f"{vocab}id"] == [{"@value": catalog["id"]}]
    assert node[f"{vocab}view"][0]["@id"] == f"{base}{document['view']['@id']}"
    assert node[f"{vocab}search"][0][f"{vocab}mapping"] == []

    served = api.get("/contexts/TicketingCatalog").json()["@context"]
    assert_nothing_dropped(document, node, Terms(served))


def test_the_documentation_link_resolves(api: Api) -> None:
    korus = Client(api, login(api)["access_token"])
    link = korus.get("/v1/ticketing/catalogs").headers["link"]
    url = link.partition(">")[0].removeprefix("<")
    response = api.get(urlsplit(url).path)
    assert response.status_code == 200
    assert response.headers["content-type"] == LD_JSON


@pytest.mark.parametrize("short_name", list(contexts.RESOURCES))
def test_every_context_is_served(api: Api, short_name: str) -> None:
    response = api.get(f"/contexts/{short_name}")  # no token: contexts are public
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == LD_JSON
    # API Platform's bytes: PHP's escaped slashes, compact.
    assert response.content.startswith(b'{"@context":{"@vocab":"http:\\/\\/')
    context = response.json()["@context"]
    base = base_of(api)
    vocab = f"{base}/docs.jsonld#"
    assert list(context)[:2] == ["@vocab", "hydra"]
    assert (context["@vocab"], context["hydra"]) == (vocab, HYDRA)

    resource = contexts.RESOURCES[short_name]
    properties = [p for p in resource.properties if p != "id"]
    assert list(context)[2:] == properties
    for name in properties:
        expected = f"{short_name}/{name}"
        if name in resource.links:
            assert context[name] == {"@id": expected, "@type": "@id"}
        else:
            assert context[name] == expected

    # pyld accepts the context and maps each property where the test above says.
    url = f"{base}/contexts/{short_name}"
    probe = {"@context": url, **dict.fromkeys(properties, "x")}
    node = expand(probe, url, loader_for(api))
    for name in properties:
        iri = f"{vocab}{short_name}/{name}"
        if name in resource.links:
            assert node[iri] == [{"@id": f"{base}/contexts/x"}]
        else:
            assert node[iri] == [{"@value": "x"}]
    assert len(node) == len(properties)

    assert api.get(f"/contexts/{short_name}.jsonld").json() == response.json()


@pytest.mark.parametrize("path", ["/contexts/Nope", "/contexts/TicketingCatalog.json"])
def test_an_unknown_context_is_a_404(api: Api, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json() == error_body(404, "Not Found")


def test_contexts_and_docs_answer_get_only(api: Api) -> None:
    for path in ("/contexts/BookingOrder", "/docs.jsonld"):
        response = api.post(path)
        assert response.status_code == 405
        assert response.headers["allow"] == "GET"
        assert response.headers["content-type"] == PROBLEM_JSON


def test_the_api_documentation_is_json_ld(api: Api) -> None:
    response = api.get("/docs.jsonld")
    assert response.status_code == 200
    assert response.headers["content-type"] == LD_JSON
    document = response.json()
    assert (document["@id"], document["@type"]) == ("/docs.jsonld", "hydra:ApiDocumentation")
    assert document["hydra:title"] == "KorusTicket API"

    base = base_of(api)
    vocab = f"{base}/docs.jsonld#"
    node = expand(document, str(response.url), loader_for(api))
    assert node["@id"] == f"{base}/docs.jsonld"
    assert node["@type"] == [f"{HYDRA}ApiDocumentation"]
    assert node[f"{HYDRA}title"] == [{"@value": "KorusTicket API"}]
    classes = {c["@id"]: c for c in node[f"{HYDRA}supportedClass"]}
    assert list(classes) == [f"{vocab}{name}" for name in contexts.RESOURCES]

    # The documented property IRIs are those the contexts give the same names.
    for short_name in contexts.RESOURCES:
        served = api.get(f"/contexts/{short_name}").json()["@context"]
        terms = Terms(served)
        expected = {terms.iri(name) for name in served if not name.startswith("@")} - {HYDRA}
        documented = {
            p[f"{HYDRA}property"][0]["@id"]
            for p in classes[f"{vocab}{short_name}"][f"{HYDRA}supportedProperty"]
        }
        assert documented == expected, short_name
        for operation in classes[f"{vocab}{short_name}"].get(f"{HYDRA}supportedOperation", []):
            assert operation[f"{HYDRA}method"][0]["@value"] in ("GET", "POST", "PATCH")
            assert operation[f"{HYDRA}returns"][0]["@id"] in (
                f"{vocab}{short_name}",
                f"{HYDRA}Collection",
            )


# Book-a-ticket, §5.1: the documented response of POST /v1/booking/reservations/_bulk, as is
# (the long IRIs spelled through the constants below).
CATALOG = "/v1/ticketing/catalogs/0194abdc-3a71-72b0-a9b9-89d4be0cd73e"
OFFER = f"{CATALOG}/offers/0194ac40-fda7-78c1-8fcb-26fc2df25894"
SESSION_TICKET = f"{OFFER}/tickets/7522b8de-37a2-458d-b099-6d515b0739be"
RESERVATION_BULK: dict[str, Any] = {
    "@context": {
        "@vocab": "https://api.demo.korusticket.com/docs.jsonld#",
        "hydra": "http://www.w3.org/ns/hydra/core#",
        "reservations": "CreateReservationBulkOutput/reservations",
        "failedReservations": "CreateReservationBulkOutput/failedReservations",
    },
    "@type": "CreateReservationBulkOutput",
    "@id": "/.well-known/genid/78651cc4640b9253b7c0",
    "reservations": [
        {
            "@id": "/v1/booking/reservations/35e72d9b-0fdc-44e3-869c-e1781c14418e",
            "@type": "BookingReservation",
            "expired": False,
            "id": "35e72d9b-0fdc-44e3-869c-e1781c14418e",
            "createdAt": "2025-01-29T07:55:53+00:00",
            "totalAmountInclTax": "80.00",
            "totalAmountExclTax": "75.83",
            "expiresAt": "2025-01-29T08:10:53+00:00",
            "items": [
                {
                    "@type": "ReservationItem",
                    "@id": "/.well-known/genid/dbb1fda993fdc977bbab",
                    "unitAmountInclTax": "80.00",
                    "unitAmountExclTax": "75.83",
                    "offer": OFFER,
                    "product": f"{CATALOG}/products/0194abfe-1c04-7ade-9bc3-dbcfefb12652",
                    "offerTickets": [
                        {
                            "@type": "ReservationItemOfferTicket",
                            "@id": "/.well-known/genid/6fef51eaef68c943a2de",
                            "ticket": f"{OFFER}/tickets/0194ac40-fda7-78c1-8fcb-26fc2e2612d4",
                        },
                        {
                            "@type": "ReservationItemOfferTicket",
                            "@id": "/.well-known/genid/567f51eaef68c943aaa",
                            "ticket": SESSION_TICKET,
                            "session": f"{SESSION_TICKET}"
                            "/sessions/337177bc-e513-444f-bcee-49a3e25b48a3",
                        },
                    ],
                }
            ],
            "organization": "/v1/ticketing/organizations/0194abdc-3a79-7ec3-b1b9-a1f291de587d",
            "order": None,
        }
    ],
    "failedReservations": [],
}
DEMO = "https://api.demo.korusticket.com"


def test_the_inline_context_of_a_bulk_output_expands() -> None:
    assert (
        contexts.anonymous_context(
            "CreateReservationBulkOutput", ["reservations", "failedReservations"], DEMO
        )
        == RESERVATION_BULK["@context"]
    )
    vocab = f"{DEMO}/docs.jsonld#"
    node = expand(RESERVATION_BULK, f"{DEMO}/v1/booking/reservations/_bulk", offline)
    assert node["@id"] == f"{DEMO}/.well-known/genid/78651cc4640b9253b7c0"
    assert node["@type"] == [f"{vocab}CreateReservationBulkOutput"]
    assert node[f"{vocab}CreateReservationBulkOutput/failedReservations"] == []
    [reservation] = node[f"{vocab}CreateReservationBulkOutput/reservations"]
    reservation_iri = RESERVATION_BULK["reservations"][0]["@id"]
    assert reservation["@id"] == f"{DEMO}{reservation_iri}"
    # Embedded resources carry no context: their keys fall to @vocab, and `"order": null` goes.
    assert reservation[f"{vocab}expired"] == [{"@value": False}]
    assert f"{vocab}order" not in reservation
    assert_nothing_dropped(RESERVATION_BULK, node, Terms(RESERVATION_BULK["@context"]))


def test_the_order_bulk_output_context_is_the_documented_one() -> None:
    assert contexts.anonymous_context("CreateOrderBulkOutput", ["orders"], f"{DEMO}/") == {
        "@vocab": f"{DEMO}/docs.jsonld#",
        "hydra": HYDRA,
        "orders": "CreateOrderBulkOutput/orders",
    }
