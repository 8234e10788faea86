"""Catalog mistakes the JSON Schema cannot see are refused at start-up, by JSON path."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from booking_sandbox.vendors.pontcentral.pools import problems
from tests.conftest import ROOT

Doc = dict[str, Any]


def fixture() -> Doc:
    doc: Doc = json.loads((ROOT / "fixtures" / "pontcentral.json").read_text("utf-8"))
    return doc


def test_the_bundled_catalog_is_consistent() -> None:
    assert problems(fixture()) == []


def _zone(doc: Doc) -> None:
    doc["products"][0]["timezone"] = "Mars/Olympus"


def _all_day_with_times(doc: Doc) -> None:
    doc["products"][1]["schedule"]["times"] = ["10:00"]


def _timed_without_times(doc: Doc) -> None:
    doc["products"][0]["schedule"]["times"] = []


def _no_primary(doc: Doc) -> None:
    doc["products"][2]["resources"][0]["isPrimary"] = False


def _two_primaries(doc: Doc) -> None:
    doc["products"][0]["resources"][1]["isPrimary"] = True


@pytest.mark.parametrize(
    ("breakage", "path"),
    [
        (_zone, "$.products[0].timezone"),
        (_all_day_with_times, "$.products[1].schedule.times"),
        (_timed_without_times, "$.products[0].schedule.times"),
        (_no_primary, "$.products[2].resources"),
        (_two_primaries, "$.products[0].resources"),
    ],
)
def test_inconsistent_catalogs_are_named(breakage: Callable[[Doc], None], path: str) -> None:
    doc = fixture()
    breakage(doc)
    assert [p for p, _ in problems(doc)] == [path]
