"""JSON:API documents as Booqable's Graphiti server writes them, driven by resource specs.

A resource is data (principle 7): its type, its attributes in wire order, its relationships
and its filterable attributes. Records are plain dicts holding the wire values; the serializer
only picks and orders them. A relationship named in `include` carries `data`; any other is
`{"meta": {"included": false}}`, as in the seed's era.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from booking_sandbox.vendors.booqable.errors import BooqableError, request_error
from booking_sandbox.vendors.booqable.query import Query, Tree

Record = dict[str, Any]
# A record as the serializer reads it: a plain dict, or a typed one (records.py).
AnyRecord = Mapping[str, Any]
Ref = tuple[str, Record]  # (JSON:API type, record)


class Store(Protocol):
    def all(self, kind: str) -> list[Record]: ...

    def find(self, kind: str, ident: Any) -> Record | None: ...

    def children(self, kind: str, key: str, value: Any) -> list[Record]: ...


Resolver = Callable[[Store, AnyRecord], list[Ref]]


@dataclass(frozen=True)
class Rel:
    name: str
    many: bool
    kinds: tuple[str, ...]  # the types it may hold (a line's `item`: products or bundles)
    resolve: Resolver
    # False: written only when included (newer relationships the seed's era did not list).
    listed: bool = True


@dataclass(frozen=True)
class Resource:
    type: str
    attributes: tuple[str, ...]
    relationships: tuple[Rel, ...] = ()
    # attribute -> kind (string, uuid, enum, integer, float, boolean, datetime, array, hash)
    filters: dict[str, str] = field(default_factory=dict)
    # Extra filters that are not attributes: name -> (store, record, values) -> keep?
    custom_filters: dict[str, Callable[[Store, Record, list[str]], bool]] = field(
        default_factory=dict
    )

    def rel(self, name: str) -> Rel | None:
        return next((r for r in self.relationships if r.name == name), None)


REGISTRY: dict[str, Resource] = {}


def register(*resources: Resource) -> None:
    for resource in resources:
        REGISTRY[resource.type] = resource


def one(name: str, kind: str, key: str) -> Rel:
    """To-one: the record of `kind` whose id is this record's `key` attribute."""

    def resolve(store: Store, record: AnyRecord) -> list[Ref]:
        target = store.find(kind, record.get(key)) if record.get(key) else None
        return [(kind, target)] if target is not None else []

    return Rel(name, False, (kind,), resolve)


def many(name: str, kind: str, key: str) -> Rel:
    """To-many: the records of `kind` whose `key` attribute is this record's id."""

    def resolve(store: Store, record: AnyRecord) -> list[Ref]:
        return [(kind, r) for r in store.children(kind, key, record["id"])]

    return Rel(name, True, (kind,), resolve)


def resource_object(resource: Resource, record: AnyRecord, query: Query, tree: Tree) -> Record:
    wanted = query.fields.get(resource.type)
    names = (
        resource.attributes if wanted is None else [a for a in resource.attributes if a in wanted]
    )
    relationships: Record = {}
    for rel in resource.relationships:  # (a list answer writes thousands of these)
        if rel.name in tree:
            relationships[rel.name] = {"data": None}
        elif rel.listed:
            relationships[rel.name] = {"meta": {"included": False}}
    return {
        "id": record["id"],
        "type": resource.type,
        "attributes": dict(zip(names, map(record.get, names), strict=True)),
        "relationships": relationships,
    }


def document(
    store: Store,
    resource: Resource,
    data: AnyRecord | Sequence[AnyRecord],
    query: Query,
    meta: Record | None = None,
) -> Record:
    """The whole document: primary data, `included` when anything was included, `meta`."""
    check_includes(resource, query.include)
    included: list[Record] = []
    seen: set[tuple[str, str]] = set()
    records = [data] if isinstance(data, Mapping) else list(data)
    for record in records:
        seen.add((resource.type, record["id"]))
    objects = [
        _with_links(store, resource, r, query, query.include, included, seen) for r in records
    ]
    body: Record = {"data": objects[0] if isinstance(data, Mapping) else objects}
    if included:
        body["included"] = included
    body["meta"] = meta if meta is not None else {}
    return body


def _with_links(
    store: Store,
    resource: Resource,
    record: AnyRecord,
    query: Query,
    tree: Tree,
    included: list[Record],
    seen: set[tuple[str, str]],
) -> Record:
    obj = resource_object(resource, record, query, tree)
    for name, subtree in tree.items():
        rel = resource.rel(name)
        assert rel is not None  # checked by check_includes
        refs = rel.resolve(store, record)
        linkage = [{"type": kind, "id": target["id"]} for kind, target in refs]
        data: Any = linkage if rel.many else (linkage[0] if linkage else None)
        obj["relationships"][name] = {"data": data}
        for kind, target in refs:
            if (kind, target["id"]) in seen:
                continue
            seen.add((kind, target["id"]))
            slot = len(included)
            included.append({})  # keep first-encounter order with nested includes after
            included[slot] = _with_links(
                store, REGISTRY[kind], target, query, subtree, included, seen
            )
    return obj


def check_includes(resource: Resource, tree: Tree) -> None:
    """Graphiti refuses an include the resource does not declare (400)."""
    for name, subtree in tree.items():
        rel = resource.rel(name)
        if rel is None:
            raise request_error(
                f'The requested included relationship "{name}" is not supported on '
                f'resource "{resource.type}"',
                "invalid_include",
            )
        # A polymorphic relationship (a line's item) may be included further as any of its types.
        failures = []
        for kind in rel.kinds:
            if kind in REGISTRY:
                try:
                    check_includes(REGISTRY[kind], subtree)
                except BooqableError as exc:
                    failures.append(exc)
        if failures and len(failures) == len([k for k in rel.kinds if k in REGISTRY]):
            raise failures[0]
