"""GET /health over real HTTP on both backends."""

from __future__ import annotations

import httpx

from ccmkg import __version__
from ccmkg.settings import Settings
from ccmkg.store import Store
from devtools.server import serve_app
from tests.helpers.data import sample_graphs


def test_health_reports_store_kind_and_size(store_settings: Settings, store: Store) -> None:
    with serve_app(store_settings, store) as url:
        empty = httpx.get(f"{url}/health", timeout=30).json()
        assert empty["triples"] == 0
        store.replace_graphs(sample_graphs())
        r = httpx.get(f"{url}/health", timeout=30)
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["version"] == __version__
    assert body["store"] == store.kind == ("remote" if store_settings.is_remote else "embedded")
    assert body["named_graphs"] == 2
    assert body["triples"] == sum(len(g) for g in sample_graphs().values())


def test_app_opens_its_own_store_from_settings(store_settings: Settings, store: Store) -> None:
    store.replace_graphs(sample_graphs())
    if store.kind == "embedded":
        store.close()  # one process per directory: let the app open it
    with serve_app(store_settings) as url:
        body = httpx.get(f"{url}/health", timeout=30).json()
    assert body["named_graphs"] == 2
