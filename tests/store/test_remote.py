"""RemoteStore only: failures of the server side, against real servers (`oxigraph serve`,
and Virtuoso 7 where the test is not about one server's setting)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import BNode

from ccmkg.errors import BadParameter, QueryTimeout, StoreError
from ccmkg.settings import Settings
from ccmkg.store import Store
from ccmkg.store.remote import RemoteStore, default_update_url
from devtools.oxigraph import oxigraph_server
from devtools.server import free_port
from devtools.virtuoso import virtuoso_server
from tests.helpers.data import G1, SLOW_QUERY, many_triples
from tests.store.conftest import VIRTUOSO


def test_unreachable_server_is_a_store_error_with_the_url() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    store = RemoteStore(Settings(store=url))
    with pytest.raises(StoreError) as err:
        store.graphs()
    assert err.value.status == 503
    assert url in err.value.message
    with pytest.raises(StoreError) as err:
        store.replace_graphs({G1: many_triples(2)})
    assert "update endpoint" in err.value.message
    store.close()


def test_wrong_path_is_a_store_error(server_query_url: str) -> None:
    store = RemoteStore(Settings(store=server_query_url.rsplit("/", 1)[0] + "/nothing-here"))
    with pytest.raises(StoreError):
        store.graphs()
    store.close()


@contextmanager
def _server_with_a_1_s_limit(kind: str, tmp_path: Path) -> Iterator[Settings]:
    if kind == "virtuoso":
        with virtuoso_server(tmp_path, timeout_s=1) as v:
            yield Settings(
                store=v.query_url, store_update_url=v.update_url,
                store_user=v.user, store_password=v.password, query_timeout_s=30,
            )  # fmt: skip
        return
    with oxigraph_server(tmp_path, timeout_s=1) as base:
        yield Settings(store=f"{base}/query", query_timeout_s=30)


@pytest.mark.parametrize("kind", ["remote", VIRTUOSO])
def test_server_timeout_is_query_timeout_and_the_server_recovers(kind: str, tmp_path: Path) -> None:
    """Virtuoso answers 200 with a partial result at its limit ("anytime" queries): the
    store must not pass that off as the answer."""
    with _server_with_a_1_s_limit(kind, tmp_path) as settings:
        store = RemoteStore(settings)
        store.replace_graphs({G1: many_triples(300)})
        with pytest.raises(QueryTimeout) as err:
            store.select(SLOW_QUERY, timeout_s=2)
        assert err.value.code == "query-timeout"
        assert store.graphs() == {G1: 300}
        store.close()


def test_blank_node_bindings_are_refused(remote_store: Store) -> None:
    with pytest.raises(BadParameter):
        remote_store.select("SELECT * WHERE { ?s ?p ?o }", {"s": BNode()})


@pytest.mark.parametrize(
    ("query_url", "update_url"),
    [
        ("http://h:7878/query", "http://h:7878/update"),
        ("http://h:3030/ds/sparql", "http://h:3030/ds/update"),
        ("http://h:3030/ds/query", "http://h:3030/ds/update"),
        ("http://h:8890/sparql-endpoint", "http://h:8890/sparql-endpoint"),
        ("http://h:7200/repositories/ccm", "http://h:7200/repositories/ccm"),
    ],
)
def test_default_update_url(query_url: str, update_url: str) -> None:
    assert default_update_url(query_url) == update_url
