"""Customers: list, show, create, update, archive, and Graphiti's request and validation errors."""

from __future__ import annotations

import json
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable.request_body import cast
from tests.booqable.conftest import JSONAPI, Booqable
from tests.conftest import ROOT, START, Api

PLAIN_JSON = "application/json; charset=utf-8"
JANE = "7e40e65d-089a-4ea0-978a-3482451bdbd2"  # fixture customer number 1
ROBERT = "40d4ae19-fb42-432c-9405-7c2206351a7c"
UNKNOWN = "00000000-0000-4000-8000-000000000000"
NOW = "2025-01-29T07:55:53+00:00"  # the suite's sandbox start time, in the 2022 format

ATTRIBUTES = [
    "created_at", "updated_at", "archived", "archived_at", "number", "name", "email",
    "deposit_type", "deposit_value", "discount_percentage", "legal_type",
    "email_marketing_consented", "email_marketing_consent_updated_at", "properties", "tag_list",
    "stripe_id", "merge_suggestion_customer_id", "tax_region_id",
]  # fmt: skip
RELATIONSHIPS = ["merge_suggestion_customer", "tax_region", "properties", "barcode", "notes"]
NOT_INCLUDED = {"meta": {"included": False}}


def links_of(ident: str) -> dict[str, Any]:
    """A customer's relationships as a 2022 read writes them (reference §3.5 era 1), for a
    customer without a merge suggestion or a tax region."""
    owned = f"filter[owner_id]={ident}&filter[owner_type]=customers"
    return {
        "merge_suggestion_customer": {"links": {"related": None}},
        "tax_region": {"links": {"related": None}},
        "properties": {"links": {"related": f"api/boomerang/properties?{owned}"}},
        "barcode": {"links": {"related": f"api/boomerang/barcodes?{owned}"}},
        "notes": {"links": {"related": f"api/boomerang/notes?{owned}"}},
    }


NOT_LISTED = ("is not included in the list", "inclusion")


def count(bq: Booqable) -> int:
    found: int = bq.get("/customers", params={"stats[total]": "count"}).json()["meta"]["stats"][
        "total"
    ]["count"]
    return found


def highest_number(bq: Booqable) -> int:
    listed = bq.get("/customers", params={"sort": "-number", "page[size]": "1"}).json()
    number: int = listed["data"][0]["attributes"]["number"]
    return number


def body(attributes: dict[str, Any], **data: Any) -> dict[str, Any]:
    return {"data": {"type": "customers", **data, "attributes": attributes}}


def created(bq: Booqable, **attributes: Any) -> dict[str, Any]:
    response = bq.create("customers", **attributes)
    assert response.status_code == 201, response.text
    found: dict[str, Any] = response.json()["data"]
    return found


def request_errors(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == PLAIN_JSON
    errors: list[dict[str, Any]] = response.json()["errors"]
    return errors


def validation_errors(response: httpx.Response) -> list[tuple[str, str, str]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == JSONAPI
    found = []
    for error in response.json()["errors"]:
        assert (error["code"], error["status"], error["title"]) == (
            "unprocessable_entity",
            "422",
            "Validation Error",
        )
        attribute = error["meta"]["attribute"]
        assert error["source"] == {"pointer": f"/data/attributes/{attribute}"}
        found.append((attribute, error["meta"]["message"], error["meta"]["code"]))
    return found


# --- reading --------------------------------------------------------------------------------


def test_list_and_show(bq: Booqable) -> None:
    listed = bq.get("/customers", params={"stats[total]": "count", "sort": "number"}).json()
    assert listed["meta"] == {"stats": {"total": {"count": len(listed["data"])}}}
    numbers = [c["attributes"]["number"] for c in listed["data"]]
    assert numbers[:2] == [1, 2]
    assert numbers == sorted(numbers)
    shown = bq.get(f"/customers/{JANE}")
    assert shown.status_code == 200
    assert shown.headers["content-type"] == JSONAPI
    data = shown.json()["data"]
    assert list(data["attributes"]) == ATTRIBUTES
    assert data["relationships"] == links_of(JANE)  # a read: links (a write: NOT_INCLUDED)
    assert data["attributes"]["name"] == "Jane Cooper"


def test_unknown_customer_is_404(bq: Booqable) -> None:
    for response in (
        bq.get(f"/customers/{UNKNOWN}"),
        bq.put(f"/customers/{UNKNOWN}", json=body({"name": "X"})),
        bq.delete(f"/customers/{UNKNOWN}"),
    ):
        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == "resources_not_found"


def test_filter_by_email(bq: Booqable) -> None:
    found = bq.get("/customers", params={"filter[email]": "JANE.COOPER@example.com"}).json()
    assert [c["id"] for c in found["data"]] == [JANE]


# --- create ---------------------------------------------------------------------------------


def test_create_answers_201_with_defaults(bq: Booqable) -> None:
    number = highest_number(bq) + 1  # one past the fixtures' highest
    response = bq.create("customers", name="John Doe", email="john@doe.com")
    assert response.status_code == 201
    assert response.headers["content-type"] == JSONAPI
    document = response.json()
    assert list(document) == ["data", "meta"]
    data = document["data"]
    uuid.UUID(data["id"])
    assert data["type"] == "customers"
    assert list(data["attributes"]) == ATTRIBUTES
    assert data["attributes"] == {
        "created_at": NOW,
        "updated_at": NOW,
        "archived": False,
        "archived_at": None,
        "number": number,
        "name": "John Doe",
        "email": "john@doe.com",
        "deposit_type": "default",
        "deposit_value": 0.0,
        "discount_percentage": 0.0,
        "legal_type": "person",
        "email_marketing_consented": False,
        "email_marketing_consent_updated_at": None,
        "properties": {},
        "tag_list": [],
        "stripe_id": None,
        "merge_suggestion_customer_id": None,
        "tax_region_id": None,
    }
    assert data["relationships"] == dict.fromkeys(RELATIONSHIPS, NOT_INCLUDED)
    shown = bq.get(f"/customers/{data['id']}").json()["data"]
    assert shown == {**data, "relationships": links_of(data["id"])}


def test_numbers_follow_each_other(bq: Booqable) -> None:
    first = created(bq, name="A")["attributes"]["number"]
    second = created(bq, name="B")["attributes"]["number"]
    assert second == first + 1


def test_create_casts_and_keeps_every_writable_attribute(bq: Booqable) -> None:
    found = created(
        bq,
        name="Acme",
        email=None,
        deposit_type="percentage",
        deposit_value=10,
        discount_percentage=12.5,
        legal_type="commercial",
        email_marketing_consented=True,
        tag_list=["vip"],
        merge_suggestion_customer_id=JANE.upper(),
        tax_region_id=None,
        properties_attributes=[{"name": "Phone", "value": "0612345678"}],
    )["attributes"]
    assert found["email"] is None
    assert (found["deposit_type"], found["deposit_value"]) == ("percentage", 10.0)
    assert found["discount_percentage"] == 12.5
    assert found["legal_type"] == "commercial"
    assert found["email_marketing_consented"] is True
    assert found["email_marketing_consent_updated_at"] == NOW
    assert found["tag_list"] == ["vip"]
    assert found["merge_suggestion_customer_id"] == JANE
    assert found["properties"] == {"Phone": "0612345678"}  # kept, as on orders


def test_the_gems_leaked_headers_member_is_ignored(bq: Booqable) -> None:
    document = body({"name": "Gem user", "email": "gem@example.com"})
    document["headers"] = {"accept": "application/vnd.api+json", "user_agent": "Booqable Ruby Gem"}
    response = bq.post(
        "/customers", json=document, headers={"content-type": "application/vnd.api+json"}
    )
    assert response.status_code == 201
    assert response.json()["data"]["attributes"]["name"] == "Gem user"


def test_include_and_fields_on_create(bq: Booqable) -> None:
    number = highest_number(bq) + 1
    response = bq.post(
        "/customers",
        params={"include": "merge_suggestion_customer", "fields[customers]": "name,number"},
        json=body({"name": "Dup", "merge_suggestion_customer_id": JANE}),
    )
    document = response.json()
    assert document["data"]["attributes"] == {"number": number, "name": "Dup"}
    assert document["data"]["relationships"]["merge_suggestion_customer"] == {
        "data": {"type": "customers", "id": JANE}
    }
    assert [c["id"] for c in document["included"]] == [JANE]


def test_unknown_attribute_is_the_vendors_400(bq: Booqable) -> None:
    before = count(bq)
    response = bq.create("customers", name="X", invalid_field="invalid_value")
    assert request_errors(response) == [
        {
            "code": "bad_request",
            "status": "400",
            "title": "Request Error",
            "detail": "data.attributes.invalid_field is an unknown attribute",
            "source": {"pointer": "data/attributes/invalid_field"},
            "meta": {
                "attribute": "data.attributes.invalid_field",
                "message": "is an unknown attribute",
                "code": "unknown_attribute",
            },
        }
    ]
    assert count(bq) == before  # nothing was created


@pytest.mark.parametrize("name", ["number", "archived", "created_at", "stripe_id", "id"])
def test_read_only_attributes_cannot_be_written(bq: Booqable, name: str) -> None:
    [error] = request_errors(bq.create("customers", **{"name": "X", name: 1}))
    assert error["detail"] == f"data.attributes.{name} cannot be written"
    assert error["meta"]["code"] == "unwritable_attribute"
    assert error["source"] == {"pointer": f"data/attributes/{name}"}


@pytest.mark.parametrize(
    ("name", "value", "kind"),
    [
        ("name", ["a"], "string"),
        ("name", 0, "string"),
        ("name", None, "string"),
        ("deposit_value", "ten", "float"),
        ("discount_percentage", True, "float"),
        ("email_marketing_consented", "true", "boolean"),
        ("tag_list", "vip", "array_of_strings"),
        ("tag_list", [{}], "array_of_strings"),
        ("tax_region_id", "not-a-uuid", "uuid"),
    ],
)
def test_wrong_json_types_are_type_errors(bq: Booqable, name: str, value: Any, kind: str) -> None:
    [error] = request_errors(bq.create("customers", **{"name": "X", name: value}))
    assert error["detail"] == f"data.attributes.{name} should be type {kind}"
    assert error["meta"] == {
        "attribute": f"data.attributes.{name}",
        "message": f"should be type {kind}",
        "code": "type_error",
    }


def test_every_attribute_problem_is_reported_at_once(bq: Booqable) -> None:
    errors = request_errors(bq.create("customers", colour="red", number=3, deposit_value="x"))
    assert [e["meta"]["code"] for e in errors] == [
        "unknown_attribute",
        "unwritable_attribute",
        "type_error",
    ]


@pytest.mark.parametrize(
    ("document", "attribute", "code"),
    [
        ({"name": "no data"}, "data", "value_missing"),
        ({"data": "x"}, "data", "value_missing"),
        ({"data": {"attributes": {"name": "X"}}}, "data.type", "value_missing"),
        ({"data": {"type": "orders", "attributes": {"name": "X"}}}, "data.type", "type_mismatch"),
        ({"data": {"type": "customers", "attributes": ["X"]}}, "data.attributes", "type_error"),
        (
            {"data": {"type": "customers", "attributes": {"name": "X"}, "relationships": []}},
            "data.relationships",
            "type_error",
        ),
    ],
)
def test_malformed_documents_are_400(
    bq: Booqable, document: dict[str, Any], attribute: str, code: str
) -> None:
    [error] = request_errors(bq.post("/customers", json=document))
    assert error["meta"]["attribute"] == attribute
    assert error["meta"]["code"] == code


@pytest.mark.parametrize(
    ("attributes", "problems"),
    [
        ({}, [("name", "can't be blank", "blank")]),
        ({"name": "  "}, [("name", "can't be blank", "blank")]),
        ({"name": "X", "email": "not an email"}, [("email", "is invalid", "invalid")]),
        (
            {"name": "X", "deposit_type": "half", "legal_type": "robot"},
            [
                ("deposit_type", "is not included in the list", "inclusion"),
                ("legal_type", "is not included in the list", "inclusion"),
            ],
        ),
        (
            {"name": "X", "discount_percentage": 101},
            [("discount_percentage", "must be less than or equal to 100", "less_than_or_equal_to")],
        ),
        (
            {"name": "X", "properties_attributes": ["0612345678"]},
            [("properties_attributes", "must be objects with an identifier", "invalid")],
        ),
        (
            {"name": "X", "deposit_value": -1},
            [("deposit_value", "must be greater than or equal to 0", "greater_than_or_equal_to")],
        ),
    ],
)
def test_validation_errors_are_422(
    bq: Booqable, attributes: dict[str, Any], problems: list[tuple[str, str, str]]
) -> None:
    response = bq.create("customers", **attributes)
    assert validation_errors(response) == problems
    details = [error["detail"] for error in response.json()["errors"]]
    assert details == [f"{a.replace('_', ' ').capitalize()} {m}" for a, m, _ in problems]


def test_blank_name_detail_reads_like_rails(bq: Booqable) -> None:
    error = bq.create("customers", email="x@y.z").json()["errors"][0]
    assert error["detail"] == "Name can't be blank"


# --- update ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_update_changes_only_what_is_sent(bq: Booqable, api: Api, method: str) -> None:
    api.post("/_sandbox/clock/advance", json={"seconds": 60})
    response = bq.request(
        method,
        f"/customers/{JANE}",
        json=body({"name": "Jane Doe", "tag_list": ["regular"]}, id=JANE),
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == JSONAPI
    found = response.json()["data"]["attributes"]
    assert found["name"] == "Jane Doe"
    assert found["tag_list"] == ["regular"]
    assert found["email"] == "jane.cooper@example.com"
    assert found["number"] == 1
    assert found["created_at"] == "2022-01-12T14:03:20+00:00"
    assert found["updated_at"] == "2025-01-29T07:56:53+00:00"
    assert bq.get(f"/customers/{JANE}").json()["data"]["attributes"] == found


def test_update_stamps_the_marketing_consent(bq: Booqable) -> None:
    found = bq.put(f"/customers/{ROBERT}", json=body({"email_marketing_consented": True}))
    assert found.json()["data"]["attributes"]["email_marketing_consent_updated_at"] == NOW
    again = bq.put(f"/customers/{ROBERT}", json=body({"name": "Robert"}))
    assert again.json()["data"]["attributes"]["email_marketing_consent_updated_at"] == NOW


def test_update_validates_the_result(bq: Booqable) -> None:
    response = bq.put(f"/customers/{JANE}", json=body({"name": ""}))
    assert validation_errors(response) == [("name", "can't be blank", "blank")]
    assert bq.get(f"/customers/{JANE}").json()["data"]["attributes"]["name"] == "Jane Cooper"


def test_update_rejects_another_id_or_type(bq: Booqable) -> None:
    [error] = request_errors(bq.put(f"/customers/{JANE}", json=body({"name": "X"}, id=ROBERT)))
    assert error["meta"]["code"] == "value_mismatch"
    assert error["meta"]["attribute"] == "data.id"
    other_type = {"data": {"type": "orders", "id": JANE, "attributes": {"name": "X"}}}
    [error] = request_errors(bq.put(f"/customers/{JANE}", json=other_type))
    assert error["meta"]["code"] == "type_mismatch"


def test_update_unknown_attribute(bq: Booqable) -> None:
    [error] = request_errors(bq.put(f"/customers/{JANE}", json=body({"phone": "1"})))
    assert error["detail"] == "data.attributes.phone is an unknown attribute"


# --- archive --------------------------------------------------------------------------------


def test_delete_archives_and_answers_plain_json(bq: Booqable) -> None:
    ident = created(bq, name="Leaving")["id"]
    response = bq.delete(f"/customers/{ident}")
    assert response.status_code == 200
    assert response.headers["content-type"] == PLAIN_JSON
    data = response.json()["data"]
    assert data["id"] == ident
    assert list(data["attributes"]) == ATTRIBUTES
    assert data["attributes"]["archived"] is True
    assert data["attributes"]["archived_at"] == NOW
    # Still listed and shown: archiving is not deleting.
    archived = bq.get("/customers", params={"filter[archived]": "true"}).json()["data"]
    assert [c["id"] for c in archived] == [ident]
    assert bq.get(f"/customers/{ident}").json()["data"]["attributes"]["archived"] is True


def test_archiving_twice_keeps_the_first_moment(bq: Booqable, api: Api) -> None:
    first = bq.delete(f"/customers/{ROBERT}").json()["data"]["attributes"]
    api.post("/_sandbox/clock/advance", json={"seconds": 3600})
    again = bq.delete(f"/customers/{ROBERT}").json()["data"]["attributes"]
    assert again["archived_at"] == first["archived_at"] == NOW


# --- namespaces -----------------------------------------------------------------------------


def test_a_customer_lives_in_its_own_namespace(bq: Booqable, api: Api) -> None:
    fixtures, number = count(bq), highest_number(bq) + 1
    ident = created(bq, name="Only here")["id"]
    other = Booqable(Api(api.client, f"{api.namespace}-other"))
    assert other.get(f"/customers/{ident}").status_code == 404
    assert count(other) == fixtures
    # And the other namespace numbers its customers from the fixtures again.
    assert created(other, name="Elsewhere")["attributes"]["number"] == number
    assert bq.get(f"/customers/{ident}").status_code == 200


def test_both_prefixes_share_the_namespace(api: Api) -> None:
    ident = created(Booqable(api, "/api/4"), name="Via v4")["id"]
    assert Booqable(api, "/api/boomerang").get(f"/customers/{ident}").status_code == 200


# --- documents.cast: every type `attributes_of` knows ---------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("string", "x", "x"),
        ("enum", "fixed", "fixed"),
        ("uuid", JANE.upper(), JANE),
        ("integer", 3, 3),
        ("integer", -3, -3),
        ("integer", 3.0, 3),
        ("float", 2, 2.0),
        ("float", 2.5, 2.5),
        ("boolean", False, False),
        ("boolean", True, True),
        ("datetime", "2022-01-12 14:03:25", datetime(2022, 1, 12, 14, 3, 25, tzinfo=UTC)),
        ("datetime", "2022-01-12T15:03:25+01:00", datetime(2022, 1, 12, 14, 3, 25, tzinfo=UTC)),
        ("array", [1], [1]),
        ("array_of_strings", ["a"], ["a"]),
        ("hash", {"a": 1}, {"a": 1}),
        ("uuid?", None, None),
    ],
)
def test_casts(kind: str, value: Any, expected: Any) -> None:
    assert cast(kind, value) == expected


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("string", True),
        ("string", 12),
        ("string", None),
        ("uuid", "42"),
        ("integer", "1"),
        ("integer", 1.5),
        ("integer", False),
        ("float", "1.5"),
        ("float", 10**400),
        ("float", float("inf")),
        ("boolean", "true"),
        ("boolean", 1),
        ("datetime", 1642000000),
        ("datetime", "tomorrow"),
        ("array", {"a": 1}),
        ("hash", [1]),
        ("array_of_strings", [1]),
    ],
)
def test_values_that_do_not_cast(kind: str, value: Any) -> None:
    with pytest.raises(ValueError):  # noqa: PT011  (the type error carries no message)
        cast(kind, value)


def test_an_unknown_type_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        cast("money", 1)


def test_a_fixture_customer_without_optional_attributes_stays_updatable(tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", fixtures)
    path = fixtures / "booqable.json"
    doc = json.loads(path.read_text("utf-8"))
    jane = next(c for c in doc["customers"] if c["id"] == JANE)
    for name in ("deposit_type", "deposit_value", "legal_type", "discount_percentage"):
        del jane[name]
    path.write_text(json.dumps(doc), "utf-8")
    settings = Settings(fixtures=fixtures, start_time=parse_instant(START))
    with TestClient(create_app(settings)) as client:
        bq = Booqable(Api(client, "sparse"))
        response = bq.put(f"/customers/{JANE}", json=body({"name": "Jane Doe"}))
        assert response.status_code == 200, response.text
        assert response.json()["data"]["attributes"]["legal_type"] is None
        refused = bq.put(f"/customers/{JANE}", json=body({"legal_type": "robot"}))
        assert validation_errors(refused) == [("legal_type", *NOT_LISTED)]


def test_a_customers_properties_barcode_and_tax_region_include(api: Api) -> None:
    """The resources exist now, so the relationships resolve (they were always empty)."""
    v4 = Booqable(api, "/api/4")
    body = v4.get("/customers", params={"include": "properties,barcode,tax_region"}).json()
    by_id = {c["id"]: c["relationships"] for c in body["data"]}
    user = by_id["2f84548b-af55-41c4-a28e-0164c5739d5a"]  # properties {"main_address": ""}
    assert len(user["properties"]["data"]) == 1
    scanned = by_id["7e40e65d-089a-4ea0-978a-3482451bdbd2"]  # the fixtures' QR code owner
    assert scanned["barcode"]["data"] == {
        "type": "barcodes",
        "id": "c3fbfdf6-d756-4d88-89c7-974df32dc31f",
    }
    kinds = sorted({i["type"] for i in body["included"]})
    assert kinds == ["barcodes", "properties"]
    [prop] = [i for i in body["included"] if i["type"] == "properties"]
    assert prop["attributes"]["owner_type"] == "customers"


def test_properties_attributes_are_kept_on_the_customer(api: Api) -> None:
    """Nothing a client sends is lost: the docs' nested form lands in `properties`."""
    v4 = Booqable(api, "/api/4")
    body = {
        "data": {
            "type": "customers",
            "attributes": {
                "name": "Jane",
                "properties_attributes": [{"identifier": "phone", "value": "+31 6 1234"}],
            },
        }
    }
    made = v4.post("/customers", json=body)
    assert made.status_code == 201, made.text
    ident = made.json()["data"]["id"]
    assert made.json()["data"]["attributes"]["properties"] == {"phone": "+31 6 1234"}
    more = {"properties_attributes": [{"identifier": "vat", "value": "NL1"}]}
    update = {"data": {"id": ident, "type": "customers", "attributes": more}}
    shown = v4.put(f"/customers/{ident}", json=update).json()["data"]["attributes"]
    assert shown["properties"] == {"phone": "+31 6 1234", "vat": "NL1"}
    listed = v4.get("/properties", params={"filter[owner_id]": ident}).json()["data"]
    assert sorted(p["attributes"]["identifier"] for p in listed) == ["phone", "vat"]
    bad = {"data": {"type": "customers", "attributes": {"properties_attributes": [1]}}}
    assert v4.post("/customers", json=bad).status_code == 422
