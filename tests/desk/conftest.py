"""A live server (real HTTP) over the bundled corpus and the reference data, per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ccmkg.links import load_links
from ccmkg.loaders.reference.load import ReferenceReport
from ccmkg.resources import corpus_files
from ccmkg.settings import Settings
from ccmkg.store import Store, open_store
from devtools.rel_support import copy_store
from devtools.server import serve_app


@pytest.fixture(scope="module")
def desk_store(
    corpus_reference_template: tuple[Path, ReferenceReport],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Settings, Store]]:
    """A private copy of the session's corpus-and-reference store, with the links, per module."""
    location = copy_store(corpus_reference_template[0], tmp_path_factory.mktemp("desk") / "store")
    settings = Settings(store=str(location), query_workers=1)
    store = open_store(settings)
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
