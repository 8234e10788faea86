"""The `Vendor` type: everything the rest of the server needs from one vendor, in one object.

Each vendor package builds one (`booking_sandbox.vendors.<name>.VENDOR`) and the registry
(`booking_sandbox.vendors.VENDORS`) lists them. The engine, the QA plane, the control plane and
the app only ever go through these fields, so adding a vendor is one package and one line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.core.runtime import Sandbox
from booking_sandbox.core.scenario import Scenario
from booking_sandbox.engine import Pool

Document = dict[str, Any]
Problems = list[tuple[str, str]]  # (json path, message)


@dataclass(frozen=True)
class Secret:
    """A credential in the catalog: `field` of each record of the top-level list `records`,
    told apart by its `key` field (None: by position). State exports mask it."""

    records: str
    field: str
    key: str | None = None


@dataclass(frozen=True)
class PoolInfo:
    """How the inventory overview shows one engine pool: what it is, in the vendor's words.

    `timed`: its allocations cover time intervals (a slot's resource, a rental period),
    rather than being taken for no time (a session's seats)."""

    pool_id: str
    kind: str
    label: str
    timed: bool


@dataclass(frozen=True)
class Vendor:
    # The vendor's name where QA sees it: fault rules, the journal, metrics, the state export.
    name: str
    # The fixture section that holds its catalog (`fixtures/<section>.json`), validated
    # against `schemas/fixtures/<section>.schema.json`.
    section: str
    # The one rule for "this path is this vendor's" (routing errors, faults, journal).
    owns: Callable[[str], bool]
    routes: Callable[[], Sequence[BaseRoute]]
    # ----- the catalog and the namespace ----------------------------------------------------
    pools: Callable[[Document], Iterable[Pool]]
    # credential id -> namespace, from the optional `namespace` of each credential.
    bindings: Callable[[Document], dict[str, str]]
    # Cross-reference problems of a catalog that its JSON Schema cannot see.
    problems: Callable[[Document], Problems]
    # ----- what the QA plane needs -------------------------------------------------------------
    # The request's namespace by the contract's order (header, credential binding, default),
    # read without side effects, from the request and the first bytes of its body.
    namespace_hint: Callable[[Sandbox, Request, bytes], str]
    # A faulted answer (status, optional detail) in the vendor's own error envelope.
    fault_response: Callable[[Request, int, str | None], Response]
    # ----- its own envelopes for what no handler answered -----------------------------------
    # 404 and 405 (with the route's `Allow`, or None) as the vendor's framework answers them.
    route_error: Callable[[Request, int, str | None], Response]
    server_error: Callable[[Request], Response]
    # ----- optional parts -----------------------------------------------------------------------
    middleware: tuple[Middleware, ...] = ()
    # What clients authenticate with, in its catalog: masked in state exports.
    secrets: tuple[Secret, ...] = ()
    # For a state import: problems of its records (already valid against its state schema)
    # given its catalog and the engine's allocations by id. None: it keeps no records.
    state_problems: Callable[[Document, Document, dict[str, Document]], Problems] | None = None
    # Called with each new namespace once its pools exist (records the fixtures imply).
    # A ValueError means the fixtures cannot be set up.
    prepare: Callable[[Namespace], None] | None = None
    # Retention (core/retention.py): (namespace, keep) -> counts pruned per kind. Drops its
    # finished records beyond the `keep` most recent of each kind, with their engine
    # allocations and any index of them, never a live one nor one a kept record names; called
    # every so many writes, never on a read. None: it keeps every record.
    prune: Callable[[Namespace, int], dict[str, int]] | None = None
    scenarios: tuple[Scenario, ...] = ()
    # Magic request values, as rows of `GET /_sandbox/magic`.
    magic: tuple[Document, ...] = ()
    # `booking-sandbox generate`: (faker, random, size=, start=, progress=) -> a catalog
    # document whose big lists may be iterators, read once in key order (core/lazydoc.py);
    # `progress(n)` hears of n more size units made.
    generate: Callable[..., Document] | None = None
    # Its OpenAPI document, under the schemas directory.
    openapi: str | None = None
    # Its pools as `GET /_sandbox/inventory` shows them, in its pools' order, from its
    # catalog. None: shown as plain pools (kind "pool", labelled by id, not timed).
    describe_pools: Callable[[Document], Iterable[PoolInfo]] | None = None
    # Operations (route names) whose POST only reads (a search with its query in the body):
    # like GET and HEAD, a request to one leaves the namespace's version, so cached reads stand.
    reads: frozenset[str] = frozenset()

    @property
    def fixture_schema(self) -> str:
        return f"fixtures/{self.section}.schema.json"

    @property
    def state_schema(self) -> str:
        return f"state/{self.name}.schema.json"


def owner(vendors: Sequence[Vendor], path: str) -> Vendor | None:
    """The vendor that owns `path`, or None (the control plane, or nobody's)."""
    for vendor in vendors:  # (a plain loop: this runs for every request)
        if vendor.owns(path):
            return vendor
    return None


def cross_reference_problems(
    vendors: Sequence[Vendor], catalogs: dict[str, Any]
) -> list[tuple[str, str, str]]:
    """(section, json path, message) for every vendor catalog present in `catalogs`."""
    return [
        (vendor.section, path, message)
        for vendor in vendors
        if isinstance(catalogs.get(vendor.section), dict)
        for path, message in vendor.problems(catalogs[vendor.section])
    ]


def magic_entry(vendor: str, operation: str, field: str, value: Any, effect: str) -> Document:
    """One row of the magic-values table."""
    return {
        "vendor": vendor,
        "operation": operation,
        "field": field,
        "value": value,
        "effect": effect,
    }
