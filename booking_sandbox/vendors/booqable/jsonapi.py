"""JSON:API documents as Booqable's Graphiti server writes them, driven by resource specs.

A resource is data (principle 7): its type, its attributes in wire order, its relationships
and its filterable attributes. Records are plain dicts holding the wire values; the serializer
only picks and orders them, as the request's era (eras.py) writes them. A relationship named
in `include` carries `data`. Any other is, in the seed's (2022) era, `{"links": {"related":
…}}` in the answers to reads (GET: list, show, `new`; primary and included resources alike,
as every GET example of the 2022 docs shows) and `{"meta": {"included": false}}` in the
answers to writes and actions (seed 003); an included one carries its link beside `data`
on reads. The 2025 era leaves it out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from string import Formatter
from typing import Any, Protocol

from booking_sandbox.vendors.booqable.eras import Era, wire_time
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
    # The 2022 era's `links.related` (reference §3.5 era 1) under the era's prefix, e.g.
    # `customers/{customer_id}` or `lines?filter[owner_id]={id}&filter[owner_type]=orders`:
    # each `{key}` is the record's value, and a null value makes the link null. None: null.
    related: str | None = None
    # The template parsed once (a list answer writes thousands of links): (text, key) pairs,
    # and (head, key, tail) when it has one key, as nearly all have.
    _parts: tuple[tuple[str, str | None], ...] = field(
        default=(), init=False, repr=False, compare=False
    )
    _one: tuple[str, str, str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = tuple((text, key) for text, key, _, _ in Formatter().parse(self.related or ""))
        object.__setattr__(self, "_parts", parts)
        keys = [key for _, key in parts if key is not None]
        if len(keys) == 1 and parts[0][1] is not None:
            tail = parts[1][0] if len(parts) > 1 else ""
            object.__setattr__(self, "_one", (parts[0][0], keys[0], tail))

    def link(self, record: AnyRecord, prefix: str) -> str | None:
        """`links.related` for `record`, e.g. `api/boomerang/customers/1e62…`."""
        if self._one is not None:
            head, key, tail = self._one
            value = record.get(key)
            return None if value is None else f"{prefix}{head}{value}{tail}"
        if self.related is None:
            return None
        found = prefix
        for text, name in self._parts:
            found += text
            if name is not None:
                value = record.get(name)
                if value is None:
                    return None
                found += str(value)
        return found


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
    # The 2025 era's attributes in its wire order (eras.py), where they differ from the 2022
    # list above; None: the same list.
    attributes_v4: tuple[str, ...] | None = None
    # How the 2025 era writes a stored value differently (a float the seed's era wrote as an
    # integer): attribute -> stored value -> wire value.
    values_v4: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)

    def rel(self, name: str) -> Rel | None:
        return next((r for r in self.relationships if r.name == name), None)


REGISTRY: dict[str, Resource] = {}


def register(*resources: Resource) -> None:
    for resource in resources:
        REGISTRY[resource.type] = resource


def one(name: str, kind: str, key: str, related: str | None = None) -> Rel:
    """To-one: the record of `kind` whose id is this record's `key` attribute; its link is
    that record's show path unless `related` says otherwise."""

    def resolve(store: Store, record: AnyRecord) -> list[Ref]:
        target = store.find(kind, record.get(key)) if record.get(key) else None
        return [(kind, target)] if target is not None else []

    return Rel(name, False, (kind,), resolve, related=related or f"{kind}/{{{key}}}")


def many(name: str, kind: str, key: str, related: str | None = None) -> Rel:
    """To-many: the records of `kind` whose `key` attribute is this record's id; its link is
    the list filtered on `key` unless `related` says otherwise."""

    def resolve(store: Store, record: AnyRecord) -> list[Ref]:
        return [(kind, r) for r in store.children(kind, key, record["id"])]

    return Rel(name, True, (kind,), resolve, related=related or f"{kind}?filter[{key}]={{id}}")


ITEM_KINDS = ("products", "bundles")


def item_rel() -> Rel:
    """To-one `item`: the product or bundle named by the record's `item_id` (lines, plannings,
    item prices, inventory levels); its link is the item's show path."""

    def resolve(store: Store, record: AnyRecord) -> list[Ref]:
        for kind in ITEM_KINDS:
            found = store.find(kind, record.get("item_id"))
            if found is not None:
                return [(kind, found)]
        return []

    return Rel("item", False, ITEM_KINDS, resolve, related="items/{item_id}")


def owned(kind: str, owner_type: str, key: str = "id") -> str:
    """The 2022 docs' link to what belongs to a record by `owner_id`/`owner_type` (barcodes,
    properties, notes, tax rates): `properties?filter[owner_id]={id}&filter[owner_type]=orders`."""
    return f"{kind}?filter[owner_id]={{{key}}}&filter[owner_type]={owner_type}"


def resource_object(resource: Resource, record: AnyRecord, query: Query, tree: Tree) -> Record:
    era = query.era
    listed = resource.attributes_v4 if era.current else resource.attributes
    if listed is None:
        listed = resource.attributes
    wanted = query.fields.get(resource.type)
    names = listed if wanted is None else [a for a in listed if a in wanted]
    relationships: Record = {}
    if query.links:  # a 2022 read: every relationship's link, `data` too when included
        prefix = _link_prefix(era)
        for rel in resource.relationships:  # (a list answer writes thousands of these)
            if rel.listed or rel.name in tree:
                relationships[rel.name] = {"links": {"related": rel.link(record, prefix)}}
    elif era.lists_relationships:
        for rel in resource.relationships:
            if rel.name in tree:
                relationships[rel.name] = {"data": None}
            elif rel.listed:
                relationships[rel.name] = {"meta": {"included": False}}
    else:  # filled in by _with_links, in `include` order as the recorded answers show
        relationships = {}
    values = map(record.get, names)
    if era.microseconds:
        values = map(wire_time, values)
    if era.current and resource.values_v4:
        values = map(_v4_value, [resource.values_v4.get(n) for n in names], values)
    return {
        "id": record["id"],
        "type": resource.type,
        "attributes": dict(zip(names, values, strict=True)),
        "relationships": relationships,
    }


def _link_prefix(era: Era) -> str:
    """`api/boomerang/`: the docs' links are relative and start with the era's path."""
    return f"{era.prefix[1:]}/"


def _v4_value(write: Callable[[Any], Any] | None, value: Any) -> Any:
    return value if write is None else write(value)


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
        slot = obj["relationships"].get(name)
        if slot is None:
            obj["relationships"][name] = {"data": data}
        else:  # beside its `links` (2022 reads) or in its place
            slot["data"] = data
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
