"""Credentials in state exports: masked unless the control plane is locked and asked for them.

A state export travels: into CI artefacts, bug reports, a colleague's chat. The catalogs hold
what clients authenticate with (client secrets, API keys), so an export writes `"***"` in
their place. Importing such an export keeps, for each masked value, the secret already at
that place: the namespace's own, else the fixtures' (matched by the record's id field, else
by position). So export -> import -> export stays identical, and nothing in the file can
be replayed. An exact export (`?secrets=include`) exists only behind `--control-token`.

The specs come from every vendor the sandbox knows, not only those an app serves: a catalog
section is masked even when its vendor is not mounted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from booking_sandbox.vendors import VENDORS, Vendor
from booking_sandbox.vendors.adapter import Secret

MASK = "***"
Problem = dict[str, str]


def _specs(served: Iterable[Vendor]) -> Iterator[tuple[str, Secret]]:
    """The served vendors' secrets and the registry's, each once."""
    seen = set()
    for vendor in (*served, *VENDORS):
        for secret in vendor.secrets:
            if (vendor.section, secret) not in seen:
                seen.add((vendor.section, secret))
                yield vendor.section, secret


def masked(state: dict[str, Any], served: Iterable[Vendor] = ()) -> dict[str, Any]:
    """`state` with every catalog secret written as MASK; copies only what it changes."""
    catalogs = dict(state["catalogs"])
    for section, secret in _specs(served):
        catalog = catalogs.get(section)
        if isinstance(catalog, dict) and isinstance(catalog.get(secret.records), list):
            records = [_mask(r, secret.field) for r in catalog[secret.records]]
            catalogs[section] = {**catalog, secret.records: records}
    return {**state, "catalogs": catalogs, "secrets": "masked"}


def _mask(record: Any, field: str) -> Any:
    if isinstance(record, dict) and isinstance(record.get(field), str):
        return {**record, field: MASK}
    return record


def unmask(
    catalogs: dict[str, Any], sources: Callable[[str], list[Any]], served: Iterable[Vendor] = ()
) -> list[Problem]:
    """Put back, in place, the secrets an export masked, from the first of `sources(section)`
    that knows one at that place (the namespace being replaced, then the fixtures); a problem
    for each that has nowhere to come from. `sources` is asked once per section, and only
    when the section has a masked value."""
    problems: list[Problem] = []
    for section, secret in _specs(served):
        catalog = catalogs.get(section)
        records = catalog.get(secret.records) if isinstance(catalog, dict) else None
        if not isinstance(records, list):
            continue
        known: _Known | None = None
        for index, record in enumerate(records):
            if not isinstance(record, dict) or record.get(secret.field) != MASK:
                continue
            known = known or _Known(secret, sources(section))
            value = known.find(record, index)
            if value is None:
                path = f"$.catalogs.{section}.{secret.records}[{index}].{secret.field}"
                message = "masked at export, and no secret is known at this place to keep: give it"
                problems.append({"path": path, "message": message})
            else:
                record[secret.field] = value
    return problems


class _Known:
    """The secrets the sources hold for one spec, indexed once (by key, else by position)."""

    def __init__(self, secret: Secret, catalogs: list[Any]) -> None:
        self.secret = secret
        self.by_key: list[dict[Any, str]] = []
        self.by_position: list[list[str | None]] = []
        for catalog in catalogs:
            records = catalog.get(secret.records) if isinstance(catalog, dict) else None
            records = records if isinstance(records, list) else []
            values = [self._value(r) for r in records]
            self.by_position.append(values)
            if secret.key is not None:
                keyed: dict[Any, str] = {}
                for record, value in zip(records, values, strict=True):
                    ident = record.get(secret.key) if isinstance(record, dict) else None
                    if value is not None and _hashable(ident):
                        keyed.setdefault(ident, value)
                self.by_key.append(keyed)

    def _value(self, record: Any) -> str | None:
        value = record.get(self.secret.field) if isinstance(record, dict) else None
        return value if isinstance(value, str) and value != MASK else None

    def find(self, record: dict[str, Any], index: int) -> str | None:
        if self.secret.key is not None:
            ident = record.get(self.secret.key)
            if not _hashable(ident):
                return None
            return next((k[ident] for k in self.by_key if ident in k), None)
        for values in self.by_position:
            if index < len(values) and values[index] is not None:
                return values[index]
        return None


def _hashable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None
