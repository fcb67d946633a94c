"""A live server (real HTTP) over the bundled corpus and the reference data, per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ccmkg.links import load_links
from ccmkg.loaders.pipeline import load_paths
from ccmkg.loaders.reference.load import load_reference
from ccmkg.resources import corpus_files
from ccmkg.settings import Settings
from ccmkg.store import Store, open_store
from devtools.server import serve_app


@pytest.fixture(scope="module")
def desk_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store]]:
    folder = tmp_path_factory.mktemp("desk")
    settings = Settings(store=str(folder / "store"), query_workers=1)
    store = open_store(settings)
    load_paths(store, settings, corpus_files())
    load_reference(store, settings)
    load_links(store, settings)
    yield settings, store
    store.close()


@pytest.fixture(scope="module")
def http(desk_store: tuple[Settings, Store]) -> Iterator[httpx.Client]:
    settings, store = desk_store
    with serve_app(settings, store) as base, httpx.Client(base_url=base, timeout=60) as client:
        yield client


def ok(http: httpx.Client, path: str, **params: str) -> httpx.Response:
    response = http.get(path, params=params) if params else http.get(path)
    assert response.status_code == 200, f"{path} {params}: {response.status_code} {response.text}"
    return response


def corpus_text(file_name: str) -> str:
    """A bundled corpus file's text, read directly (the test's own view of the document)."""
    for path in corpus_files():
        if path.name == file_name:
            return path.read_text(encoding="utf-8-sig")
    raise AssertionError(f"no corpus file {file_name}")


@pytest.fixture(scope="module")
def store_copy(
    desk_store: tuple[Settings, Store], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A closed embedded store holding the same graphs, for CLI runs (the server holds the
    original's lock)."""
    _, store = desk_store
    location = tmp_path_factory.mktemp("copy") / "store"
    copy = open_store(Settings(store=str(location), query_workers=1))
    copy.replace_graphs({g: store.graph_triples(g) for g in store.graphs()})
    copy.close()
    return location
