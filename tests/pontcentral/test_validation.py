"""400 INVALID_REQUEST for missing required fields, 422 VALIDATION_ERROR (VineJS) for the rest."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.pontcentral.conftest import Partner, seed_request


def details(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert (error["code"], error["message"]) == ("VALIDATION_ERROR", "Request validation failed")
    found: list[dict[str, str]] = error["details"]
    return found


def test_missing_required_fields_are_named(pc: Partner) -> None:
    response = pc.post(
        "/bookings/create",
        json={"items": [{}, {"productCode": ""}], "customer": {"lastName": "Doe"}},
    )
    assert response.status_code == 400
    assert response.json() == {
        "success": False,
        "error": {
            "code": "INVALID_REQUEST",
            "message": "Missing required fields: partnerId, items[0].productCode, "
            "items[0].reservationDateTime, items[0].quantities, items[1].productCode, "
            "items[1].reservationDateTime, items[1].quantities, customer.firstName",
        },
    }


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"partnerId": 42, "items": [], "customer": {"firstName": "J"}},
        {"partnerId": None, "items": None, "customer": None},
    ],
)
def test_empty_payloads_are_invalid_requests(pc: Partner, body: dict[str, Any]) -> None:
    response = pc.post("/bookings/create", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_REQUEST"


def test_type_and_rule_violations_are_detailed(pc: Partner) -> None:
    body = seed_request(
        partnerId="forty-two",
        productCode=7,
        reservationDateTime="25/03/2026",
        quantities=[
            {"label": "adult", "quantity": 1.5, "price": -1},
            {"label": None, "quantity": 0, "price": "free"},
        ],
        guests=[{"age": "old"}, "Jane"],
        payments=[{"method": "CASH"}],
        customerNote=12,
    )
    body["customer"]["phone"] = 33612345678
    assert details(pc.post("/bookings/create", json=body)) == [
        {"field": "partnerId", "message": "The partnerId field must be a number", "rule": "number"},
        {
            "field": "items.0.productCode",
            "message": "The productCode field must be a string",
            "rule": "string",
        },
        {
            "field": "items.0.reservationDateTime",
            "message": "The reservationDateTime field must be a datetime value",
            "rule": "date",
        },
        {
            "field": "items.0.quantities.0.quantity",
            "message": "The quantity field must be an integer",
            "rule": "withoutDecimals",
        },
        {
            "field": "items.0.quantities.0.price",
            "message": "The price field must be at least 0",
            "rule": "min",
        },
        {
            "field": "items.0.quantities.1.label",
            "message": "The label field must be defined",
            "rule": "required",
        },
        {
            "field": "items.0.quantities.1.quantity",
            "message": "The quantity field must be positive",
            "rule": "positive",
        },
        {
            "field": "items.0.quantities.1.price",
            "message": "The price field must be a number",
            "rule": "number",
        },
        {
            "field": "customer.phone",
            "message": "The phone field must be a string",
            "rule": "string",
        },
        {"field": "guests.0.age", "message": "The age field must be a number", "rule": "number"},
        {"field": "guests.1", "message": "The 1 field must be an object", "rule": "object"},
        {
            "field": "payments.0.amount",
            "message": "The amount field must be defined",
            "rule": "required",
        },
        {
            "field": "payments.0.reference",
            "message": "The reference field must be defined",
            "rule": "required",
        },
        {
            "field": "customerNote",
            "message": "The customerNote field must be a string",
            "rule": "string",
        },
    ]
    assert pc.allocations() == []


def test_numeric_strings_are_numbers_as_in_vinejs(pc: Partner) -> None:
    body = seed_request(
        partnerId="42", quantities=[{"label": "adult", "quantity": "3", "price": "75.5"}]
    )
    response = pc.post("/bookings/create", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["booking"]["items"][0]["quantities"] == [
        {"label": "adult", "quantity": 3, "price": 75.5}
    ]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b'{"partnerId": 42,', "INVALID_JSON"),
        (b"[1, 2]", "INVALID_REQUEST"),
        (b'{"partnerId": NaN}', "INVALID_JSON"),
        (b"\xff\xfe", "INVALID_JSON"),
        (b"[" * 100_000, "INVALID_JSON"),
    ],
)
def test_bodies_that_are_not_a_json_object(pc: Partner, raw: bytes, code: str) -> None:
    response = pc.post(
        "/bookings/create", content=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


def test_unicode_round_trips_raw_and_unescaped(pc: Partner) -> None:
    note = 'Fauteuil roulant — accès <porte> & "rampe" / 車椅子 \U0001f600'
    response = pc.book(customerNote=note)
    assert response.status_code == 200
    assert f'"customerNote":{json.dumps(note, ensure_ascii=False)}' in response.text
    assert "\\/" not in response.text
    assert "\\u" not in response.text


def test_a_lone_surrogate_comes_back_escaped_not_as_a_500(pc: Partner) -> None:
    raw = json.dumps(seed_request()).replace('"Wheelchair', '"\\ud800Wheelchair')
    response = pc.post(
        "/bookings/create", content=raw.encode(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200
    assert '"customerNote":"\\ud800Wheelchair' in response.text
