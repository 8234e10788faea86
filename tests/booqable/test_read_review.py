"""Reads that once failed: a query string nested past Rack's depth (a 500), a 2025 total
filtered as 0 where the order writes null, and `eq` over thousands of values (a scan of every
value per record: seconds for a search body of ids)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from booking_sandbox.vendors.booqable import filters, routes
from booking_sandbox.vendors.booqable.jsonapi import REGISTRY
from booking_sandbox.vendors.booqable.query import MAX_PARAM_DEPTH, rack_parse
from tests.booqable.conftest import Booqable
from tests.booqable.test_query import request_error

assert routes  # the resources register when the routes are read


def test_a_name_nested_past_racks_depth_is_a_400(bq: Booqable) -> None:
    deep = "filter" + "[a]" * MAX_PARAM_DEPTH
    error = request_error(bq.get(f"/orders?{deep}=1"), "invalid_query")
    assert error["detail"].startswith("Invalid query parameters")
    search = bq.post(f"/orders/search?{deep}=1", json={"filter": {}})
    request_error(search, "invalid_query")


def test_racks_depth_is_100_levels() -> None:
    assert rack_parse("a" + "[b]" * (MAX_PARAM_DEPTH - 1) + "=1")["a"]["b"]
    assert rack_parse("a" + "[][b]" * (MAX_PARAM_DEPTH - 1) + "=1")["a"]


@pytest.mark.parametrize("name", ["amount_to_be_paid_in_cents", "deposit_to_be_paid_in_cents"])
def test_a_total_written_null_is_filtered_as_null(bq: Booqable, name: str) -> None:
    """An order with no line writes null for what is still to be paid (CASS): `eq 0` and
    `lt 1` do not find it, `not_eq 0` does."""
    v4 = Booqable(bq.api, prefix="/api/4")
    params = {"page[size]": "100", "fields[orders]": name}
    listed = v4.get("/orders", params=params).json()["data"]
    written = {o["id"]: o["attributes"][name] for o in listed}
    assert None in written.values()  # seed 003's orders without lines

    def found(**more: str) -> set[str]:
        response = v4.get("/orders", params={**params, **more})
        assert response.status_code == 200, response.text
        return {o["id"] for o in response.json()["data"]}

    zero = {i for i, v in written.items() if v == 0}
    assert found(**{f"filter[{name}]": "0"}) == zero
    assert found(**{f"filter[{name}][lt]": "1"}) == zero
    assert found(**{f"filter[{name}][not_eq]": "0"}) == set(written) - zero


# --- eq over many values: one lookup per record ------------------------------------------------


def test_eq_over_thousands_of_values_does_not_compare_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    orders = REGISTRY["orders"]
    records = [
        {"id": f"{n:08d}-0000-4000-8000-000000000000", "customer_id": f"C{n % 7}", "number": n}
        for n in range(300)
    ]
    wanted = [f"c{n}" for n in range(3000)]  # any case: uuids are strings
    calls = 0
    same = filters._same

    def counted(value: Any, want: Any) -> bool:
        nonlocal calls
        calls += 1
        return same(value, want)

    monkeypatch.setattr(filters, "_same", counted)
    found = filters.apply({}, orders, records, "customer_id", {"eq": wanted})  # type: ignore[arg-type]
    assert len(found) == 300
    kept = filters.apply({}, orders, records, "customer_id", {"not_eq": wanted[:3]})  # type: ignore[arg-type]
    assert [r["number"] for r in kept] == [n for n in range(300) if n % 7 > 2]
    assert calls < 300  # not 300 x 3000


NOW = datetime(2024, 6, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "wanted"),
    [
        ("Reserved", ["reserved", "new"]),
        ("reserved", ["RESERVED"]),
        ("new", ["reserved"]),
        (None, ["reserved", None]),
        (None, ["reserved"]),
        (True, [True]),
        (True, [1]),
        (1, [True]),
        (1, [1.0]),
        (2, [1, 3]),
        (["vip", "b"], ["VIP"]),
        ([], ["x"]),
        ({"a": 1}, [None]),
        ({"a": 1}, ["x"]),
        (NOW, [NOW]),
        (NOW, [datetime(2024, 6, 1)]),
        ("7", [7]),
    ],
)
def test_any_of_is_eq(value: Any, wanted: list[Any]) -> None:
    assert filters._AnyOf(wanted)(value) is filters._eq(value, wanted)


@pytest.mark.parametrize("op", ["gt", "gte", "lt", "lte"])
@pytest.mark.parametrize("value", [0, 5, 10, 11, None, [1, 12]])
def test_ordered_over_many_values_is_any_of_them(op: str, value: Any) -> None:
    wanted = [5, None, 10, 7]
    test = filters.TESTS[op]
    assert test(value, filters._extreme(op, wanted)) is test(value, wanted)
