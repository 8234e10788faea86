"""Hydra collections as API Platform 4 writes them (`hydra_prefix: false`), reference §8.4-8.5.

`@context, @id, @type "Collection", totalItems, member`, then `view` (a PartialCollectionView,
only when there is more than one page or the request has query parameters besides `page`), then
`search` (an IriTemplate built from the path alone).
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.requests import Request

from booking_sandbox.vendors.korus.wire import KorusError

_INDEX = re.compile(r"%5B\d+%5D")
DEFAULT_ITEMS = 10
PHP_INT_MAX = 2**63 - 1
MAX_ITEMS = 50  # Korus documents itemsPerPage [0 .. 50]; API Platform clamps, it does not refuse

Document = dict[str, Any]


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    def slice(self, items: Sequence[Any]) -> list[Any]:
        start = (self.number - 1) * self.size
        return list(items[start : start + self.size])


def _php_int(text: str) -> int:
    """PHP's `(int)` cast: leading digits, else 0 ("2abc" is 2, "abc" is 0)."""
    digits = ""
    for char in text.strip():
        if char.isascii() and (char.isdigit() or (not digits and char in "+-")):
            digits += char
        else:
            break
    try:
        value = int(digits)
    except ValueError:
        return 0
    return max(-PHP_INT_MAX - 1, min(PHP_INT_MAX, value))  # (int) saturates on 64 bits


# DateFilter's operators for `<property>[after|strictly_after|before|strictly_before]`.
DATE_BOUNDS: dict[str, Callable[[Any, Any], bool]] = {
    "after": operator.ge,
    "strictly_after": operator.gt,
    "before": operator.le,
    "strictly_before": operator.lt,
}


def descending(request: Request, name: str) -> bool:
    """`order[<name>]=desc` (any case); OrderFilter ignores values other than asc and desc."""
    return request.query_params.get(f"order[{name}]", "").lower() == "desc"


def page_of(request: Request) -> Page:
    query = request.query_params
    number = _php_int(query["page"]) if "page" in query else 1
    size = _php_int(query["itemsPerPage"]) if "itemsPerPage" in query else DEFAULT_ITEMS
    if number < 1:
        raise KorusError(400, "Page should not be less than 1")
    if size < 0:
        raise KorusError(400, "Limit should not be less than 0")
    if size == 0 and number > 1:
        raise KorusError(400, "Page should not be greater than 1 if limit is equal to 0")
    size = min(size, MAX_ITEMS)
    if (number - 1) * size > PHP_INT_MAX:  # the offset would become a float in PHP
        raise KorusError(400, "Page parameter is too large.")
    return Page(number, size)


def _query(pairs: Sequence[tuple[str, str]]) -> str:
    """PHP's http_build_query(..., PHP_QUERY_RFC3986) over ksort-ed keys (Request::getUri())."""
    ordered = sorted(pairs, key=lambda kv: kv[0].split("[", 1)[0])
    text = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in ordered)
    return _INDEX.sub("%5B%5D", text)  # IriHelper collapses list indexes: a[0]= -> a[]=


def collection(
    request: Request,
    context: str,
    members: Sequence[Document],
    total: int,
    page: Page,
    search: Document | None,
) -> Document:
    path = request.url.path
    document: Document = {
        "@context": f"/contexts/{context}",
        "@id": path,
        "@type": "Collection",
        "totalItems": total,
        "member": list(members),
    }
    last = max(1, math.ceil(total / page.size)) if page.size else 1
    paginated = last != 1
    kept: dict[str, str] = {}
    listed: list[tuple[str, str]] = []
    for key, value in request.query_params.multi_items():
        if key == "page":
            continue
        if key.endswith("[]"):
            listed.append((key, value))
        else:
            kept[key] = value  # PHP's parse_str keeps the last of a repeated key
    rest = [*kept.items(), *listed]
    if paginated or rest:

        def at(number: int | None) -> str:
            query = _query(rest)
            if number is not None:  # API Platform appends the page last
                query = f"{query}&page={number}" if query else f"page={number}"
            return f"{path}?{query}" if query else path

        view: Document = {"@id": at(page.number if paginated else None)}
        view["@type"] = "PartialCollectionView"
        if paginated:
            view["first"] = at(1)
            view["last"] = at(last)
            if page.number != 1:
                view["previous"] = at(page.number - 1)
            if page.number < last:
                view["next"] = at(page.number + 1)
        document["view"] = view
    if search is not None:
        document["search"] = search
    return document


def search(path: str, mapping: Sequence[tuple[str, str | None]] = ()) -> Document:
    """The IriTemplate of an operation's filters: (variable, property) pairs, none required."""
    variables = ",".join(variable for variable, _ in mapping)
    return {
        "@type": "IriTemplate",
        "template": f"{path}{{?{variables}}}",
        "variableRepresentation": "BasicRepresentation",
        "mapping": [
            {"@type": "IriTemplateMapping", "variable": v, "property": p, "required": False}
            for v, p in mapping
        ],
    }
