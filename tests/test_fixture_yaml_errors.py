"""A YAML fixture that does not parse is named with its file, line and column, on one line per
problem (PyYAML's own text names `<unicode string>` and quotes the source over several lines)."""

from __future__ import annotations

from pathlib import Path

import pytest

from booking_sandbox.__main__ import main
from booking_sandbox.core.fixtures import FixtureError, load_fixtures

BROKEN = "products:\n  - id: p1\n    name: Bike: red\n"
WHERE = "booqable.yaml: line 3 column 15: mapping values are not allowed here"


def problems(directory: Path) -> list[str]:
    with pytest.raises(FixtureError) as err:
        load_fixtures(directory)
    return err.value.problems


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (BROKEN, WHERE),
        (
            "products:\n  - id: p1\n bundles: [1,\n",
            "booqable.yaml: line 3 column 2: expected <block end>, but found "
            "'<block mapping start>' (while parsing a block mapping from line 1 column 1)",
        ),
        (
            "products: [1, 2\n",
            "booqable.yaml: line 2 column 1: expected ',' or ']', but got '<stream end>' "
            "(while parsing a flow sequence from line 1 column 11)",
        ),
        (
            "products: []\nname: @x\n",
            "booqable.yaml: line 2 column 7: found character '@' that cannot start any token "
            "(while scanning for the next token)",
        ),
        (
            'products: []\nname: "a\x07"\n',
            "booqable.yaml: line 2 column 9: unacceptable character #x0007: "
            "special characters are not allowed",
        ),
        (
            "x: !!python/object:os.system 1\n",
            "booqable.yaml: line 1 column 4: could not determine a constructor for the tag "
            "'tag:yaml.org,2002:python/object:os.system'",
        ),
    ],
)
def test_a_yaml_error_names_file_line_and_column(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "booqable.yaml").write_text(text, "utf-8")
    assert problems(tmp_path) == [problem]


def test_a_file_that_is_not_utf8_is_named_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "booqable.yml").write_bytes(b"name: caf\xe9\n")
    assert problems(tmp_path) == ["booqable.yml: byte 9: not UTF-8 text"]


def test_validate_prints_the_yaml_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "booqable.yaml").write_text(BROKEN, "utf-8")
    assert main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"  {WHERE}\n" in err
    assert "<unicode string>" not in err


def test_start_up_refuses_the_yaml_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "booqable.yaml").write_text(BROKEN, "utf-8")
    assert main(["--fixtures", str(tmp_path), "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert f"  {WHERE}\n" in err
    assert "<unicode string>" not in err
