"""Fixtures for the publishing tests: the sample dataset in a real store, served over HTTP.

The base IRI is deliberately not the default and has a path, so every test also checks that
a deployment can publish under its own domain.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from publish_support import BASE, sample_graphs

from ccmkg.settings import Settings
from ccmkg.store import Store
from devtools.server import serve_app


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(store=str(tmp_path / "unused-store"), base_iri=BASE)


@pytest.fixture
def loaded(store: Store) -> Store:
    """The shared `store` fixture (embedded and remote) holding the sample dataset."""
    store.replace_graphs(sample_graphs())
    return store


@pytest.fixture
def base_url(settings: Settings, loaded: Store) -> Iterator[str]:
    """A live server on the loaded store."""
    with serve_app(settings, store=loaded) as url:
        yield url


@pytest.fixture
def docs_url(settings: Settings, embedded_store: Store) -> Iterator[str]:
    """A live server for the routes that do not read the store (ontology, shapes, context)."""
    with serve_app(settings, store=embedded_store) as url:
        yield url
