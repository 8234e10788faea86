"""Pre-checked binary snapshots of big fixture catalogs: the second start skips the checks.

Parsing and checking a 400 MB catalog costs seconds on every start although the catalog has
not changed. Once a catalog file has passed every start-up check (its JSON Schema and its
vendor's cross-references), its canonical document is kept as marshal data in a snapshot: a
hidden `.<file>.snapshot` beside it, or in a cache directory when that directory cannot be
written (a read-only Docker mount). The next start hashes the file and, when a snapshot carries
the same key, takes the document from it instead of parsing and checking it again.

The key covers everything the verdict depends on, so a snapshot is never stale: the file's
bytes (sha256), its schema's bytes, the package version and the modification times of the
package's own source files (the checks' code), and the Python version (marshal's format). A
snapshot whose header, key, length or payload digest does not match is ignored and written
again; it is never trusted. Files are written under a temporary name and renamed into place.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import stat
import sys
import tempfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from booking_sandbox import __version__

log = logging.getLogger("sandbox.startup")

MAGIC = b"booking-sandbox catalog snapshot 1\n"
# Smaller files parse and validate in milliseconds: a snapshot would not pay for its hashing
# (and the bundled fixtures, far smaller, never get one).
MIN_BYTES = 1 << 20
_PACKAGE = Path(__file__).resolve().parent.parent


def default_cache() -> Path:
    """`$XDG_CACHE_HOME/booking-sandbox/snapshots`, else `~/.cache/...`, else the temp dir."""
    base = os.environ.get("XDG_CACHE_HOME") or (
        str(Path.home() / ".cache") if Path.home().is_dir() else tempfile.gettempdir()
    )
    return Path(base) / "booking-sandbox" / "snapshots"


def code_fingerprint(package: Path = _PACKAGE) -> str:
    """Changes whenever one of the package's source files does (path, size, mtime)."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        digest.update(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def writable(directory: Path) -> bool:
    return os.access(directory, os.W_OK)


@dataclass
class _Pending:
    section: str
    file: Path
    key: str
    frozen: bytes


@dataclass
class CatalogSnapshots:
    """Snapshots for one start: `recall` before parsing a file, `keep` after it passed its
    schema, `commit` once every start-up check passed (only then is a verdict worth keeping).

    `recalled`: the sections taken from a snapshot, whose checks already passed."""

    cache: Path = field(default_factory=default_cache)
    min_bytes: int = MIN_BYTES
    recalled: set[str] = field(default_factory=set)
    _pending: list[_Pending] = field(default_factory=list)
    _code: str | None = None

    def wanted(self, content: bytes) -> bool:
        return len(content) >= self.min_bytes

    def key(self, section: str, content: bytes, schema: Path) -> str:
        if self._code is None:
            self._code = code_fingerprint()
        digest = hashlib.sha256()
        for part in (
            MAGIC,
            f"{__version__}|{sys.version_info[:2]}|{marshal.version}|{section}".encode(),
            self._code.encode(),
            hashlib.sha256(schema.read_bytes()).digest(),
            hashlib.sha256(content).digest(),
        ):
            digest.update(len(part).to_bytes(8, "big") + part)
        return digest.hexdigest()

    def places(self, file: Path) -> tuple[Path, Path]:
        """Beside the file, and in the cache (named after the file's absolute path)."""
        resolved = file.resolve()
        tag = hashlib.sha256(str(resolved).encode()).hexdigest()[:24]
        return (
            resolved.with_name(f".{resolved.name}.snapshot"),
            self.cache / f"{tag}-{resolved.name}.snapshot",
        )

    def recall(self, section: str, file: Path, key: str) -> bytes | None:
        """The checked document's marshal data, if a snapshot for exactly this key exists."""
        for place in self.places(file):
            frozen = _read(place, key)
            if frozen is not None:
                log.info("%s: checked snapshot %s", file.name, place)
                self.recalled.add(section)
                return frozen
        return None

    def keep(self, section: str, file: Path, key: str, frozen: bytes) -> None:
        self._pending.append(_Pending(section, file, key, frozen))

    def commit(self, checked: Collection[str]) -> None:
        """Write what `keep` was given for the `checked` sections (those whose vendor ran its
        cross-reference checks: an app built with fewer vendors vouches for no other section):
        beside its file if that directory can be written, else in the cache; a snapshot that
        cannot be written at all is only a slower start."""
        pending, self._pending = self._pending, []
        for item in pending:
            if item.section not in checked:
                continue
            beside, cached = self.places(item.file)
            for place in (beside, cached) if writable(beside.parent) else (cached,):
                try:
                    _write(place, item.key, item.frozen, item.file)
                except OSError as exc:
                    log.info("%s: no snapshot at %s (%s)", item.file.name, place, exc)
                    continue
                log.info("%s: snapshot written to %s", item.file.name, place)
                if place == beside:  # one per catalog file: an older cached one is stale
                    cached.unlink(missing_ok=True)
                break


def _header(key: str, frozen: bytes) -> bytes:
    digest = hashlib.sha256(frozen).hexdigest()
    return MAGIC + f"{key}\n{digest} {len(frozen)}\n".encode()


def _read(place: Path, key: str) -> bytes | None:
    """The payload of a snapshot for `key`, or None: missing, foreign, stale or corrupt."""
    try:
        with place.open("rb") as file:
            if file.readline() != MAGIC or file.readline() != f"{key}\n".encode():
                return None
            digest, _, length = file.readline().decode("ascii", "replace").strip().partition(" ")
            frozen = file.read()
    except OSError:
        return None
    if not length.isdigit() or len(frozen) != int(length):
        return None
    if hashlib.sha256(frozen).hexdigest() != digest:
        return None
    return frozen


def _write(place: Path, key: str, frozen: bytes, source: Path) -> None:
    place.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=place.parent, prefix=f"{place.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, stat.S_IMODE(source.stat().st_mode))  # readable as its JSON is
        with os.fdopen(handle, "wb") as file:
            file.write(_header(key, frozen))
            file.write(frozen)
        os.replace(temporary, place)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
