"""Golden tests: the vendor's own JSON examples, reproduced whole and byte for byte.

Each example is stored verbatim in `golden/` (see its README for the page and section). A test
builds the request that reproduces it on the default fixtures, then replaces in the expected
document only the values the sandbox generates (booking numbers, access tokens, `expires_at`,
`createdAt`/`updatedAt`, `items[].id`), each with the server's own value once its format has been
checked, and compares the whole body: the parsed document re-serialised (content, key order,
number spelling) and the raw bytes the server wrote.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from tests.conftest import ROOT, Api
from tests.pontcentral.conftest import Partner, at_seed_moment, compact, seed_request, token_for

GOLDEN = Path(__file__).parent / "golden"
SEED_REQUEST_BYTES = (Path(__file__).parent / "seed002_request.json").read_bytes()
FIXTURES = json.loads((ROOT / "fixtures" / "pontcentral.json").read_text("utf-8"))

BOOKING_NUMBER = re.compile(r"PC\d{4}[A-Z0-9]{3}")
# The clock stands at 2026-03-20T10:00:00Z: tokens last 48 h, written as JavaScript's toISOString.
EXPIRES_AT = "2026-03-22T10:00:00.000Z"
# Bookings are stamped in the product's zone (Europe/Paris, +01:00 in March), as Luxon's toISO().
CREATED_AT = "2026-03-20T11:00:00.000+01:00"
# The booking number of the detail and cancel examples: a fresh namespace does not hold it.
UNKNOWN_NUMBER = "PC2236PAQ"


def golden(name: str) -> Any:
    return json.loads((GOLDEN / f"{name}.json").read_text("utf-8"))


def assert_body(response: httpx.Response, expected: Any, status: int = 200) -> None:
    """The whole body: same document, key order and number spelling, then the server's bytes."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert compact(response.json()) == compact(expected)
    assert response.content == compact(expected).encode("utf-8")


def like(template: dict[str, Any], **values: Any) -> dict[str, Any]:
    """The example's object with other values, in the example's key order."""
    assert values.keys() <= template.keys(), set(values) - set(template)
    return {**template, **values}


def booking_number(document: dict[str, Any]) -> str:
    number = document["booking"]["bookingNumber"]
    assert isinstance(number, str)
    assert BOOKING_NUMBER.fullmatch(number), number
    return number


def example_pagination(**values: Any) -> dict[str, Any]:
    """products-list's pagination object (§3.2), its keys in the example's order."""
    return like(golden("products_list_success")["pagination"], **values)


# ----- 1. seed 002: booking create -------------------------------------------------------


def test_seed002_request_gives_the_seed_response(pc: Partner) -> None:
    response = pc.post(
        "/bookings/create",
        content=SEED_REQUEST_BYTES,
        headers={"Content-Type": "application/json"},
    )
    expected = golden("seed002_booking_create_success")
    assert response.status_code == 200, response.text
    expected["booking"]["bookingNumber"] = booking_number(response.json())
    assert_body(response, expected)


def test_seed002_validation_error_is_the_seed_error_plus_details(pc: Partner) -> None:
    """The seed's 422 example has no `details[]`; the sandbox always adds them (VineJS).

    Everything the example shows is checked byte for byte; `details` follows `message`.
    """
    response = pc.book(quantities=[{"label": "adult", "quantity": 0, "price": 75}])
    expected = golden("seed002_booking_create_error")
    expected["error"]["details"] = [
        {
            "field": "items.0.quantities.0.quantity",
            "message": "The quantity field must be positive",
            "rule": "positive",
        }
    ]
    assert_body(response, expected, 422)


# ----- 2. products -----------------------------------------------------------------------


def test_product_detail_is_the_example(pc: Partner) -> None:
    assert_body(pc.get("/products/PROD-001"), golden("product_detail_success"))


def test_products_list_shows_the_example_entries(pc: Partner) -> None:
    example = golden("products_list_success")
    response = pc.get("/products")
    assert response.status_code == 200, response.text
    body = response.json()
    listed = {p["productCode"]: p for p in body["products"]}
    for entry in example["products"]:
        assert compact(listed[entry["productCode"]]) == compact(entry)
        assert compact(entry).encode("utf-8") in response.content
    # Every entry has the example's keys, in its order.
    assert all(list(p) == list(example["products"][0]) for p in body["products"])
    total = sum(p["partnerId"] == 42 and p["active"] for p in FIXTURES["products"])
    assert total == len(body["products"])
    pages = math.ceil(total / 25)
    assert pages == 1
    pagination = example_pagination(total=total, totalPages=pages, hasNextPage=False)
    assert compact(body["pagination"]) == compact(pagination)
    expected = like(example, products=body["products"], pagination=pagination)
    assert_body(response, expected)


# ----- 3. booking detail -----------------------------------------------------------------


def book_detail_example(pc: Partner) -> httpx.Response:
    """PC2236PAQ's booking (§3.7): seed 002's request on P811C6RV, date only, 150 + 40 paid."""
    example = golden("booking_detail_success")["booking"]
    item = example["items"][0]
    payments = [
        {"method": p["method"], "amount": p["amount"], "reference": p["reference"]}
        for p in example["payments"]
    ]
    response = pc.book(
        productCode=item["productCode"],
        reservationDateTime=item["reservationDate"],
        payments=payments,
    )
    assert response.status_code == 200, response.text
    return response


def test_booking_detail_is_the_example(pc: Partner) -> None:
    created = book_detail_example(pc)
    number = booking_number(created.json())
    expected = golden("booking_detail_success")
    expected["booking"]["bookingNumber"] = number
    # Create answers with the same document as detail (reference §3.5).
    assert_body(created, expected)
    assert_body(pc.get(f"/bookings/{number}"), expected)


# ----- 4. bookings list ------------------------------------------------------------------


def test_bookings_list_entry_is_the_example(pc: Partner) -> None:
    example = golden("bookings_list_success")
    shown = example["bookings"][0]
    items = [
        {
            "productCode": item["productCode"],
            "reservationDateTime": f"{item['reservationDate']}T{item['reservationTime']}:00",
            "quantities": item["quantities"],
        }
        for item in shown["items"]
    ]
    payments = [
        {"method": p["method"], "amount": p["amount"], "reference": p["reference"]}
        for p in shown["payments"]
    ]
    created = pc.post(
        "/bookings/create",
        json=seed_request(items=items, payments=payments, resellerNote=shown["resellerNote"]),
    )
    assert created.status_code == 200, created.text
    number = booking_number(created.json())

    response = pc.get("/bookings")
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body) == ["success", "bookings", "pagination"]
    [entry] = body["bookings"]
    ids = [item["id"] for item in entry["items"]]
    assert all(type(i) is int and i > 0 for i in ids), ids
    assert ids == list(range(ids[0], ids[0] + len(ids))), ids  # one row per item, in order

    expected_entry = like(shown, bookingNumber=number, createdAt=CREATED_AT)
    expected_entry["items"] = [
        like(item, id=row_id) for item, row_id in zip(shown["items"], ids, strict=True)
    ]
    # The example stops after createdAt ("upd…"): everything up to there, whole.
    keys = list(entry)
    cut = keys.index("createdAt") + 1
    assert compact(dict(list(entry.items())[:cut])) == compact(expected_entry)
    # Then updatedAt, the entry's last key, equal to createdAt for a booking never changed.
    assert keys[cut:] == ["updatedAt"]
    assert entry["updatedAt"] == CREATED_AT
    pagination = example_pagination(total=1, totalPages=1, hasNextPage=False)
    # The example's document goes on with the pagination object (not shown; products-list's).
    shown_bookings = like(example, bookings=[{**expected_entry, "updatedAt": CREATED_AT}])
    assert_body(response, {**shown_bookings, "pagination": pagination})


# ----- 5. cancel -------------------------------------------------------------------------


def test_cancel_is_the_example(pc: Partner) -> None:
    number = booking_number(book_detail_example(pc).json())
    expected = golden("booking_cancel_success")
    message = expected["requestStatus"]["message"]
    assert message == "Booking #PC2236PAQ has been canceled"
    expected["requestStatus"]["message"] = message.replace("PC2236PAQ", number)
    assert_body(pc.delete(f"/bookings/{number}"), expected)


# ----- 6. error examples -----------------------------------------------------------------


def test_token_example_request_fails_as_the_example(api: Api) -> None:
    response = api.post("/api/v1/auth/token", json=golden("auth_token_request"))
    assert_body(response, golden("auth_token_error"), 401)


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer pcpa_MQ.bm90LWEtdG9rZW4"}], ids=["none", "unknown"]
)
def test_products_list_without_a_partner_is_the_example(api: Api, headers: dict[str, str]) -> None:
    response = api.get("/api/v1/products", headers=headers)
    assert_body(response, golden("products_list_error"), 401)


def test_another_partners_product_is_the_not_found_example(other: Partner) -> None:
    assert_body(other.get("/products/PROD-001"), golden("product_detail_error"), 404)


def test_unknown_product_message_has_the_example_format(pc: Partner) -> None:
    expected = golden("product_detail_error")
    message = expected["error"]["message"]
    expected["error"]["message"] = message.replace("PROD-001", "PROD-999")
    assert_body(pc.get("/products/PROD-999"), expected, 404)


def test_availabilities_without_product_code_is_the_example(pc: Partner) -> None:
    request = golden("availabilities_request")
    del request["productCode"]
    response = pc.post("/availabilities", json=request)
    assert_body(response, golden("availabilities_error"), 422)


def test_unknown_booking_detail_is_the_example(pc: Partner) -> None:
    response = pc.get(f"/bookings/{UNKNOWN_NUMBER}")
    assert_body(response, golden("booking_detail_error"), 404)


def test_unknown_booking_cancel_is_the_example(pc: Partner) -> None:
    response = pc.delete(f"/bookings/{UNKNOWN_NUMBER}")
    assert_body(response, golden("booking_cancel_error"), 404)


# ----- 7. token --------------------------------------------------------------------------

CREDENTIALS = {"client_id": "demo-partner", "client_secret": "demo-secret"}


def expected_token(token: str) -> dict[str, Any]:
    expected: dict[str, Any] = golden("auth_token_success")
    expected["data"]["access_token"] = token
    expected["data"]["expires_at"] = EXPIRES_AT
    return expected


def test_first_token_of_a_namespace_is_the_example(api: Api) -> None:
    at_seed_moment(api)
    response = api.post("/api/v1/auth/token", json=CREDENTIALS)
    assert response.status_code == 200, response.text
    token = response.json()["data"]["access_token"]
    assert re.fullmatch(r"pcpa_MQ\.[A-Za-z0-9_-]+", token), token  # MQ: base64 of "1"
    assert_body(response, expected_token(token))


def test_second_token_is_the_example_with_the_next_id(pc: Partner) -> None:
    assert re.fullmatch(r"pcpa_MQ\.[A-Za-z0-9_-]+", pc.token), pc.token
    response = pc.api.post("/api/v1/auth/token", json=CREDENTIALS)
    assert response.status_code == 200, response.text
    token = response.json()["data"]["access_token"]
    assert re.fullmatch(r"pcpa_Mg\.[A-Za-z0-9_-]+", token), token  # Mg: base64 of "2"
    assert_body(response, expected_token(token))


# ----- 8. availabilities -----------------------------------------------------------------


def availability_request(product_code: str) -> dict[str, Any]:
    """The example's request (§3.4), from the 21st: the 15th to the 20th morning are past."""
    request = golden("availabilities_request")
    assert list(request) == ["productCode", "startDateTime", "endDateTime", "quantity"]
    return like(request, productCode=product_code, startDateTime="2026-03-21T09:00:00")


def example_prices(template: dict[str, Any], prices: dict[str, int]) -> list[dict[str, Any]]:
    """A product's price map (products examples) as availability prices, labels capitalised."""
    return [like(template, label=label.capitalize(), value=v) for label, v in prices.items()]


def test_availabilities_of_a_timed_product_have_the_example_shape(pc: Partner) -> None:
    example = golden("availabilities_success")
    timed = example["availabilities"][0]
    assert timed["allDay"] is False
    prices = golden("product_detail_success")["product"]["prices"]  # PROD-001
    stock = 15  # the English guide; the entrance holds 30
    days = [
        like(
            timed,
            date=day,
            available=True,
            allDay=False,
            stockTotal=stock,
            stockAvailable=stock,
            times=[
                like(timed["times"][0], time=t, stockAvailable=stock) for t in ("09:00", "14:00")
            ],
            prices=example_prices(timed["prices"][0], prices),
        )
        for day in ("2026-03-21", "2026-03-22")
    ]
    response = pc.post("/availabilities", json=availability_request("PROD-001"))
    assert response.status_code == 200, response.text
    for entry in response.json()["availabilities"]:
        assert list(entry) == list(timed)
        assert all(list(t) == list(timed["times"][0]) for t in entry["times"])
        assert all(list(p) == list(timed["prices"][0]) for p in entry["prices"])
    assert_body(response, like(example, availabilities=days))


def test_availabilities_of_an_all_day_product_have_the_example_shape(pc: Partner) -> None:
    example = golden("availabilities_success")
    all_day = example["availabilities"][1]
    assert all_day["allDay"] is True
    assert all_day["times"] == []
    listed = golden("products_list_success")["products"]
    prices = next(p for p in listed if p["productCode"] == "PROD-002")["prices"]
    stock = 500  # RES-LOUVRE-DAY
    days = [
        like(
            all_day,
            date=day,
            available=True,
            allDay=True,
            stockTotal=stock,
            stockAvailable=stock,
            times=[],
            prices=example_prices(all_day["prices"][0], prices),
        )
        for day in ("2026-03-21", "2026-03-22")
    ]
    response = pc.post("/availabilities", json=availability_request("PROD-002"))
    assert_body(response, like(example, availabilities=days))


def test_availabilities_example_values_byte_for_byte(api: Api) -> None:
    """§3.4's two entries, values included. The example's request names PROD-001 but its prices
    (Adult 15, Child 5) are not PROD-001's, and its two days differ in `allDay`, which a product
    cannot: PROD-003 (timed, 09:00 and 14:00, a guide for 10) and PROD-004 (all day, 10 passes)
    carry the example's values, one entry each."""
    api.put("/_sandbox/clock", json={"now": "2026-03-10T09:00:00Z", "frozen": True})
    pc = Partner(api, token_for(api))
    for when, people in (("2026-03-15T09:00:00", 2), ("2026-03-15T14:00:00", 5)):
        line = [{"label": "adult", "quantity": people, "price": 15}]
        assert (
            pc.book(productCode="PROD-003", reservationDateTime=when, quantities=line).status_code
            == 200
        )
    example = golden("availabilities_success")
    request = golden("availabilities_request")  # 2026-03-15T09:00 .. 2026-03-22T18:00, quantity 2
    timed = pc.post(
        "/availabilities",
        json=like(request, productCode="PROD-003", endDateTime="2026-03-15T18:00:00"),
    )
    assert_body(timed, like(example, availabilities=example["availabilities"][:1]))
    all_day = pc.post(
        "/availabilities",
        json=like(
            request, productCode="PROD-004", startDateTime="2026-03-16", endDateTime="2026-03-16"
        ),
    )
    assert_body(all_day, like(example, availabilities=example["availabilities"][1:]))
