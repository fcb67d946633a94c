"""Fixtures of the reliability tests: a corpus store made once, and a live server over a copy.

The live server runs the real app (store, routes, security middleware) on 127.0.0.1 with
small limits, so that hostile inputs hit the limits quickly and the suite stays short.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ccmkg.settings import Settings
from ccmkg.store import Store, open_store
from devtools.rel_support import (
    TOKEN,
    AppProcess,
    OutboundSentinel,
    build_app,
    copy_store,
    load_corpus,
    serve_in_thread,
    start_app_process,
)

# Fault runs (the fast loop, `-m "not slow"`, skips them; CI runs them): a server in a process
# of its own, fed hostile input or pushed to a limit. Marked by the fixture that starts that
# process, so that a new test using it is marked too.
PROCESS_FIXTURES = frozenset({"child", "shared_child", "timed"})

QUERY_TIMEOUT_S = 2.0
MAX_UPLOAD_BYTES = 256 * 1024


@dataclass
class Live:
    base: str
    settings: Settings
    store: Store


@pytest.fixture(scope="session")
def corpus_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A closed embedded store holding the bundled corpus, and its graphs → triple counts."""
    path = tmp_path_factory.mktemp("corpus") / "store"
    return path, load_corpus(path)


def live_settings(store_dir: Path) -> Settings:
    return Settings(
        store=str(store_dir),
        ingest_token=TOKEN,
        query_timeout_s=QUERY_TIMEOUT_S,
        max_upload_bytes=MAX_UPLOAD_BYTES,
        query_workers=2,
    )


@pytest.fixture(scope="module")
def live(
    corpus_template: tuple[Path, dict[str, int]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    """The app over a private copy of the corpus store, for one test module."""
    store_dir = copy_store(corpus_template[0], tmp_path_factory.mktemp("live") / "store")
    settings = live_settings(store_dir)
    store = open_store(settings)
    try:
        with serve_in_thread(build_app(settings, store)) as base:
            yield Live(base, settings, store)
    finally:
        store.close()


@pytest.fixture
def sentinel() -> Iterator[OutboundSentinel]:
    s = OutboundSentinel()
    yield s
    s.close()


@dataclass
class Child:
    """The app in its own process: a crash shows up as a dead process, not a dead test run."""

    app: AppProcess
    store_dir: Path
    graphs_before: dict[str, int]

    @property
    def base(self) -> str:
        return self.app.base

    def assert_serving(self) -> None:
        """Alive and answering, with the store it started with (same graphs, same size)."""
        assert self.app.proc.poll() is None, f"the server died:\n{self.app.log()[-3000:]}"
        health = httpx.get(f"{self.base}/health", timeout=30).json()
        assert health["named_graphs"] == len(self.graphs_before)
        assert health["triples"] == sum(self.graphs_before.values())

    def assert_unchanged(self) -> None:
        """Alive, and every named graph holds the triples it started with (asked over /sparql)."""
        assert self.app.proc.poll() is None, f"the server died:\n{self.app.log()[-3000:]}"
        query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        r = httpx.post(
            f"{self.base}/sparql", data={"query": query}, timeout=60,
            headers={"Accept": "application/sparql-results+json"},
        )  # fmt: skip
        assert r.status_code == 200, r.text[:500]
        rows = r.json()["results"]["bindings"]
        graphs = {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
        assert graphs == self.graphs_before, "the store changed"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if here in item.path.parents and PROCESS_FIXTURES & fixtures:
            item.add_marker(pytest.mark.slow)


def child_env(store_dir: Path) -> dict[str, str]:
    return {
        "CCMKG_STORE": str(store_dir),
        "CCMKG_INGEST_TOKEN": TOKEN,
        "CCMKG_QUERY_TIMEOUT_S": str(QUERY_TIMEOUT_S),
        "CCMKG_MAX_UPLOAD_BYTES": str(MAX_UPLOAD_BYTES),
        "CCMKG_QUERY_WORKERS": "2",
    }


@pytest.fixture(scope="module")
def child(shared_child: Child) -> Iterator[Child]:
    """The server process of `shared_child`; after each module its store must be unchanged,
    so that the check speaks about that module's inputs."""
    yield shared_child
    shared_child.assert_unchanged()


@pytest.fixture(scope="session")
def shared_child(
    corpus_template: tuple[Path, dict[str, int]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Child]:
    """A server process over a private corpus copy, started once for the modules that only
    send it inputs it must refuse (the fast loop); at the end its store must be unchanged."""
    tmp = tmp_path_factory.mktemp("child")
    store_dir = copy_store(corpus_template[0], tmp / "store")
    app = start_app_process(child_env(store_dir), tmp / "server.log")
    try:
        yield Child(app, store_dir, corpus_template[1])
    finally:
        app.stop()
    store = open_store(Settings(store=str(store_dir)))
    try:
        assert store.graphs() == corpus_template[1], "the store changed"
    finally:
        store.close()
