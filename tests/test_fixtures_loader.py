"""Fixture loading: JSON or YAML, validated, with errors that name the file and JSON path."""

from __future__ import annotations

import gc
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from booking_sandbox.app import create_app
from booking_sandbox.core.fixtures import FixtureError, collector_paused, load_fixtures
from booking_sandbox.core.settings import Settings
from tests.conftest import ROOT


@pytest.fixture
def fixtures(tmp_path: Path) -> Path:
    target = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", target)
    return target


def edit(directory: Path, section: str, change: Any) -> None:
    path = directory / f"{section}.json"
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def problems(directory: Path) -> list[str]:
    with pytest.raises(FixtureError) as err:
        create_app(Settings(fixtures=directory))
    return err.value.problems


def test_bundled_fixtures_load() -> None:
    assert load_fixtures().sections == ["booqable", "korus", "pontcentral"]


def test_schema_errors_name_file_and_json_path(fixtures: Path) -> None:
    edit(
        fixtures,
        "korus",
        lambda d: d["catalogs"][0]["offers"][0]["tickets"][0].__setitem__("capacity", -1),
    )
    edit(fixtures, "pontcentral", lambda d: d["partners"][0].pop("clientId"))
    found = problems(fixtures)
    assert any(
        p.startswith("korus.json: $.catalogs[0].offers[0].tickets[0].capacity: -1") for p in found
    )
    assert "pontcentral.json: $.partners[0]: 'clientId' is a required property" in found


def test_cross_references_are_checked(fixtures: Path) -> None:
    edit(
        fixtures,
        "korus",
        lambda d: d["catalogs"][0]["offers"][0].__setitem__(
            "product", "0194abfe-0000-7000-8000-000000000000"
        ),
    )
    found = problems(fixtures)
    assert (
        "korus: $.catalogs[0].offers[0].product: "
        "unknown product '0194abfe-0000-7000-8000-000000000000'" in found
    )


def test_yaml_is_accepted(fixtures: Path) -> None:
    path = fixtures / "pontcentral.json"
    (fixtures / "pontcentral.yaml").write_text(yaml.safe_dump(json.loads(path.read_text())))
    path.unlink()
    assert load_fixtures(fixtures).fresh_copy() == load_fixtures(ROOT / "fixtures").fresh_copy()


def test_parse_errors_unknown_and_duplicate_sections(fixtures: Path) -> None:
    (fixtures / "korus.json").write_text('{"organizations": [,]}')
    (fixtures / "booqable.yml").write_text("a: b")
    (fixtures / "weather.json").write_text("{}")
    found = problems(fixtures)
    assert "korus.json: line 1 column 20: Expecting value" in found
    assert any(
        p.startswith("booqable.yml: section 'booqable' is also given by booqable.json")
        for p in found
    )
    assert any(p.startswith("weather.json: unknown section 'weather'") for p in found)


def test_empty_or_missing_directory(tmp_path: Path) -> None:
    assert problems(tmp_path) == [f"{tmp_path}: no fixture files (.json, .yaml, .yml)"]
    assert problems(tmp_path / "nope") == [f"{tmp_path / 'nope'}: not a directory"]


def test_many_errors_are_capped(fixtures: Path) -> None:
    def break_all(d: dict[str, Any]) -> None:
        for partner in d["partners"]:
            partner["id"] = "x"
            partner["active"] = "x"
            partner["name"] = 1
            partner["clientSecret"] = 2
            partner["clientId"] = 3
        for product in d["products"]:
            product["partnerId"] = "x"
            product["active"] = "x"

    edit(fixtures, "pontcentral", break_all)
    found = problems(fixtures)
    assert len(found) == 21
    assert found[-1].startswith("pontcentral.json: ... and ")


def test_each_namespace_gets_its_own_catalog_copy() -> None:
    fixtures = load_fixtures()
    a, b = fixtures.fresh_copy(), fixtures.fresh_copy()
    a["korus"]["organizations"].clear()
    assert b["korus"]["organizations"]


def test_copies_are_the_parsed_json_of_each_file() -> None:
    fixtures = load_fixtures()
    first, second = fixtures.fresh_copy(), fixtures.fresh_copy()  # the parsed one, then a copy
    for section in fixtures.sections:
        text = json.dumps(
            json.loads((ROOT / "fixtures" / f"{section}.json").read_text("utf-8")),
            ensure_ascii=False,
            separators=(",", ":"),
        )
        assert first[section] == second[section] == json.loads(text)
        assert json.dumps(second[section], ensure_ascii=False, separators=(",", ":")) == text
    copy = fixtures.section_copy("booqable")
    assert copy == first["booqable"]
    assert copy is not first["booqable"]
    assert fixtures.section_copy("nope") is None


def test_yaml_copies_after_the_first_are_alike(fixtures: Path) -> None:
    path = fixtures / "korus.json"
    (fixtures / "korus.yaml").write_text(yaml.safe_dump(json.loads(path.read_text())))
    path.unlink()
    loaded = load_fixtures(fixtures)
    first, second = loaded.fresh_copy(), loaded.fresh_copy()
    assert first == second == load_fixtures(ROOT / "fixtures").fresh_copy()
    assert first["korus"] == yaml.safe_load((fixtures / "korus.yaml").read_text())


@pytest.mark.parametrize("enabled", [True, False])
def test_collector_paused_restores_the_collector(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
