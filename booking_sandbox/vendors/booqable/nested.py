"""The `.json` response type: any answer in the nested form (reference §3.1 "Response types").

"You can, however, also request data in nested structure by appending `.json` to the path of
each request": `GET /api/boomerang/orders.json?include=customer` answers
`{"data": [{"id": …, "starts_at": …, "customer": {"id": …, "name": …}}]}`.

This is Graphiti's plain-hash renderer: each resource is its `id`, then its attributes, then
each relationship named in `include` nested (an object or null for to-one, an array for
to-many), no `type`, no `relationships`, no `included`; `meta` only when it holds something
(`stats`). It is written from the JSON:API answer the handler gives, so every route serves it
alike (list, show, create, update, delete, actions), with the era's values. Errors keep their
JSON:API envelope. Every answer to a `.json` path is `application/json; charset=utf-8`, as
Rails writes the `json` format.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.vendors.booqable.query import Tree
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, encode

SUFFIX = ".json"
# In the request scope: the request's `include` tree, set when the call is opened (http.py).
INCLUDE_KEY = "booqable.include"

Document = dict[str, Any]
Index = dict[tuple[Any, Any], Document]


def nest(document: Document, tree: Tree) -> Document:
    """The nested form of a JSON:API document whose relationships in `tree` carry `data`."""
    data = document.get("data")
    primary = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    index: Index = {}
    for obj in [*primary, *document.get("included", ())]:
        if isinstance(obj, dict):
            index.setdefault((obj.get("type"), obj.get("id")), obj)
    found: Document = {}
    if isinstance(data, list):
        found["data"] = [_node(obj, tree, index) for obj in data]
    elif isinstance(data, dict):
        found["data"] = _node(data, tree, index)
    else:
        found["data"] = data
    meta = document.get("meta")
    if meta:
        found["meta"] = meta
    return found


def _node(obj: Document, tree: Tree, index: Index) -> Document:
    node: Document = {}
    if "id" in obj:
        node["id"] = obj["id"]
    node.update(obj.get("attributes") or {})
    relationships = obj.get("relationships") or {}
    # By the include tree, not by whatever carries `data`: the same resource may sit at
    # several places of the answer (an order, and its line's owner) with other subtrees.
    for name, subtree in tree.items():
        rel = relationships.get(name)
        if not isinstance(rel, dict) or "data" not in rel:
            continue  # (an include a polymorphic list's other types declare: items.py)
        linkage = rel["data"]
        if isinstance(linkage, list):
            node[name] = [
                _node(index[key], subtree, index)
                for ref in linkage
                if (key := (ref.get("type"), ref.get("id"))) in index
            ]
        elif isinstance(linkage, dict):
            target = index.get((linkage.get("type"), linkage.get("id")))
            node[name] = None if target is None else _node(target, subtree, index)
        else:
            node[name] = None
    return node


def answer(request: Request, response: Response) -> Response:
    """The handler's answer to a `.json` path, nested; an error answer keeps its body."""
    if response.status_code < 400 and response.body:
        document = json.loads(bytes(response.body))
        if isinstance(document, dict) and "data" in document:
            tree: Tree = request.scope.get(INCLUDE_KEY) or {}
            body = encode(nest(document, tree))
            response.body = body
            response.headers["content-length"] = str(len(body))
    response.headers["content-type"] = PLAIN_JSON
    return response
