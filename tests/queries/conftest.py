"""Fixtures of the query tests: the hand-written fixture graph loaded into the `store` fixture."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from queries_fixture_data import BASE, fixture_graphs

from ccmkg.catalogue import Catalogue, to_records
from ccmkg.settings import Settings
from ccmkg.store import Store


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return Catalogue.load(base_iri=BASE)


@pytest.fixture(scope="module")
def fixture_store(module_backend: tuple[Settings, Store]) -> Store:
    """A store on each backend holding the fixture graph, written once per module: the
    tests that use it only read."""
    store = module_backend[1]
    store.replace_graphs(fixture_graphs())
    return store


@pytest.fixture(scope="session")
def run_records() -> Callable[..., list[dict[str, Any]]]:
    """Rows of a named query as plain records (IRIs and literals as JSON-ready values)."""

    def run(catalogue: Catalogue, store: Store, name: str, **params: str) -> list[dict[str, Any]]:
        return to_records(catalogue.run(store, name, params))

    return run
