"""Loading and validating fixture catalogs.

A fixtures directory holds one file per section (`korus.json`, `booqable.yaml`, ...), each
validated against `schemas/fixtures/<section>.schema.json`. Every problem names the file and the
JSON path, and all problems are reported at once so a broken catalog is fixed in one pass.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema.exceptions import ValidationError

from sandbox.paths import bundled
from sandbox.schemacheck import SchemaCheck

SUFFIXES = (".json", ".yaml", ".yml")
MAX_REPORTED = 20


class FixtureError(Exception):
    """A fixture set that cannot be loaded; `problems` are `file: $.path: message` lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid fixtures:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class FixtureSet:
    """The parsed sections, plus their canonical JSON text for cheap per-namespace copies."""

    directory: Path
    texts: Mapping[str, str]

    def fresh_copy(self) -> dict[str, Any]:
        """An independent copy of every section (json.loads beats deepcopy by far)."""
        return {name: json.loads(text) for name, text in self.texts.items()}

    @property
    def sections(self) -> list[str]:
        return sorted(self.texts)


def json_path(path: Iterable[Any]) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


@cache  # compiled once per section: state imports validate catalogs on every call
@cache
def schema_validator(section: str, schemas: Path, kind: str = "fixtures") -> SchemaCheck:
    """`schemas/<kind>/<section>.schema.json`: a fixture catalog, or a vendor's exported state.

    Compiled once per schema file: state imports and every `create_app` reuse it."""
    schema = json.loads((schemas / kind / f"{section}.schema.json").read_text("utf-8"))
    return SchemaCheck(schema)


def _parse(file: Path) -> Any:
    text = file.read_text("utf-8")
    try:
        if file.suffix == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise FixtureError(
            [f"{file.name}: line {exc.lineno} column {exc.colno}: {exc.msg}"]
        ) from None
    except yaml.YAMLError as exc:
        raise FixtureError([f"{file.name}: {exc}".replace("\n", " ")]) from None


def _problems(file: Path, errors: Iterable[ValidationError]) -> list[str]:
    ordered = sorted(errors, key=lambda e: (json_path(e.absolute_path), e.message))
    lines = [f"{file.name}: {json_path(e.absolute_path)}: {e.message}" for e in ordered]
    if len(lines) > MAX_REPORTED:
        lines = [*lines[:MAX_REPORTED], f"{file.name}: ... and {len(lines) - MAX_REPORTED} more"]
    return lines


def load_fixtures(directory: Path | None = None, schemas: Path | None = None) -> FixtureSet:
    directory = directory or bundled("fixtures")
    schemas = schemas or bundled("schemas")
    if not directory.is_dir():
        raise FixtureError([f"{directory}: not a directory"])
    known = sorted(
        p.name.removesuffix(".schema.json") for p in (schemas / "fixtures").glob("*.schema.json")
    )
    files = sorted(p for p in directory.iterdir() if p.suffix in SUFFIXES and p.is_file())
    problems: list[str] = []
    texts: dict[str, str] = {}
    seen: dict[str, Path] = {}
    for file in files:
        section = file.stem
        if section in seen:
            problems.append(
                f"{file.name}: section {section!r} is also given by {seen[section].name}"
            )
            continue
        seen[section] = file
        if section not in known:
            problems.append(f"{file.name}: unknown section {section!r} (known: {', '.join(known)})")
            continue
        try:
            document = _parse(file)
        except FixtureError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(_problems(file, schema_validator(section, schemas).iter_errors(document)))
        texts[section] = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    if not files:
        problems.append(f"{directory}: no fixture files ({', '.join(SUFFIXES)})")
    if problems:
        raise FixtureError(problems)
    return FixtureSet(directory, texts)
