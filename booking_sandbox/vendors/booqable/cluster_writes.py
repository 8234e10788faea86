"""Clusters: create, update and delete (the 2024 docs' `_clusters.md`, 9449d313), in the
namespace's catalog document (catalog_writes.py).

A cluster's `location_ids` are stored on the locations (their `cluster_ids`), so writing them
changes the locations: every id must name a location (else 422 `location_ids must exist`),
and on update the list replaces the cluster's members (the docs list it in the update body
although the field says `readonly-after-create`: the body wins). DELETE removes the cluster,
refused with `cluster_has_locations` while active locations belong to it; archived members
just lose it. Clusters stay data only: stock is not shared across a cluster.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.booqable import catalog_writes as cw
from booking_sandbox.vendors.booqable.clusters import CLUSTERS
from booking_sandbox.vendors.booqable.errors import cluster_has_locations, not_found
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import check_includes, document
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, respond, timestamp

Record = dict[str, Any]
KIND = "clusters"
WRITABLE = {"name": "string", "location_ids": "array_of_strings"}


async def create(call: Call) -> Response:
    check_includes(CLUSTERS, call.query.include)
    values = attributes_of(call, KIND, WRITABLE)
    doc = cw.document(call.store)
    now = timestamp(call.now)
    record = {"id": call.space.ids.uuid4(), "created_at": now, "updated_at": now, "name": ""}
    record["name"] = values.get("name", "")
    members = values.get("location_ids", [])
    cw.raise_problems(_problems(doc, record, members))
    doc.setdefault("clusters", []).append(record)
    _join(doc, record["id"], members)
    cw.commit(call.store)
    return _answer(call, record["id"], 201)


async def update(call: Call) -> Response:
    doc = cw.document(call.store)
    current = _find(doc, call.path_id)
    check_includes(CLUSTERS, call.query.include)
    values = attributes_of(call, KIND, WRITABLE)
    record = {**current, "name": values.get("name", current["name"])}
    members = values.get("location_ids")
    cw.raise_problems(_problems(doc, record, members or []))
    current.update(record, updated_at=timestamp(call.now))
    if members is not None:
        _join(doc, current["id"], members)
    cw.commit(call.store)
    return _answer(call, current["id"])


async def delete(call: Call) -> Response:
    doc = cw.document(call.store)
    current = _find(doc, call.path_id)
    check_includes(CLUSTERS, call.query.include)
    active = [
        loc["id"]
        for loc in doc["locations"]
        if current["id"] in loc.get("cluster_ids", []) and not loc.get("archived")
    ]
    if active:
        raise cluster_has_locations(active)
    body = document(call.store, CLUSTERS, _record(call, current["id"]), call.query)
    _join(doc, current["id"], [])
    doc["clusters"] = [c for c in doc["clusters"] if c is not current]
    cw.commit(call.store)
    return respond(body, 200, PLAIN_JSON)


def _problems(doc: Record, record: Record, members: list[str]) -> list[cw.Problem]:
    known = {loc["id"] for loc in doc.get("locations", [])}
    problems = cw.check(bool(record["name"].strip()), ("name", *cw.BLANK))
    problems += cw.check(all(i in known for i in members), ("location_ids", *cw.MISSING))
    return problems


def _join(doc: Record, cluster_id: str, members: list[str]) -> None:
    """Exactly `members` name the cluster in their `cluster_ids`."""
    for loc in doc.get("locations", []):
        named = [c for c in loc.get("cluster_ids", []) if c != cluster_id]
        loc["cluster_ids"] = [*named, cluster_id] if loc["id"] in members else named


def _find(doc: Record, ident: str) -> Record:
    found: Record | None = next((c for c in doc.get("clusters", []) if c["id"] == ident), None)
    if found is None:
        raise not_found()
    return found


def _record(call: Call, ident: str) -> Record:
    record = call.store.find(KIND, ident)
    assert record is not None
    return record


def _answer(call: Call, ident: str, status: int = 200) -> Response:
    return respond(document(call.store, CLUSTERS, _record(call, ident), call.query), status)
