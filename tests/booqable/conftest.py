"""A Booqable account on the sandbox: `bq.get("/orders")` with the demo API key."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from jsonschema import Draft202012Validator

from tests.conftest import Api, Verbs

API_KEY = "demo-api-key"
JSONAPI = "application/vnd.api+json; charset=utf-8"
# The JSON:API 1.0 schema, copied from the reference (../shared/reference/). It admits any
# member name with `"patternProperties": {"": ...}`; jsonschema joins the patterns into one
# regex and skips an empty one, so it would refuse every meta and relationship member: the
# pattern `^` means the same and is honoured.
JSONAPI_SCHEMA = Draft202012Validator(
    json.loads(
        (Path(__file__).parent / "jsonapi-1.0-schema.json").read_text("utf-8"),
        object_hook=lambda o: {("^" if k == "" else k): v for k, v in o.items()},
    )
)

# Seed 003's ids.
ORDER_SHORT = "8fee2053-e1a4-41e1-9bba-bb67bb6ecbd7"  # reserved, 1980-04-01 .. 1980-05-01
ORDER_RESERVED = "09d04c6d-779b-444e-ab5c-d4567a5a8f72"  # reserved, holds 1 Macbook Pro
ORDER_NEW = "23d2a4fd-a6bb-4232-a268-e261a0307077"  # new, 2022-01-10 .. 2022-01-14
TENT = "c2452fc4-8a27-45bd-9327-85305778bcbb"  # bulk, stock 7, no shortage allowed
DJ = "141692f0-98a4-41c6-995e-33f1d37b03e6"  # trackable, 2 stock items
IPAD = "6de6b568-9105-4e4d-a0bf-7b0f7bdba52a"  # trackable, 3 stock items
IPAD_ITEMS = (
    "e7aa282a-5f0b-4e89-845b-6dd5793973c4",
    "5222ea54-3a53-47b2-ab36-a0c40d9e7723",
    "b9ea2b40-7f22-428f-98df-4859e80b7dfd",
)
MACBOOK = "62b10cd2-5c91-4c26-a7ab-b908bfcbee14"  # bulk, stock 10
CHAIR = "69a6ac18-244e-4b1e-b2e1-c88d155b51e5"  # bulk, stock 8, allow_shortage, limit 2
PROJECTOR = "dc98bab9"  # prefix: bulk, stock 1, allow_shortage, limit 2


class Booqable(Verbs):
    """Requests under `/api/boomerang` (or `prefix`) with the API key and checks of the body."""

    def __init__(self, api: Api, prefix: str = "/api/boomerang", key: str = API_KEY) -> None:
        self.api = api
        self.prefix = prefix
        self.key = key

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.key}", **kwargs.pop("headers", {})}
        response = self.api.request(method, f"{self.prefix}{path}", headers=headers, **kwargs)
        # A `.json` path answers the nested form (§3.1), not JSON:API; its errors are JSON:API.
        nested = path.split("?", 1)[0].endswith(".json") and response.status_code < 400
        if (
            response.content
            and not nested
            and response.headers.get("content-type", "").endswith("json; charset=utf-8")
        ):
            document = without_vendor_quirks(response.json())
            errors = sorted(JSONAPI_SCHEMA.iter_errors(document), key=str)
            assert not errors, f"not a JSON:API 1.0 document: {errors[0].message}"
        return response

    def book(self, order_id: str, *items: dict[str, Any], **attributes: Any) -> httpx.Response:
        body = {
            "data": {
                "type": "order_bookings",
                "attributes": {"order_id": order_id, "items": list(items), **attributes},
            }
        }
        return self.post("/order_bookings", json=body)

    def transition(
        self, order_id: str, current: str, wanted: str, **attributes: Any
    ) -> httpx.Response:
        body = {
            "data": {
                "type": "order_status_transitions",
                "attributes": {
                    "order_id": order_id,
                    "transition_from": current,
                    "transition_to": wanted,
                    **attributes,
                },
            }
        }
        return self.post("/order_status_transitions", json=body)

    def create(self, kind: str, **attributes: Any) -> httpx.Response:
        return self.post(f"/{kind}", json={"data": {"type": kind, "attributes": attributes}})


def without_vendor_quirks(document: Any) -> Any:
    """The document less five quirks of the real server, and only those, which JSON:API 1.0
    refuses: a search answers bare `{"id": …}` objects (§4.1 Search); item resources (product
    groups, products, bundles) carry a `type` attribute equal to their type (reference §3.10);
    Graphiti's 400s point at `data/attributes/x` without the leading slash (§3.8, CASS);
    `wrong_status` has `"meta": null` (§4.2); the 2022 reads' link of an unset to-one
    relationship is `"related": null` (§3.5, JSON:API 1.1 allows it)."""
    found = copy.deepcopy(document)
    if not isinstance(found, dict):
        return found
    data = found.get("data")
    if isinstance(data, list) and all(isinstance(o, dict) and set(o) == {"id"} for o in data):
        # `POST …/search` with `fields[<type>]=id` answers bare `{"id": …}` objects (§4.1).
        found["data"] = data = [{**o, "type": "search_results"} for o in data]
    objects = [data] if isinstance(data, dict) else list(data or [])
    for obj in [*objects, *found.get("included", [])]:
        attributes = obj.get("attributes") if isinstance(obj, dict) else None
        if isinstance(attributes, dict) and attributes.get("type") == obj.get("type"):
            del attributes["type"]
        relationships = obj.get("relationships") if isinstance(obj, dict) else None
        for rel in (relationships or {}).values():
            links = rel.get("links") if isinstance(rel, dict) else None
            if isinstance(links, dict) and "related" in links and links["related"] is None:
                del links["related"]
    for error in found.get("errors", []):
        if not isinstance(error, dict):
            continue
        if "meta" in error and error["meta"] is None:
            del error["meta"]
        source = error.get("source")
        if not isinstance(source, dict):
            continue
        pointer = source.get("pointer")
        if isinstance(pointer, str) and pointer.split("/")[0] == "data":
            source["pointer"] = f"/{pointer}"
    return found


@pytest.fixture
def bq(api: Api) -> Booqable:
    return Booqable(api)


def product(**quantities: Any) -> dict[str, Any]:
    return {"type": "products", **quantities}
