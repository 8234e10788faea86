"""Lazy documents: written item by item as json.dumps writes whole ones; spools; the vendors'
generators make their big lists as they are read."""

from __future__ import annotations

import io
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from booking_sandbox.core.lazydoc import Spool, materialise, write_json
from booking_sandbox.generate import GENERATORS, lazy_document

START = datetime(2026, 1, 1, tzinfo=UTC)


def written(document: dict[str, Any]) -> str:
    out = io.StringIO()
    write_json(out, document)
    return out.getvalue()


def expected(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def lazy(document: dict[str, Any]) -> dict[str, Any]:
    return {k: iter(v) if isinstance(v, list) else v for k, v in document.items()}


@pytest.mark.parametrize(
    "document",
    [
        {},
        {"a": []},
        {"a": [], "b": {}, "c": None},
        {"ids": [1, 2.5, -0.0, 1e300, True, None, 'é\n"x"\t']},
        {"nested": [{"k": [1, {"deep": []}], "e": {}}, [], [[1], []]], "tail": "ü"},
        {"top": {"not lazy": [1, 2]}, "list": [{"a": 1}, {"b": [2, 3]}]},
    ],
)
def test_a_lazy_document_is_written_as_json_dumps_writes_it_whole(
    document: dict[str, Any],
) -> None:
    assert written(lazy(document)) == expected(document)
    assert written(document) == expected(document)  # lists as they are
    assert json.loads(written(lazy(document))) == document


def test_the_iterators_are_read_one_item_at_a_time_in_key_order() -> None:
    seen: list[str] = []
    out = io.StringIO()

    def items(key: str) -> Iterator[int]:
        for n in range(3):
            seen.append(f"{key}{n}:{len(out.getvalue())}")
            yield n

    write_json(out, {"a": items("a"), "b": items("b")})
    # Each item is asked for after the one before was written: nothing waits in a list.
    sizes = [int(s.split(":")[1]) for s in seen]
    assert [s.split(":")[0] for s in seen] == ["a0", "a1", "a2", "b0", "b1", "b2"]
    assert sizes == sorted(sizes)
    assert len(set(sizes)) == len(sizes)


def test_materialise_makes_lists_of_the_iterators_only() -> None:
    doc = {"a": iter([1, 2]), "b": [3], "c": {"d": 4}}
    assert materialise(doc) == {"a": [1, 2], "b": [3], "c": {"d": 4}}


def test_a_spool_gives_back_its_items_in_order_and_equal() -> None:
    spool = Spool()
    items = [{"price": 12.3, "name": "Brücke\n", "n": None}, [1, 2.0], "x", 0.1 + 0.2]
    for item in items:
        spool.add(item)
    assert list(spool) == items


def test_a_big_spool_moves_to_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("booking_sandbox.core.lazydoc.IN_MEMORY", 100)
    spool = Spool()
    for n in range(100):
        spool.add({"n": n, "text": "x" * 20})
    assert vars(spool.file)["_rolled"]  # (SpooledTemporaryFile: on disk past max_size)
    assert [item["n"] for item in spool] == list(range(100))


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_each_vendor_streams_the_document_its_generator_makes_whole(name: str) -> None:
    _, streamed = lazy_document(name, 120, 3, START)
    assert any(isinstance(v, Iterator) for v in streamed.values())  # its big lists are lazy
    _, whole = lazy_document(name, 120, 3, START)
    assert written(streamed) == expected(materialise(whole))


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_each_vendor_reports_progress_up_to_size(name: str) -> None:
    done: list[int] = []
    _, document = lazy_document(name, 250, 1, START, done.append)
    assert sum(done) == 0  # nothing made yet: the lists are made as they are read
    written(document)
    assert sum(done) == 250


def test_the_korus_catalogs_are_made_one_at_a_time() -> None:
    done: list[int] = []
    _, document = lazy_document("korus", 2000, 1, START, done.append)
    catalogs = document["catalogs"]
    first = next(catalogs)
    assert sum(done) == sum(len(t["sessions"]) for o in first["offers"] for t in o["tickets"])
    assert sum(done) < 2000


def test_the_registered_generator_is_the_streaming_one() -> None:
    from faker import Faker

    vendor = GENERATORS["korus"]
    assert vendor.generate is not None
    fake = Faker()
    fake.seed_instance(1)
    document = vendor.generate(fake, random.Random(1), size=10, start=START)
    assert isinstance(document["catalogs"], Iterator)
