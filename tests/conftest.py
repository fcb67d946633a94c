"""Shared fixtures: a real Oxigraph server, and a `store` on both backends.

Fixtures for other test packages:
- `oxigraph_server` (session): base URL of a live `oxigraph serve`.
- `store_settings` (per test, params "embedded" and "remote"): Settings for a fresh store.
- `store` (per test, same params): an open, empty Store built from `store_settings`.
- `embedded_store`, `remote_store`: one backend only, when a test is about that backend.
- `virtuoso` (session): a live Virtuoso 7; tests/store/conftest.py adds it as a third backend.
- `module_backend` (per module, same params): Settings and an empty Store that the tests of one
  module share, for modules whose tests only read what their fixture wrote (the fast loop:
  one load and one app per module instead of one per test). Its remote store is an
  `oxigraph serve` of its own, since every `store` test clears the session's server.
- `corpus_reference_template` (session): a closed embedded store holding the bundled corpus
  and the reference data, built once per test process, with the reference load's report;
  modules open private copies of it (`devtools.rel_support.copy_store`).
Nothing is ever skipped for want of a server: a missing `oxigraph` binary fails loudly.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# CLI output is read by the tests: a fixed width, whether or not a terminal is attached (pytest
# -n workers have none, and rich would wrap or shorten the file names the tests look for).
os.environ.setdefault("COLUMNS", "200")

# `tests.helpers` must be importable however pytest was started (`pytest` or `python -m pytest`).
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from ccmkg.loaders.pipeline import load_paths  # noqa: E402
from ccmkg.loaders.reference.load import ReferenceReport, load_reference  # noqa: E402
from ccmkg.resources import corpus_files  # noqa: E402
from ccmkg.settings import Settings  # noqa: E402
from ccmkg.store import Store, open_store  # noqa: E402
from ccmkg.store.remote import RemoteStore  # noqa: E402
from devtools.oxigraph import oxigraph_server as _start_oxigraph  # noqa: E402
from devtools.virtuoso import VirtuosoServer, virtuoso_server  # noqa: E402

BACKENDS = ["embedded", "remote"]


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `oxigraph serve` for the whole session; yields e.g. http://127.0.0.1:PORT."""
    with _start_oxigraph(tmp_path_factory.mktemp("oxigraph")) as base:
        yield base


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """A real Virtuoso 7 for the session (tests/store: the `virtuoso` backend, marked slow)."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


def _settings_for(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if kind == "embedded":
        return Settings(store=str(tmp_path / "store"), query_workers=1)
    if kind == "virtuoso":
        v = request.getfixturevalue("virtuoso")
        return Settings(
            store=v.query_url,
            store_update_url=v.update_url,
            store_user=v.user,
            store_password=v.password,
        )
    base = request.getfixturevalue("oxigraph_server")
    return Settings(store=f"{base}/query", store_update_url=f"{base}/update")


@pytest.fixture(params=BACKENDS)
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings naming a fresh store: a tmp directory, or the shared server (cleared)."""
    return _settings_for(request.param, request, tmp_path)


def _open_empty(settings: Settings) -> Store:
    store = open_store(settings)
    if isinstance(store, RemoteStore):
        store.clear()  # the server is shared by the session: start every test empty
    return store


@pytest.fixture
def store(store_settings: Settings) -> Iterator[Store]:
    """An empty store on each backend in turn; closed after the test."""
    s = _open_empty(store_settings)
    yield s
    s.close()


@pytest.fixture
def embedded_store(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    s = _open_empty(_settings_for("embedded", request, tmp_path))
    yield s
    s.close()


@pytest.fixture
def remote_store(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    s = _open_empty(_settings_for("remote", request, tmp_path))
    yield s
    s.close()


@contextmanager
def private_backend(kind: str, tmp: Path) -> Iterator[tuple[Settings, Store]]:
    """An empty store no other test touches: a tmp directory, or a server of its own."""
    if kind == "embedded":
        settings = Settings(store=str(tmp / "store"), query_workers=1)
        store = open_store(settings)
        try:
            yield settings, store
        finally:
            store.close()
        return
    (tmp / "oxigraph").mkdir(parents=True, exist_ok=True)
    with _start_oxigraph(tmp / "oxigraph") as base:
        settings = Settings(store=f"{base}/query", store_update_url=f"{base}/update")
        store = open_store(settings)
        try:
            yield settings, store
        finally:
            store.close()


@pytest.fixture(scope="module", params=BACKENDS)
def module_backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Settings, Store]]:
    """Settings and an empty store on each backend in turn, shared by one module's tests."""
    with private_backend(request.param, tmp_path_factory.mktemp(request.param)) as backend:
        yield backend


@pytest.fixture(scope="session")
def corpus_reference_template(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, ReferenceReport]:
    location = tmp_path_factory.mktemp("corpus-reference") / "store"
    settings = Settings(store=str(location), query_workers=1)
    store = open_store(settings)
    try:
        load_paths(store, settings, corpus_files())
        report = load_reference(store, settings)
    finally:
        store.close()
    return location, report
