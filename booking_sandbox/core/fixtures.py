"""Loading and validating fixture catalogs.

A fixtures directory holds one file per section (`korus.json`, `booqable.yaml`, ...), each
validated against `schemas/fixtures/<section>.schema.json`. Every problem names the file and the
JSON path, and all problems are reported at once so a broken catalog is fixed in one pass.
"""

from __future__ import annotations

import gc
import json
import marshal
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema.exceptions import ValidationError

from booking_sandbox.core.catalog_snapshot import CatalogSnapshots
from booking_sandbox.core.paths import bundled
from booking_sandbox.core.schemacheck import SchemaCheck

SUFFIXES = (".json", ".yaml", ".yml")
MAX_REPORTED = 20


class FixtureError(Exception):
    """A fixture set that cannot be loaded; `problems` are `file: $.path: message` lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid fixtures:\n  " + "\n  ".join(problems))
        self.problems = problems


@contextmanager
def collector_paused() -> Iterator[None]:
    """Build big acyclic trees (parsed or copied JSON) without the cyclic garbage collector.

    While millions of containers are created it would walk the growing tree again and again
    (two thirds of a json.loads of the 100,000-session catalog); a JSON tree has no cycles.
    Nothing else about the collector changes: the app may be built inside someone's test
    process, and a library must not retune its host's collector (the server process does, in
    `sandbox.__main__.collect_rarely`).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class FixtureSet:
    """The parsed sections: one shared read-only document each, and marshal data for copies.

    `frozen` holds each section's canonical document (what its compact JSON text parses to)
    in marshal's format: it loads several times faster than JSON text and copies exactly
    (dict order, floats, big integers). `spare` holds the documents parsed at load time: each
    becomes its section's `shared` document, the one every namespace reads until it writes
    the section (copy on write, `Namespace.writable_catalog`). `derived` keeps what is built
    from the shared documents (engine pools, vendors' indexes), built once for every namespace.
    """

    directory: Path
    frozen: Mapping[str, bytes]
    spare: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    shared: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    derived: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def section(self, name: str) -> Any:
        """The shared document of one section (never to be changed), or None."""
        doc = self.shared.get(name)
        if doc is None and name in self.frozen:
            spare = self.spare.pop(name, None)
            if spare is None:
                with collector_paused():
                    spare = marshal.loads(self.frozen[name])
            doc = self.shared[name] = spare
        return doc

    def catalogs(self) -> dict[str, Any]:
        """Every section's shared document, by name: a new namespace's catalogs."""
        return {name: self.section(name) for name in self.frozen}

    def fresh_copy(self) -> dict[str, Any]:
        """An independent copy of every section."""
        with collector_paused():
            return {name: marshal.loads(data) for name, data in self.frozen.items()}

    def section_copy(self, name: str) -> Any:
        """An independent copy of one section, or None when the fixtures do not have it."""
        if name not in self.frozen:
            return None
        with collector_paused():
            return marshal.loads(self.frozen[name])

    def changed_sections(self) -> list[str]:
        """Shared documents that no longer equal what was loaded: always none, unless some
        code wrote to a shared document instead of its namespace's copy (tests check)."""
        return sorted(
            name for name, doc in self.shared.items() if doc != marshal.loads(self.frozen[name])
        )

    @property
    def sections(self) -> list[str]:
        return sorted(self.frozen)


def json_path(path: Iterable[Any]) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


@cache  # compiled once per section: state imports validate catalogs on every call
def schema_validator(section: str, schemas: Path, kind: str = "fixtures") -> SchemaCheck:
    """`schemas/<kind>/<section>.schema.json`: a fixture catalog, or a vendor's exported state.

    Compiled once per schema file: state imports and every `create_app` reuse it."""
    schema = json.loads((schemas / kind / f"{section}.schema.json").read_text("utf-8"))
    return SchemaCheck(schema)


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise FixtureError([f"{file.name}: cannot be read: {exc.strerror}"]) from None


def _parse(file: Path, raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FixtureError([f"{file.name}: byte {exc.start}: not UTF-8 text"]) from None
    if "\r" in text:  # universal newlines, as a text-mode read gives (error lines count on it)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        if file.suffix == ".json":
            with collector_paused():
                return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise FixtureError(
            [f"{file.name}: line {exc.lineno} column {exc.colno}: {exc.msg}"]
        ) from None
    except yaml.YAMLError as exc:
        raise FixtureError([f"{file.name}: {_yaml_problem(exc, text)}"]) from None


def _yaml_problem(exc: yaml.YAMLError, text: str) -> str:
    """`line L column C: what`, like a JSON error: PyYAML's own text names the parsed string
    (`<unicode string>`) and spreads over lines with a quote of the source."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        where = exc.problem_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line = f"line {where.line + 1} column {where.column + 1}: {problem}"
        if exc.problem and exc.context:  # e.g. "while parsing a block mapping", from where
            start = exc.context_mark
            if start is not None and (start.line, start.column) != (where.line, where.column):
                line += f" ({exc.context} from line {start.line + 1} column {start.column + 1})"
            else:
                line += f" ({exc.context})"
        return line
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
        at = exc.position
        line_number = text.count("\n", 0, at) + 1
        column = at - text.rfind("\n", 0, at)
        return f"line {line_number} column {column}: {str(exc).splitlines()[0]}"
    return " ".join(str(exc).split())


def _problems(file: Path, errors: Iterable[ValidationError]) -> list[str]:
    ordered = sorted(errors, key=lambda e: (json_path(e.absolute_path), e.message))
    lines = [f"{file.name}: {json_path(e.absolute_path)}: {e.message}" for e in ordered]
    if len(lines) > MAX_REPORTED:
        lines = [*lines[:MAX_REPORTED], f"{file.name}: ... and {len(lines) - MAX_REPORTED} more"]
    return lines


def load_fixtures(
    directory: Path | None = None,
    schemas: Path | None = None,
    snapshots: CatalogSnapshots | None = None,
) -> FixtureSet:
    """`snapshots`: take big files that passed every check before from their snapshot
    (core/catalog_snapshot.py), and keep those that pass now for the caller to commit."""
    directory = directory or bundled("fixtures")
    if directory.resolve() == bundled("fixtures").resolve():
        snapshots = None  # small, and inside the package: never written beside
    schemas = schemas or bundled("schemas")
    if not directory.is_dir():
        raise FixtureError([f"{directory}: not a directory"])
    known = sorted(
        p.name.removesuffix(".schema.json") for p in (schemas / "fixtures").glob("*.schema.json")
    )
    files = sorted(p for p in directory.iterdir() if p.suffix in SUFFIXES and p.is_file())
    problems: list[str] = []
    frozen: dict[str, bytes] = {}
    spare: dict[str, Any] = {}
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
            raw = _read(file)
            key = None
            if snapshots is not None and snapshots.wanted(raw):
                schema = schemas / "fixtures" / f"{section}.schema.json"
                key = snapshots.key(section, raw, schema)
                checked = snapshots.recall(section, file, key)
                if checked is not None:  # parsed and checked by an earlier start
                    frozen[section] = checked
                    continue
            document = _parse(file, raw)
        except FixtureError as exc:
            problems.extend(exc.problems)
            continue
        found = _problems(file, schema_validator(section, schemas).iter_errors(document))
        problems.extend(found)
        if file.suffix != ".json":
            # Copies are what the compact JSON text parses to: YAML's int keys become strings.
            document = json.loads(json.dumps(document, ensure_ascii=False, separators=(",", ":")))
        frozen[section] = marshal.dumps(document)
        spare[section] = document
        if snapshots is not None and key is not None and not found:
            snapshots.keep(section, file, key, frozen[section])
    if not files:
        problems.append(f"{directory}: no fixture files ({', '.join(SUFFIXES)})")
    if problems:
        raise FixtureError(problems)
    return FixtureSet(directory, frozen, spare)
