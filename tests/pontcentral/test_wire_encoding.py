"""The wire encoder's inlined number check decides as the plain recursive walk does."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from booking_sandbox.vendors.pontcentral import wire

NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=2**53 - 3, max_value=2**53 + 3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([75.0, -0.0, 1e-4, 1e-5, 1e16, 1e21, 0.1, 35.5, 2.0**53]),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.text(), NUMBERS)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def walked(document: Any) -> bool:
    """The check before it was inlined: every member through `_python_agrees`."""
    if isinstance(document, dict):
        return any(walked(v) for v in document.values())
    if isinstance(document, list):
        return any(walked(v) for v in document)
    return not wire._python_agrees(document)


@given(DOCUMENTS)
def test_the_inlined_check_agrees_with_the_walk(document: Any) -> None:
    assert wire._needs_js(document) == walked(document)


class Count(int):
    """An int subclass: checked the general way, as before."""


def test_subclasses_and_edge_numbers_still_take_the_javascript_path() -> None:
    written_otherwise: list[object] = [75.0, -0.0, 1e-5, 1e16, float("nan"), float("inf")]
    for value in [*written_otherwise, 2**53 + 1, Count(2**60)]:
        assert wire._needs_js({"a": [value]}), value
    agreed: list[object] = [0.1, 35.5, 1e-4, 2**53, -(2**53), True, None, "1.0", Count(3)]
    for value in agreed:
        assert not wire._needs_js({"a": [value]}), value
    assert wire.encode({"price": 75.0, "at": 1e-6}) == b'{"price":75,"at":0.000001}'
