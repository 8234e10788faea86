"""The `conditions` filter: logical groups of filters, as `POST /{resource}/search` sends them.

```
{"operator": "and" | "or", "attributes": [<group> | {<filter>: <value or {op: value}>}, …]}
```
(reference §3.6 and §4.1 Search). A leaf holds one or more filters, all of which must pass;
a group without `operator` is an `and`. In a query string the same tree is
`filter[conditions][operator]=or&filter[conditions][attributes][][status]=reserved&…`, and a
Rack index hash (`attributes[0][status]=…`) is read as the list it numbers.
"""

from __future__ import annotations

from typing import Any

from booking_sandbox.vendors.booqable import filters
from booking_sandbox.vendors.booqable.jsonapi import Record, Resource, Store

NAME = "conditions"
# Deeper than any real search; each level is a recursion.
MAX_DEPTH = 16


def select(
    store: Store, resource: Resource, records: list[Record], tree: Any, depth: int = 1
) -> list[Record]:
    """The records the condition tree keeps, in their given order."""
    if isinstance(tree, dict) and set(tree) == {"eq"}:  # `filter[conditions][eq]…`: a hash eq
        tree = tree["eq"]
    return _group(store, resource, records, tree, depth)


def _group(
    store: Store, resource: Resource, records: list[Record], node: Any, depth: int
) -> list[Record]:
    if depth > MAX_DEPTH:
        raise filters.invalid_filter(resource, NAME, f"is nested deeper than {MAX_DEPTH}")
    if not isinstance(node, dict):
        raise filters.invalid_filter(resource, NAME, "expects an object")
    if "attributes" not in node:
        return _leaf(store, resource, records, node, depth)
    operator = node.get("operator", "and")
    if operator not in ("and", "or") or set(node) - {"operator", "attributes"}:
        raise filters.invalid_filter(
            resource, NAME, 'expects {"operator": "and" or "or", "attributes": [...]}'
        )
    children = _listed(resource, node["attributes"])
    if operator == "and":
        for child in children:
            records = _group(store, resource, records, child, depth + 1)
        return records
    kept: set[str] = set()
    for child in children:
        kept.update(r["id"] for r in _group(store, resource, records, child, depth + 1))
    return [r for r in records if r["id"] in kept]


def _listed(resource: Resource, attributes: Any) -> list[Any]:
    if isinstance(attributes, list):
        return attributes
    if isinstance(attributes, dict) and all(k.isdigit() for k in attributes):
        return [attributes[k] for k in sorted(attributes, key=int)]
    raise filters.invalid_filter(resource, NAME, "attributes should be a list")


def _leaf(
    store: Store, resource: Resource, records: list[Record], leaf: dict[str, Any], depth: int
) -> list[Record]:
    if not leaf:
        raise filters.invalid_filter(resource, NAME, "has an empty condition")
    for name, spec in leaf.items():
        if name == NAME:
            records = select(store, resource, records, spec, depth + 1)
            continue
        ops = spec if isinstance(spec, dict) else {"eq": spec}
        records = filters.apply(store, resource, records, name, ops)
    return records
