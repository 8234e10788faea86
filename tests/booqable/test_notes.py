"""Notes (DOCS-HEAD `_notes.md`): list, show, create and delete, kept in the namespace's state;
a customer's `notes` resolve to them; the docs' examples replayed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.booqable.conftest import ORDER_RESERVED, Booqable
from tests.booqable.docs_catalog import golden, same, use_catalog
from tests.booqable.test_catalog_writes import PLAIN_JSON, UNKNOWN, errors
from tests.conftest import ROOT, Api

JANE = "7e40e65d-089a-4ea0-978a-3482451bdbd2"  # a fixture customer
ROBERT = "40d4ae19-fb42-432c-9405-7c2206351a7c"
DJ_ITEM = "6ca9c502-4844-4b54-b7cb-4425d411bbe4"  # a fixture stock item
# The fixtures' (first) authentication method's employee: the account's.
EMPLOYEE = "8d2f0e6a-3c47-4b9e-a1d5-2f6e9c0b7a13"
NO_EMPLOYEE = "1198ce96-0cb9-533c-ad00-8758fbb1c4f0"  # uuid5 of "booqable:employees:sandbox"
NOTE = "9c3f4e5a-0000-4000-8000-000000000001"
ATTRIBUTES = ["created_at", "updated_at", "body", "employee_id", "owner_id", "owner_type"]


def made(response: Any, status: int = 201) -> Any:
    """The answer's `data`: an object, or a list."""
    assert response.status_code == status, response.text
    return response.json()["data"]


@pytest.fixture(params=["/api/boomerang", "/api/4"])
def bqx(api: Api, request: pytest.FixtureRequest) -> Booqable:
    return Booqable(api, prefix=request.param)


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def note(bq: Booqable, owner_id: str, owner_type: str = "customers", body: str = "Hi") -> Any:
    return bq.create("notes", body=body, owner_id=owner_id, owner_type=owner_type)


def test_a_note_is_made_listed_shown_and_included(bqx: Booqable) -> None:
    made_note = made(note(bqx, JANE, body="Agreed a 20% discount"))
    attributes = made_note["attributes"]
    assert list(attributes) == ATTRIBUTES
    assert (attributes["body"], attributes["employee_id"]) == ("Agreed a 20% discount", EMPLOYEE)
    assert (attributes["owner_id"], attributes["owner_type"]) == (JANE, "customers")
    assert made(bqx.get("/notes"), 200) == [made(bqx.get(f"/notes/{made_note['id']}"), 200)]
    body = bqx.get(f"/customers/{JANE}", params={"include": "notes"}).json()
    assert body["data"]["relationships"]["notes"]["data"] == [
        {"type": "notes", "id": made_note["id"]}
    ]
    assert [i["id"] for i in body["included"]] == [made_note["id"]]
    other = bqx.get(f"/customers/{ROBERT}", params={"include": "notes"}).json()
    assert other["data"]["relationships"]["notes"]["data"] == []
    shown = bqx.get(f"/notes/{made_note['id']}", params={"include": "owner,employee"}).json()
    assert shown["data"]["relationships"]["owner"]["data"] == {"type": "customers", "id": JANE}
    assert shown["data"]["relationships"]["employee"]["data"] is None  # no employee records
    assert [i["type"] for i in shown["included"]] == ["customers"]


def test_the_2022_era_links(bq: Booqable) -> None:
    made_note = made(note(bq, JANE))
    rels = made(bq.get(f"/notes/{made_note['id']}"), 200)["relationships"]
    assert rels == {
        "employee": {"links": {"related": f"api/boomerang/employees/{EMPLOYEE}"}},
        "owner": {"links": {"related": f"api/boomerang/customers/{JANE}"}},
    }
    customer = made(bq.get(f"/customers/{JANE}"), 200)["relationships"]
    assert customer["notes"] == {
        "links": {
            "related": f"api/boomerang/notes?filter[owner_id]={JANE}&filter[owner_type]=customers"
        }
    }


@pytest.mark.parametrize(
    ("owner_type", "owner_id"),
    [
        ("orders", ORDER_RESERVED),
        ("stock_items", DJ_ITEM),
        ("product_groups", "21735be3-0427-4c68-843e-addae0a4ae76"),
        ("bundles", "9bf34d16-2144-45a5-8461-ebae7bf0f4ca"),
    ],
)
def test_other_owners(v4: Booqable, owner_type: str, owner_id: str) -> None:
    made_note = made(note(v4, owner_id, owner_type))
    shown = v4.get(f"/notes/{made_note['id']}", params={"include": "owner"}).json()
    assert (shown["included"][0]["type"], shown["included"][0]["id"]) == (owner_type, owner_id)
    found = made(v4.get("/notes", params={"filter[owner_type]": owner_type}), 200)
    assert [n["id"] for n in found] == [made_note["id"]]


def test_filters(v4: Booqable) -> None:
    first = made(note(v4, JANE))["id"]
    second = made(note(v4, ROBERT))["id"]
    assert [n["id"] for n in made(v4.get("/notes", params={"filter[owner_id]": ROBERT}), 200)] == [
        second
    ]
    listed = made(v4.get("/notes", params={"filter[employee_id]": EMPLOYEE, "sort": "-id"}), 200)
    assert {n["id"] for n in listed} == {first, second}
    [err] = errors(v4.get("/notes", params={"filter[body]": "Hi"}), 400)
    assert err["meta"]["code"] == "invalid_filter"


def test_delete_destroys_and_answers_the_note_as_plain_json(bqx: Booqable) -> None:
    made_note = made(note(bqx, JANE))
    response = bqx.delete(f"/notes/{made_note['id']}")
    assert response.status_code == 200
    assert response.headers["content-type"] == PLAIN_JSON
    assert response.json()["data"]["attributes"] == made_note["attributes"]
    errors(bqx.get(f"/notes/{made_note['id']}"), 404)
    errors(bqx.delete(f"/notes/{made_note['id']}"), 404)
    included = bqx.get(f"/customers/{JANE}", params={"include": "notes"}).json()
    assert included["data"]["relationships"]["notes"]["data"] == []


def test_validation_errors_name_every_problem(v4: Booqable) -> None:
    found = errors(v4.create("notes", body=" ", owner_type="employees"), 422)
    assert [(e["meta"]["attribute"], e["meta"]["code"]) for e in found] == [
        ("body", "blank"),
        ("owner_type", "inclusion"),
    ]
    found = errors(v4.create("notes", body="x", owner_type="customers", owner_id=UNKNOWN), 422)
    assert [(e["meta"]["attribute"], e["meta"]["message"]) for e in found] == [
        ("owner", "must exist")
    ]
    found = errors(v4.create("notes", body="x", owner_type="documents", owner_id=UNKNOWN), 422)
    assert found[0]["meta"]["attribute"] == "owner"  # documents are not emulated
    found = errors(v4.create("notes", body="x"), 422)
    assert [e["meta"]["attribute"] for e in found] == ["owner_type"]
    assert made(v4.get("/notes"), 200) == []  # nothing was made


def test_request_errors_are_graphiti_400s(v4: Booqable) -> None:
    [err] = errors(v4.create("notes", body="x", employee_id=UNKNOWN), 400)
    assert err["meta"]["code"] == "unwritable_attribute"
    [err] = errors(v4.create("notes", body=3), 400)
    assert err["meta"]["code"] == "type_error"
    [err] = errors(v4.create("notes", colour="red"), 400)
    assert err["meta"]["code"] == "unknown_attribute"
    [err] = errors(v4.get("/notes", params={"include": "customer"}), 400)
    assert err["meta"]["code"] == "invalid_include"
    assert made(v4.get("/notes"), 200) == []


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_notes_have_no_update(v4: Booqable, method: str) -> None:
    made_note = made(note(v4, JANE))
    body = {"data": {"type": "notes", "id": made_note["id"], "attributes": {"body": "x"}}}
    [err] = errors(v4.request(method, f"/notes/{made_note['id']}", json=body), 404)
    assert err["code"] == "not_found"


def test_notes_survive_a_state_export_and_import(api: Api) -> None:
    v4 = Booqable(api, "/api/4")
    made_note = made(note(v4, JANE))
    state = api.get("/_sandbox/state").json()
    assert state["vendors"]["booqable"]["notes"][made_note["id"]]["body"] == "Hi"
    assert api.put("/_sandbox/state", json=state).status_code == 200
    assert made(v4.get(f"/notes/{made_note['id']}"), 200) == made_note
    # A state exported before notes existed still loads, with none.
    del state["vendors"]["booqable"]["notes"]
    assert api.put("/_sandbox/state", json=state).status_code == 200
    assert made(v4.get("/notes"), 200) == []
    assert made(note(v4, JANE), 201)


def test_an_import_naming_a_missing_owner_is_refused(api: Api) -> None:
    v4 = Booqable(api, "/api/4")
    made_note = made(note(v4, JANE))
    state = api.get("/_sandbox/state").json()
    state["vendors"]["booqable"]["notes"][made_note["id"]]["owner_id"] = UNKNOWN
    answer = api.put("/_sandbox/state", json=state)
    assert answer.status_code == 422
    paths = [d["path"] for d in answer.json()["error"]["details"]]
    assert paths == [f"$.vendors.booqable.notes.{made_note['id']}.owner_id"]
    assert made(v4.get(f"/notes/{made_note['id']}"), 200) == made_note  # nothing changed


@pytest.mark.parametrize("signed", [True, False])
def test_fixture_notes_are_seeded(v4: Booqable, signed: bool) -> None:
    doc = json.loads((ROOT / "fixtures" / "booqable.json").read_text("utf-8"))
    fixture_note = {"id": NOTE, "body": "VIP", "owner_id": JANE, "owner_type": "customers"}
    methods = {"authentication_methods": doc["authentication_methods"]} if signed else {}
    use_catalog(v4, {"customers": doc["customers"][:1], "notes": [fixture_note], **methods})
    [seeded] = made(v4.get("/notes"), 200)
    assert seeded["id"] == NOTE
    attributes = seeded["attributes"]
    # The account's employee; without authentication methods, a fixed id.
    assert attributes["employee_id"] == (EMPLOYEE if signed else NO_EMPLOYEE)
    assert attributes["created_at"] == attributes["updated_at"]  # made with the namespace
    assert attributes["created_at"] is not None
    made_note = made(note(v4, JANE))
    assert made_note["attributes"]["employee_id"] == attributes["employee_id"]


def test_fixture_notes_need_an_owner(api: Api) -> None:
    v4 = Booqable(api, "/api/4")
    with pytest.raises(AssertionError, match="names no record of its owner_type"):
        use_catalog(
            v4,
            {"notes": [{"id": NOTE, "body": "x", "owner_id": UNKNOWN, "owner_type": "orders"}]},
        )


def test_the_docs_examples(v4: Booqable) -> None:
    created = golden("notes_create_201")
    owner = created["request"]["data"]["attributes"]["owner_id"]
    doc = json.loads((ROOT / "fixtures" / "booqable.json").read_text("utf-8"))
    use_catalog(v4, {"customers": [{**doc["customers"][0], "id": owner}]})
    answer = v4.request(created["method"], "/notes", json=created["request"])
    assert answer.status_code == created["status"]
    same(answer.json(), created["response"])
    ident = answer.json()["data"]["id"]
    for name in ("notes_list_200", "notes_show_200"):
        example = golden(name)
        path = "/notes" if name == "notes_list_200" else f"/notes/{ident}"
        answer = v4.get(path)
        assert answer.status_code == example["status"]
        same(answer.json(), example["response"])
    deleted = golden("notes_delete_200")
    answer = v4.request(deleted["method"], f"/notes/{ident}")
    assert answer.status_code == deleted["status"]
    assert answer.headers["content-type"] == PLAIN_JSON  # booqable.md §3.3 (golden notes)
    same(answer.json(), deleted["response"])


def test_an_orders_notes_include_on_v4_only_when_asked(api: Api) -> None:
    v4, boomerang = Booqable(api, "/api/4"), Booqable(api)
    made(note(v4, ORDER_RESERVED, "orders", "Call first"))
    shown = v4.get(f"/orders/{ORDER_RESERVED}", params={"include": "notes"}).json()
    [linked] = shown["data"]["relationships"]["notes"]["data"]
    assert [i["attributes"]["body"] for i in shown["included"]] == ["Call first"]
    assert linked["id"] == shown["included"][0]["id"]
    # The 2022 docs list no `notes` on orders: not written unless included.
    assert "notes" not in boomerang.get(f"/orders/{ORDER_RESERVED}").json()["data"]["relationships"]
