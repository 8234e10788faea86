"""The lean runtime: what a plain install pulls is exactly the list docs/install.md gives."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
INSTALL_DOC = ROOT / "docs" / "install.md"


def requirements(key: str | None = None) -> list[Requirement]:
    given = PROJECT["dependencies"] if key is None else PROJECT["optional-dependencies"][key]
    return [Requirement(r) for r in given]


def documented_runtime() -> set[str]:
    text = INSTALL_DOC.read_text("utf-8")
    section = text.split("## Runtime dependencies", 1)[1].split("\n## ", 1)[0]
    return {canonicalize_name(n) for n in re.findall(r"^- `([^`]+)`", section, re.MULTILINE)}


def test_the_runtime_dependencies_are_the_documented_list() -> None:
    declared = {canonicalize_name(r.name) for r in requirements()}
    assert declared == documented_runtime()


def test_the_documented_list_is_read_from_the_page() -> None:
    names = documented_runtime()
    assert {"starlette", "uvicorn", "httptools", "uvloop"} <= names
    assert "faker" not in names


def test_uvicorn_comes_without_its_standard_extra_but_with_the_two_speed_ups() -> None:
    uvicorn = next(r for r in requirements() if r.name == "uvicorn")
    assert uvicorn.extras == set()  # no watchfiles, python-dotenv, websockets
    by_name = {r.name: r for r in requirements()}
    assert by_name["httptools"].marker is None
    uvloop = by_name["uvloop"].marker
    assert uvloop is not None
    assert not uvloop.evaluate({"sys_platform": "win32"})
    assert not uvloop.evaluate({"sys_platform": "cygwin"})
    assert uvloop.evaluate({"sys_platform": "linux", "platform_python_implementation": "CPython"})
    assert uvloop.evaluate({"sys_platform": "darwin", "platform_python_implementation": "CPython"})
    assert not uvloop.evaluate({"sys_platform": "linux", "platform_python_implementation": "PyPy"})


def test_faker_and_the_progress_bar_are_the_generate_extra() -> None:
    assert {r.name for r in requirements("generate")} == {"faker", "tqdm"}
    runtime = {r.name for r in requirements()}
    assert not runtime & {"faker", "tqdm"}


def test_the_test_extra_pulls_the_generate_extra() -> None:
    own = [r for r in requirements("test") if canonicalize_name(r.name) == "booking-sandbox"]
    assert [r.extras for r in own] == [{"generate"}]
