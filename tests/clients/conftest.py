"""Shared by the generated-client tests: a generator, one namespace per test, clean teardown."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from types import ModuleType

import pytest

from tests.clients.generated import forget, generate_client


@pytest.fixture
def namespace() -> str:
    return f"clients-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[Callable[[str], ModuleType]]:
    """`generated("korus")`: the client of that document, unloaded after the test."""
    made: list[ModuleType] = []

    def generate(document: str) -> ModuleType:
        made.append(generate_client(document, tmp_path))
        return made[-1]

    yield generate
    for client in made:
        forget(client)


@pytest.fixture
def closing() -> Iterator[ExitStack]:
    """Generated clients hold an httpx connection pool: entered here, closed at teardown."""
    with ExitStack() as stack:
        yield stack
