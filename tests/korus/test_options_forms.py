"""Korus reads of issue 16 item 8: product-base option values, `optionValuesContext[]` on offers,
and `GET /v1/forms/{id}` (reference §4.2, §4.3, §4.7).

The reference shows the paths, the option code enum and a form's first fields (`@context, @id,
@type, id, code, fields`, with the form `0195197f-…` "customer_infos_form"); the rest of each
shape is the sandbox's choice, pinned here as docs/vendors/korus.md states it.
"""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from booking_sandbox.app import create_app
from booking_sandbox.core.fixtures import FixtureError
from booking_sandbox.core.settings import Settings
from booking_sandbox.vendors.korus.options import derived_id
from booking_sandbox.vendors.korus.wire import LD_JSON, PROBLEM_JSON, error_body
from tests.conftest import ROOT, Api
from tests.korus.conftest import Client, login

Record = dict[str, Any]
FIXTURE: Record = json.loads((ROOT / "fixtures" / "korus.json").read_text(encoding="utf-8"))
CATALOG_ID = "0194abdc-3a71-72b0-a9b9-89d4be0cd73e"
OTHER_CATALOG_ID = "0194cb23-170e-71f0-b4bb-0a7e644dea34"
C = f"/v1/ticketing/catalogs/{CATALOG_ID}"
BILLETTERIE = "0194abfe-1bc8-7e21-8d0a-3f5c7b9e2a41"  # declares price_type and days_count
PASS_BASE = "0194abfe-1bcc-7b6d-a1e4-6c2d8f0b5a37"  # declares nothing: values from products
PRICE_TYPES = f"{C}/product_bases/{BILLETTERIE}/options/price_type/values"
ADULTE = "0194abfe-1bd2-7a10-8b3c-5d7e9f1a2b01"
ENFANT = "0194abfe-1bd2-7a10-8b3c-5d7e9f1a2b02"
ONE_DAY = "0194abfe-1bd2-7a10-8b3c-5d7e9f1a2b03"
TWO_DAYS = "0194abfe-1bd2-7a10-8b3c-5d7e9f1a2b04"  # declared, carried by no product
SEED_OFFER = "0194ac40-fda7-78c1-8fcb-26fc2df25894"  # Grand Parc + Cinéscénie, adulte, 1 day
SEASON_OFFER = "0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8e90"  # Cinéscénie, adulte, no days_count
PASS_OFFER = "0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8eb0"  # Pass Emotion: adulte of the other base
FORM_ID = "0195197f-7918-7285-bb4b-7df2b682c3eb"  # the reference's form (§4.3, §4.7)
FIELD_ID = "01953871-e6df-7135-bd6c-ebe655262810"  # the reference's field id (§5.1 sample)
VISIT_FORM_ID = "0194cb23-5a30-7d21-9c4e-6b8a0f2d4e11"  # the other organization's form


@pytest.fixture
def korus(api: Api) -> Client:
    return Client(api, login(api)["access_token"])


def ok(korus: Client, path: str, **kwargs: Any) -> Record:
    response = korus.get(path, **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == LD_JSON
    body: Record = response.json()
    return body


def not_found(korus: Client, path: str) -> None:
    response = korus.get(path)
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json() == error_body(404, "Not Found")


def offer_ids(korus: Client, query: str) -> list[str]:
    return [m["id"] for m in ok(korus, f"{C}/offers?{query}")["member"]]


# ----- option values -------------------------------------------------------------------------


def test_declared_option_values_collection(korus: Client) -> None:
    body = ok(korus, PRICE_TYPES)
    assert body == {
        "@context": "/contexts/TicketingProductBaseOptionValue",
        "@id": PRICE_TYPES,
        "@type": "Collection",
        "totalItems": 2,
        "member": [
            {
                "@id": f"{PRICE_TYPES}/{ADULTE}",
                "@type": "TicketingProductBaseOptionValue",
                "id": ADULTE,
                "code": "adulte",
                "name": "Adulte",
            },
            {
                "@id": f"{PRICE_TYPES}/{ENFANT}",
                "@type": "TicketingProductBaseOptionValue",
                "id": ENFANT,
                "code": "enfant",
                "name": "Enfant (5-13 ans)",
            },
        ],
        # Parameters (page, itemsPerPage) mapped to no property, as Korus's other collections.
        "search": {
            "@type": "IriTemplate",
            "template": f"{PRICE_TYPES}{{?}}",
            "variableRepresentation": "BasicRepresentation",
            "mapping": [],
        },
    }
    assert list(body) == ["@context", "@id", "@type", "totalItems", "member", "search"]
    assert list(body["member"][0]) == ["@id", "@type", "id", "code", "name"]


def test_option_value_names_follow_accept_language(korus: Client) -> None:
    english = ok(korus, PRICE_TYPES, headers={"Accept-Language": "en-GB,fr;q=0.5"})
    assert [m["name"] for m in english["member"]] == ["Adult", "Child (5-13 years)"]


def test_undeclared_options_take_the_values_products_carry(korus: Client) -> None:
    """Billetterie declares no seating_category, Pass Emotion no option at all."""
    path = f"{C}/product_bases/{BILLETTERIE}/options/seating_category/values"
    [seating] = ok(korus, path)["member"]
    ident = derived_id(BILLETTERIE, "seating_category", "Tribune Est")
    assert uuid.UUID(ident).version == 5
    assert seating == {
        "@id": f"{path}/{ident}",
        "@type": "TicketingProductBaseOptionValue",
        "id": ident,
        "code": "Tribune Est",
        "name": "Tribune Est",
    }
    days = ok(korus, f"{C}/product_bases/{PASS_BASE}/options/days_count/values")["member"]
    assert [(m["code"], m["name"]) for m in days] == [("2", "2")]
    # Same value code, another base: another value.
    [adulte] = ok(korus, f"{C}/product_bases/{PASS_BASE}/options/price_type/values")["member"]
    assert adulte["code"] == "adulte"
    assert adulte["id"] not in (ADULTE, ENFANT)


def test_option_values_paginate_like_other_collections(korus: Client) -> None:
    body = ok(korus, f"{PRICE_TYPES}?page=2&itemsPerPage=1")
    assert [m["id"] for m in body["member"]] == [ENFANT]
    assert body["totalItems"] == 2
    assert body["view"] == {
        "@id": f"{PRICE_TYPES}?itemsPerPage=1&page=2",
        "@type": "PartialCollectionView",
        "first": f"{PRICE_TYPES}?itemsPerPage=1&page=1",
        "last": f"{PRICE_TYPES}?itemsPerPage=1&page=2",
        "previous": f"{PRICE_TYPES}?itemsPerPage=1&page=1",
    }
    assert korus.get(f"{PRICE_TYPES}?page=0").status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        # unknown product base
        f"{C}/product_bases/0194abfe-0000-7000-8000-000000000000/options/price_type/values",
        # a code outside the documented enum
        f"{C}/product_bases/{BILLETTERIE}/options/colour/values",
        # an enum code the base neither declares nor uses
        f"{C}/product_bases/{BILLETTERIE}/options/zone/values",
        # another organization's catalog, and one that does not exist
        f"/v1/ticketing/catalogs/{OTHER_CATALOG_ID}/product_bases/0194cb23-5a1e-7b40-8c2d-1e9f3a7b6c05"
        "/options/price_type/values",
        "/v1/ticketing/catalogs/0194abdc-0000-7000-8000-000000000000/product_bases"
        f"/{BILLETTERIE}/options/price_type/values",
        # a member's IRI: no item operation is documented
        f"{PRICE_TYPES}/{ADULTE}",
    ],
)
def test_option_values_not_found(korus: Client, path: str) -> None:
    response = korus.get(path)
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == PROBLEM_JSON


def test_option_values_of_unknown_ids_say_not_found(korus: Client) -> None:
    not_found(korus, f"{C}/product_bases/{BILLETTERIE}/options/zone/values")


def test_option_values_need_a_token(api: Api) -> None:
    assert api.get(PRICE_TYPES).status_code == 401


# ----- optionValuesContext[] -----------------------------------------------------------------


def test_filter_by_an_option_value_id_or_iri(korus: Client) -> None:
    # The enfant product's offer is not on sale; Pass Emotion's adulte is another base's value.
    assert offer_ids(korus, f"optionValuesContext[]={ADULTE}") == [SEED_OFFER, SEASON_OFFER]
    iri = f"{PRICE_TYPES}/{ADULTE}"
    assert offer_ids(korus, f"optionValuesContext[]={iri}") == [SEED_OFFER, SEASON_OFFER]
    assert offer_ids(korus, f"optionValuesContext[0]={ADULTE}") == [SEED_OFFER, SEASON_OFFER]


def test_options_combine_and_values_of_one_option_are_alternatives(korus: Client) -> None:
    both = f"optionValuesContext[]={ADULTE}&optionValuesContext[]={ONE_DAY}"
    assert offer_ids(korus, both) == [SEED_OFFER]
    pass_adulte = derived_id(PASS_BASE, "price_type", "adulte")
    either = f"optionValuesContext[]={ADULTE}&optionValuesContext[]={pass_adulte}"
    assert offer_ids(korus, either) == [SEED_OFFER, SEASON_OFFER, PASS_OFFER]
    assert offer_ids(korus, f"optionValuesContext[]={TWO_DAYS}") == []


def test_unknown_and_empty_values(korus: Client) -> None:
    unknown = "0194abfe-0000-7000-8000-000000000000"
    body = ok(korus, f"{C}/offers?optionValuesContext[]={unknown}")
    assert (body["member"], body["totalItems"]) == ([], 0)
    mixed = f"optionValuesContext[]={unknown}&optionValuesContext[]={ADULTE}"
    assert offer_ids(korus, mixed) == [SEED_OFFER, SEASON_OFFER]
    # An IRI must be the value's own: the right id under another option is unknown.
    forged = f"{C}/product_bases/{BILLETTERIE}/options/zone/values/{ADULTE}"
    assert offer_ids(korus, f"optionValuesContext[]={forged}") == []
    everything = offer_ids(korus, "")
    assert offer_ids(korus, "optionValuesContext[]=") == everything


def test_filter_combines_with_the_others_and_shows_in_the_view(korus: Client) -> None:
    query = f"productBaseId={BILLETTERIE}&optionValuesContext[]={ADULTE}&order[date]=desc"
    body = ok(korus, f"{C}/offers?{query}")
    assert [m["id"] for m in body["member"]] == [SEASON_OFFER, SEED_OFFER]  # dateless first
    assert body["view"]["@id"] == (
        f"{C}/offers?optionValuesContext%5B%5D={ADULTE}&order%5Bdate%5D=desc"
        f"&productBaseId={BILLETTERIE}"
    )
    assert body["search"]["mapping"][-1] == {
        "@type": "IriTemplateMapping",
        "variable": "optionValuesContext[]",
        "property": None,
        "required": False,
    }
    assert body["search"]["template"].endswith(",productBaseId,session,optionValuesContext[]}")


# ----- forms ---------------------------------------------------------------------------------


def test_show_a_form(korus: Client) -> None:
    body = ok(korus, f"/v1/forms/{FORM_ID}")
    # The documented head of the resource (§4.7), then the sandbox's fields.
    assert list(body) == ["@context", "@id", "@type", "id", "code", "fields"]
    assert (body["@context"], body["@id"], body["@type"]) == (
        "/contexts/Form",
        f"/v1/forms/{FORM_ID}",
        "Form",
    )
    assert (body["id"], body["code"]) == (FORM_ID, "customer_infos_form")
    lastname, email, allergies, seats = body["fields"]
    field_iri = f"/v1/forms/{FORM_ID}/fields"
    assert lastname == {
        "@id": f"{field_iri}/{FIELD_ID}",
        "@type": "FormField",
        "id": FIELD_ID,
        "code": "lastname",
        "label": "Nom",
        "type": "text",
        "required": True,
        "choices": [],
    }
    assert (email["code"], email["required"]) == ("email", True)
    assert (seats["type"], seats["required"], seats["choices"]) == ("integer", False, [])
    assert allergies["type"] == "multi_choice"
    gluten = allergies["choices"][0]
    assert gluten == {
        "@id": f"{allergies['@id']}/choices/0195197f-7918-7285-bb4b-7df2b682c401",
        "@type": "FormFieldChoice",
        "id": "0195197f-7918-7285-bb4b-7df2b682c401",
        "value": "gluten",
        "label": "Gluten",
    }
    assert [c["value"] for c in allergies["choices"]] == ["gluten", "peanuts", "lactose"]
    english = ok(korus, f"/v1/forms/{FORM_ID}", headers={"Accept-Language": "en"})
    assert [f["label"] for f in english["fields"]][:2] == ["Last name", "E-mail address"]
    assert english["fields"][2]["choices"][1]["label"] == "Peanuts"


def test_a_tickets_form_iri_resolves(korus: Client) -> None:
    pass_offer = ok(korus, f"{C}/offers/{PASS_OFFER}")
    [ticket] = pass_offer["tickets"]
    assert ticket["form"] == f"/v1/forms/{FORM_ID}"
    assert ok(korus, ticket["form"])["id"] == FORM_ID


def test_forms_belong_to_their_catalogs_organization(api: Api) -> None:
    demo = Client(api, login(api)["access_token"])
    other = Client(api, login(api, "other-client", "other-secret")["access_token"])
    not_found(demo, f"/v1/forms/{VISIT_FORM_ID}")
    not_found(other, f"/v1/forms/{FORM_ID}")
    visit = ok(other, f"/v1/forms/{VISIT_FORM_ID}")
    [language] = visit["fields"]
    assert (language["type"], [c["value"] for c in language["choices"]]) == (
        "single_choice",
        ["fr", "en"],
    )
    assert language["label"] == "Langue de la visite"  # one text for every language


def test_form_errors(korus: Client, api: Api) -> None:
    not_found(korus, "/v1/forms/0195197f-0000-7000-8000-000000000000")
    odd = korus.get("/v1/forms/customer_infos_form")  # ids are UUIDs: no route matches
    assert odd.status_code == 404
    assert odd.json()["detail"].startswith('No route found for "GET ')
    wrong = korus.post(f"/v1/forms/{FORM_ID}", json={})
    assert (wrong.status_code, wrong.headers["allow"]) == (405, "GET")
    assert api.get(f"/v1/forms/{FORM_ID}").status_code == 401
    assert ok(korus, f"/v1/forms/{FORM_ID}.jsonld") == ok(korus, f"/v1/forms/{FORM_ID}")


# ----- the OpenAPI document ------------------------------------------------------------------


def openapi(name: str) -> Draft202012Validator:
    document = json.loads((ROOT / "schemas" / "korus.openapi.json").read_text("utf-8"))
    registry: Registry[Any] = Registry().with_resource(
        "urn:korus", Resource.from_contents(document, default_specification=DRAFT202012)
    )
    return Draft202012Validator(
        {"$ref": f"urn:korus#/components/schemas/{name}"}, registry=registry
    )


def test_the_openapi_document_describes_them(korus: Client) -> None:
    collection = openapi("TicketingProductBaseOptionValueCollection")
    collection.validate(ok(korus, PRICE_TYPES))
    collection.validate(ok(korus, f"{PRICE_TYPES}?itemsPerPage=1"))
    seating = f"{C}/product_bases/{BILLETTERIE}/options/seating_category/values"
    collection.validate(ok(korus, seating))
    openapi("Form").validate(ok(korus, f"/v1/forms/{FORM_ID}"))
    offers = ok(korus, f"{C}/offers?optionValuesContext[]={ADULTE}")
    openapi("TicketingOfferCollection").validate(offers)


# ----- the fixture's cross-references --------------------------------------------------------


def _problems(tmp_path: Path, change: Any) -> list[str]:
    document = copy.deepcopy(FIXTURE)
    change(document)
    directory = tmp_path / "fixtures"
    directory.mkdir()
    for name in ("booqable", "pontcentral"):
        (directory / f"{name}.json").write_bytes((ROOT / "fixtures" / f"{name}.json").read_bytes())
    (directory / "korus.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(FixtureError) as err:
        create_app(Settings(fixtures=directory))
    return err.value.problems


def _demo(document: Record) -> Record:
    catalog: Record = document["catalogs"][0]
    assert catalog["id"] == CATALOG_ID
    return catalog


def _pass_ticket(document: Record) -> Record:
    offer = next(o for o in _demo(document)["offers"] if o["id"] == PASS_OFFER)
    ticket: Record = offer["tickets"][0]
    return ticket


def _visit_form_on_demo_ticket(document: Record) -> None:
    _pass_ticket(document)["form"] = f"/v1/forms/{VISIT_FORM_ID}"


def _duplicate_value_id(document: Record) -> None:
    _demo(document)["productBases"][0]["options"][1]["values"][0]["id"] = ADULTE


def _undeclared_value(document: Record) -> None:
    _demo(document)["products"][0]["optionValues"]["price_type"] = "senior"


def _unknown_base(document: Record) -> None:
    _demo(document)["products"][0]["productBase"] = "0194abfe-0000-7000-8000-000000000000"


def _choice_field_without_choices(document: Record) -> None:
    _demo(document)["forms"][0]["fields"][2]["choices"] = []


def _text_field_with_choices(document: Record) -> None:
    fields = _demo(document)["forms"][0]["fields"]
    fields[0]["choices"] = copy.deepcopy(fields[2]["choices"])


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            _visit_form_on_demo_ticket,
            f"korus: $.catalogs[0].offers[3].tickets[0].form: unknown form "
            f"'/v1/forms/{VISIT_FORM_ID}' (not a form of this catalog)",
        ),
        (
            _duplicate_value_id,
            f"korus: $.catalogs[0].productBases[0].options[1].values[0]: duplicate option value "
            f"'{ADULTE}' (first at $.catalogs[0].productBases[0].options[0].values[0])",
        ),
        (
            _undeclared_value,
            "korus: $.catalogs[0].products[0].optionValues.price_type: unknown value 'senior' of "
            "option 'price_type' of its base",
        ),
        (
            _unknown_base,
            "korus: $.catalogs[0].products[0].productBase: unknown product base "
            "'0194abfe-0000-7000-8000-000000000000'",
        ),
        (_choice_field_without_choices, "korus.json: $.catalogs[0].forms[0].fields[2].choices"),
        (_text_field_with_choices, "korus.json: $.catalogs[0].forms[0].fields[0].choices"),
    ],
)
def test_the_loader_checks_forms_and_options(tmp_path: Path, change: Any, expected: str) -> None:
    found = _problems(tmp_path, change)
    assert any(p.startswith(expected) for p in found), found
