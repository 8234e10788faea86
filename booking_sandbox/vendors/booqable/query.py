"""Graphiti's query parameters: include, fields, filter, sort, page and stats.

The query string is read as Rack reads it (`filter[starts_at][gte]=…`, `include[]=a`), so
`fields=x` is a string where an object is wanted: the vendor's "fields should be an object".
The docs also put `include` and `fields` in POST/PUT bodies; those are honoured too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from booking_sandbox.vendors.booqable.eras import BOOMERANG, Era
from booking_sandbox.vendors.booqable.errors import request_error

Tree = dict[str, "Tree"]

DEFAULT_PAGE_SIZE = 25
# Deeper than any relationship chain worth asking for (order.lines.item.product_group...).
MAX_INCLUDE_DEPTH = 8
MAX_PAGE_SIZE = 100
# Rack 2.2's `param_depth_limit`: a name nested deeper is its ParamsTooDeepError, which Rails
# answers 400 "Invalid query parameters" (and each level is a recursion here).
MAX_PARAM_DEPTH = 100
# Rack 2.2's `normalize_params`: the name, then what follows it (`[b][c]`, `[]`, `[][x]`).
_NAME = re.compile(r"\A[\[\]]*([^\[\]]+)\]*")
_LIST_OF_HASHES = (re.compile(r"\A\[\]\[([^\[\]]+)\]\Z"), re.compile(r"\A\[\](.+)\Z", re.S))


def rack_parse(query: str) -> dict[str, Any]:
    """`a[b][c]=1&d[]=x&d[]=y` -> {"a": {"b": {"c": "1"}}, "d": ["x", "y"]}.

    Malformed names nest as Rack nests them (`stats[]x]=count` is a list under `stats`), so
    they reach the parameter's checks instead of being ignored. Where Rack refuses a
    conflict (`x=1&x[a]=2`: ParameterTypeError) the later value wins.
    """
    found: dict[str, Any] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        _normalize(found, key, value)
    return found


def _normalize(params: dict[str, Any], name: str, value: Any, depth: int = 1) -> Any:
    if depth > MAX_PARAM_DEPTH:
        raise request_error(
            f"Invalid query parameters: nested deeper than {MAX_PARAM_DEPTH}", "invalid_query"
        )
    match = _NAME.match(name)
    if match is None:  # no name left (`x[[]]`): Rack's nil, a blank value here
        return [value] if name == "[]" else ""
    key, after = match.group(1), name[match.end() :]
    if after == "":
        params[key] = value
    elif after == "[":
        params[name] = value
    elif after == "[]":
        _list(params, key).append(value)
    elif found := _LIST_OF_HASHES[0].match(after) or _LIST_OF_HASHES[1].match(after):
        child, items = found.group(1), _list(params, key)
        if items and isinstance(items[-1], dict) and not _has_key(items[-1], child):
            _normalize(items[-1], child, value, depth + 1)
        else:
            items.append(_normalize({}, child, value, depth + 1))
    else:
        node = params.get(key)
        params[key] = _normalize(node if isinstance(node, dict) else {}, after, value, depth + 1)
    return params


def _list(params: dict[str, Any], key: str) -> list[Any]:
    if not isinstance(params.get(key), list):
        params[key] = []
    found: list[Any] = params[key]
    return found


def _has_key(params: dict[str, Any], key: str) -> bool:
    """Rack's `params_hash_has_key?`: `a[b]` is already set in this hash of the list."""
    if "[]" in key:
        return False
    node: Any = params
    for part in re.split(r"[\[\]]+", key):
        if part == "":
            continue
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


@dataclass
class Query:
    include: Tree = field(default_factory=dict)
    fields: dict[str, list[str]] = field(default_factory=dict)
    filter: dict[str, dict[str, Any]] = field(default_factory=dict)
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (attribute, descending)
    page_number: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    stats: dict[str, list[str]] = field(default_factory=dict)
    # Which era answers (eras.py): set from the path by http._open.
    era: Era = BOOMERANG
    # The 2022 era's reads (GET list/show) write every relationship's `links.related`
    # (jsonapi.py, reference §3.5 era 1); set by http._open.
    links: bool = False


# What `POST /{resource}/search` also reads from its body (reference §3.6, §4.1 Search).
SEARCH_KEYS = ("filter", "sort", "page", "stats", "meta")


def parse(query_string: str, body: dict[str, Any] | None = None, *, search: bool = False) -> Query:
    raw = rack_parse(query_string)
    if search and body:  # the query string wins; filters of both apply, by name
        for key in SEARCH_KEYS:
            if key not in body:
                continue
            _SEARCH_CHECKS[key](body[key])  # a malformed body is refused either way
            if key == "filter" and isinstance(raw.get(key), dict):
                raw[key] = {**body[key], **raw[key]}
            elif key not in raw:
                raw[key] = body[key]
    if body:  # the docs' POST examples carry `include` and `fields` beside `data`
        # Checked even when the query string wins: a malformed body is refused either way.
        if "include" in body:
            include_tree(body["include"], required=True)
        if "fields" in body:
            _fields(body["fields"], required=True)
        for key in ("include", "fields"):
            if key in body and key not in raw:
                raw[key] = body[key]
    found = Query()
    found.include = include_tree(raw.get("include"))
    found.fields = _fields(raw.get("fields"))
    found.filter = _filters(raw.get("filter"))
    found.sort = _sort(raw.get("sort"))
    found.page_number, found.page_size = _page(raw.get("page"))
    found.stats = _stats(raw.get("stats", raw.get("meta")))
    return found


def include_tree(value: Any, required: bool = False) -> Tree:
    if value is None and not required:
        return {}
    parts = value if isinstance(value, list) else [value]
    if not all(isinstance(p, str) for p in parts):
        raise request_error("include should be a comma separated string", "invalid_include")
    tree: Tree = {}
    for part in parts:
        for path in part.split(","):
            # Not stripped: Graphiti's include directive keeps ` lines` (an unknown name, 400).
            if not path:
                continue
            names = path.split(".")
            if len(names) > MAX_INCLUDE_DEPTH:  # each level is a recursion when rendering
                raise request_error(
                    f"include {path[:100]!r} is nested deeper than {MAX_INCLUDE_DEPTH}",
                    "invalid_include",
                )
            node = tree
            for name in names:
                node = node.setdefault(name, {})
    return tree


def _fields(value: Any, required: bool = False) -> dict[str, list[str]]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise request_error("fields should be an object", "invalid_fields")
    found = {}
    for kind, names in value.items():
        if isinstance(names, list) and all(isinstance(n, str) for n in names):
            names = ",".join(names)
        if not isinstance(names, str):
            raise request_error(
                f"fields[{kind}] should be a comma separated string", "invalid_fields"
            )
        # Not stripped (` sku` is no attribute, so not shown); empty names show nothing.
        found[kind] = [n for n in names.split(",") if n]
    return found


def _filters(value: Any) -> dict[str, dict[str, Any]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise request_error("filter should be an object", "invalid_filter")
    found: dict[str, dict[str, Any]] = {}
    for name, spec in value.items():
        # `filter[x]=v` is `eq`; `filter[x][]=a&filter[x][]=b` is `eq` on any of them.
        found[name] = spec if isinstance(spec, dict) else {"eq": spec}
    return found


def _sort(value: Any) -> list[tuple[str, bool]]:
    if value is None:
        return []
    if not isinstance(value, str):
        raise request_error("sort should be a comma separated string", "invalid_sort")
    keys = _split(value)  # ` name`, `,name` and `a,,b` name no attribute: a 400
    return [(k[1:], True) if k.startswith("-") else (k, False) for k in keys]


def _split(text: str) -> list[str]:
    """Graphiti splits lists as Ruby's `split(",")` does: nothing is stripped, and only
    trailing empty strings are dropped (`name,` is `name`)."""
    parts = text.split(",")
    while parts and not parts[-1]:
        parts.pop()
    return parts


def _page(value: Any) -> tuple[int, int]:
    if value is None:
        return 1, DEFAULT_PAGE_SIZE
    if not isinstance(value, dict):
        raise request_error("page should be an object", "invalid_page")
    number = _positive(value.get("number", "1"), "page[number]")
    size = _positive(value.get("size", str(DEFAULT_PAGE_SIZE)), "page[size]")
    if size > MAX_PAGE_SIZE:
        raise request_error(  # Graphiti's UnsupportedPageSize
            f"Requested page size {size} is greater than max supported size {MAX_PAGE_SIZE}",
            "invalid_page_size",
        )
    return number, size


def _positive(value: Any, name: str) -> int:
    text = str(value)
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise request_error(f"{name} should be a positive integer", "invalid_page")
    return int(text)


# A search body's parts, each checked as its query parameter is; `null` is no object either.
_SEARCH_CHECKS: dict[str, Callable[[Any], object]] = {
    "filter": lambda value: _filters(value if value is not None else ""),
    "sort": lambda value: _sort(value if value is not None else 0),
    "page": lambda value: _page(value if value is not None else ""),
    "stats": lambda value: _stats(value if value is not None else ""),
    "meta": lambda value: _stats(value if value is not None else ""),
}


def _stats(value: Any) -> dict[str, list[str]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise request_error("stats should be an object", "invalid_stats")
    found = {}
    for name, aggregates in value.items():
        items = aggregates if isinstance(aggregates, list) else [aggregates]
        if not all(isinstance(a, str) for a in items):
            raise request_error(f"stats[{name}] should be a list of aggregates", "invalid_stats")
        found[name] = [a for item in items for a in _split(item)]  # `count,,sum`: a 400
        if not found[name]:  # `stats[x]=`: a stat with no calculation to run
            raise request_error(f"stats[{name}] names no calculation", "invalid_stats")
    return found
