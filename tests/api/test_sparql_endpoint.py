"""/sparql over real HTTP (uvicorn on 127.0.0.1), on both backends; real clients included."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from ccmkg.settings import Settings
from ccmkg.store import Store, open_store
from devtools.oxigraph import oxigraph_server
from devtools.server import serve_app
from tests.helpers.data import EX, G1, G2, SLOW_QUERY, many_triples, sample_graphs

STATES = "PREFIX ex: <https://example.org/> SELECT ?s WHERE { ?s a ex:State } ORDER BY ?s"
ALL = "SELECT * WHERE { ?s ?p ?o }"
MAX_ROWS = 20


def limited(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"max_result_rows": MAX_ROWS, "max_query_bytes": 5000, "max_query_depth": 40}
    )


@pytest.fixture(scope="module")
def served(module_backend: tuple[Settings, Store]) -> Iterator[tuple[str, Store]]:
    """The sample graphs behind one app per backend, shared by the tests that only read."""
    settings, store = module_backend
    store.replace_graphs(sample_graphs())
    with serve_app(limited(settings), store) as url:
        yield url, store


@pytest.fixture
def base(served: tuple[str, Store]) -> str:
    return served[0]


@pytest.fixture
def client(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=30) as c:
        yield c


@pytest.fixture
def fresh_client(store_settings: Settings, store: Store) -> Iterator[httpx.Client]:
    """An app over a store of its own, for a test that writes."""
    store.replace_graphs(sample_graphs())
    with (
        serve_app(limited(store_settings), store) as url,
        httpx.Client(base_url=url, timeout=30) as c,
    ):
        yield c


def _states(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [b["s"]["value"] for b in response.json()["results"]["bindings"]]


EXPECTED = [str(EX.Chile), str(EX.Laos), str(EX.Norway)]


def test_get_form_post_and_direct_post_agree(client: httpx.Client) -> None:
    assert _states(client.get("/sparql", params={"query": STATES})) == EXPECTED
    assert _states(client.post("/sparql", data={"query": STATES})) == EXPECTED
    direct = client.post(
        "/sparql", content=STATES, headers={"Content-Type": "application/sparql-query"}
    )
    assert _states(direct) == EXPECTED


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/*;q=0.8, application/sparql-results+json;q=0.1", "text/csv"),
        ("text/html, */*;q=0.1", "application/sparql-results+json"),
    ],
)
def test_select_content_negotiation(
    client: httpx.Client, accept: str | None, expected: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    r = client.get("/sparql", params={"query": STATES}, headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == expected
    if expected == "text/csv":
        rows = list(csv.reader(io.StringIO(r.text)))
        assert rows == [["s"], *([v] for v in EXPECTED)]


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/sparql-results+json;q=1, text/turtle;q=0.2", "turtle"),
    ],
)
def test_construct_content_negotiation(client: httpx.Client, accept: str, fmt: str) -> None:
    q = "PREFIX ex: <https://example.org/> CONSTRUCT WHERE { ?s ex:attended ?m }"
    r = client.get("/sparql", params={"query": q}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    g = Graph().parse(data=r.content, format=fmt)
    assert len(g) == 6


def test_not_acceptable(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/csv"})
    assert r.status_code == 406
    assert r.json()["code"] == "not-acceptable"
    r = client.get("/sparql", params={"query": STATES}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    r = client.get("/sparql", params={"query": STATES}, headers={"Accept": "*/*;q=0"})
    assert r.status_code == 406


def test_malformed_query_is_400_with_the_parser_message(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "query-rejected"
    assert set(body) == {"code", "message", "hint"}
    assert "1:" in body["message"]


def test_long_and_short_texts_are_answered_alike(store_settings: Settings, store: Store) -> None:
    """A text up to 8 KB is checked and awaited on the event loop, a longer one in a thread
    (api/routes/sparql.py): the same answers and the same plain syntax errors either way."""
    store.replace_graphs(sample_graphs())
    padding = "# " + "x" * 9000 + "\n"
    assert len(padding + STATES) > 8192
    with (
        serve_app(store_settings, store) as url,
        httpx.Client(base_url=url, timeout=30) as c,
    ):
        for text in (STATES, padding + STATES):
            assert _states(c.post("/sparql", data={"query": text})) == EXPECTED
        for text in ("SELECT ?x WHERE { ?x ?y }", padding + "SELECT ?x WHERE { ?x ?y }"):
            r = c.post("/sparql", data={"query": text})
            assert r.status_code == 400 and r.json()["code"] == "query-rejected"
            assert "1:" in r.json()["message"] or "2:" in r.json()["message"]


@pytest.mark.parametrize(
    "request_kw",
    [
        {"method": "GET", "params": {"update": "CLEAR ALL"}},
        {"method": "GET", "params": {"query": "DROP ALL"}},
        {"method": "POST", "data": {"update": "CLEAR ALL"}},
        {
            "method": "POST",
            "content": "CLEAR ALL",
            "headers": {"Content-Type": "application/sparql-update"},
        },
        {"method": "GET", "params": {"query": "LOAD <file:///etc/passwd>"}},
    ],
)
def test_updates_are_refused_and_change_nothing(
    client: httpx.Client, served: tuple[str, Store], request_kw: dict[str, object]
) -> None:
    store = served[1]
    before = store.graphs()
    r = client.request(url="/sparql", **request_kw)  # type: ignore[arg-type]
    assert r.status_code == 400
    assert "read-only" in r.json()["message"]
    assert store.graphs() == before


def test_service_is_refused(client: httpx.Client) -> None:
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 400
    assert "SERVICE" in r.json()["message"]


def _post_oversized(
    client: httpx.Client, headers: dict[str, str] | None = None, **body: object
) -> httpx.Response:
    """The server answers an oversized body before reading all of it, then closes lingering
    (tests/api/test_lingering_close.py), so the 413 arrives at the first attempt."""
    return client.post("/sparql", headers=headers, **body)  # type: ignore[arg-type]


def test_limits_on_size_and_depth(client: httpx.Client) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 6000
    r = _post_oversized(client, content=big, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    assert r.json()["code"] == "payload-too-large"
    # Deep enough to crash pyoxigraph if it ever reached the engine.
    deep = "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000
    r = _post_oversized(client, data={"query": deep})
    assert r.status_code in (400, 413)
    deep = "SELECT * WHERE " + "{" * 41 + "?s ?p ?o" + "}" * 41
    r = client.post("/sparql", data={"query": deep})
    assert r.status_code == 400
    assert "levels deep" in r.json()["message"]
    assert _states(client.get("/sparql", params={"query": STATES})) == EXPECTED


def test_truncation_is_signalled(fresh_client: httpx.Client, store: Store) -> None:
    client = fresh_client
    store.replace_graphs({G1: many_triples(MAX_ROWS + 5)})
    r = client.get("/sparql", params={"query": ALL})
    assert r.status_code == 200
    assert r.headers["X-CCMKG-Truncated"] == "true"
    assert "truncated" in r.headers["Warning"]
    assert len(r.json()["results"]["bindings"]) == MAX_ROWS
    small = client.get("/sparql", params={"query": STATES})
    assert "X-CCMKG-Truncated" not in small.headers


@pytest.mark.parametrize(
    "request_kw",
    [
        {"method": "PUT", "params": {"query": "ASK {}"}},
        {"method": "GET", "params": [("query", "ASK {}"), ("query", "ASK {}")]},
        {"method": "GET", "params": {}},
        {"method": "POST", "content": "ASK {}", "headers": {"Content-Type": "text/plain"}},
        {
            "method": "POST",
            "content": "ASK {}".encode("utf-16"),
            "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"},
        },
    ],
)
def test_protocol_errors_are_4xx_json(client: httpx.Client, request_kw: dict[str, object]) -> None:
    r = client.request(url="/sparql", **request_kw)  # type: ignore[arg-type]
    assert 400 <= r.status_code < 500
    assert set(r.json()) == {"code", "message", "hint"}


def test_query_timeout_on_embedded_keeps_serving(tmp_path: Path) -> None:
    settings = Settings(store=str(tmp_path / "s"), query_timeout_s=0.5, query_workers=1)
    store = open_store(settings)
    store.replace_graphs({G1: many_triples(300)})
    try:
        with serve_app(settings, store) as url:
            r = httpx.get(f"{url}/sparql", params={"query": SLOW_QUERY}, timeout=30)
            assert r.status_code == 503
            assert r.json()["code"] == "query-timeout"
            assert "0.5 s" in r.json()["message"]
            ok = httpx.get(f"{url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
            assert ok.json()["boolean"] is True
    finally:
        store.close()


def test_query_timeout_on_remote_uses_the_server_limit(tmp_path: Path) -> None:
    with oxigraph_server(tmp_path, timeout_s=1) as ox_base:
        settings = Settings(store=f"{ox_base}/query", query_timeout_s=2)
        store = open_store(settings)
        store.replace_graphs({G1: many_triples(300)})
        with serve_app(settings, store) as url:
            r = httpx.get(f"{url}/sparql", params={"query": SLOW_QUERY}, timeout=30)
            assert r.status_code == 503
            assert r.json()["code"] == "query-timeout"
        store.close()


# Real clients ----------------------------------------------------------------------------


def test_sparqlwrapper_client(base: str) -> None:
    sw = SPARQLWrapper(f"{base}/sparql")
    sw.setQuery(STATES)
    sw.setReturnFormat(JSON)
    result = sw.query().convert()
    assert [b["s"]["value"] for b in result["results"]["bindings"]] == EXPECTED  # type: ignore[index]
    sw.setMethod("POST")
    sw.setQuery("PREFIX ex: <https://example.org/> ASK { ex:Laos ex:attended ex:meeting2 }")
    assert sw.query().convert()["boolean"] is True  # type: ignore[index]
    sw.setQuery("PREFIX ex: <https://example.org/> CONSTRUCT WHERE { ?s ex:attended ?m }")
    sw.setReturnFormat(TURTLE)
    g = Graph().parse(data=sw.query().convert(), format="turtle")  # type: ignore[arg-type]
    assert len(g) == 6


def test_rdflib_sparqlstore_client(base: str) -> None:
    graph = Graph(store=SPARQLStore(f"{base}/sparql"))
    rows = list(graph.query(STATES))
    assert [str(r[0]) for r in rows] == EXPECTED  # type: ignore[index]
    count = list(graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    expected_total = sum(len(g) for g in sample_graphs().values())
    assert count[0][0] == Literal(expected_total)  # type: ignore[index]
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True


def test_curl_client(base: str) -> None:
    curl = shutil.which("curl")
    assert curl, "curl is required for this test (apt-get install curl)"
    out = subprocess.run(
        [
            curl,
            "-sS",
            "-f",
            "-H",
            "Accept: application/sparql-results+json",
            "--data-urlencode",
            f"query={STATES}",
            f"{base}/sparql",
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    assert [b["s"]["value"] for b in json.loads(out.stdout)["results"]["bindings"]] == EXPECTED
    out = subprocess.run(
        [
            curl,
            "-sS",
            "-f",
            "-H",
            "Accept: text/csv",
            "-G",
            "--data-urlencode",
            f"query={STATES}",
            f"{base}/sparql",
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    assert out.stdout.decode().splitlines()[1] == EXPECTED[0]


def test_answers_are_kept_until_the_next_write(fresh_client: httpx.Client, store: Store) -> None:
    """Embedded: a repeated query is answered from the cache with the same ETag, 304 for a
    client that holds it; a write changes the answer at once. Remote: never cached."""
    client = fresh_client
    direct = {"Content-Type": "application/sparql-query", "Accept": "application/json"}
    first = client.post("/sparql", content=STATES, headers=direct)
    again = client.post("/sparql", content=STATES, headers=direct)
    assert _states(first) == _states(again) == EXPECTED
    if store.kind == "remote":
        assert "ETag" not in first.headers
        return
    etag = first.headers["ETag"]
    assert again.headers["ETag"] == etag and again.content == first.content
    held = client.post("/sparql", content=STATES, headers={**direct, "If-None-Match": etag})
    assert held.status_code == 304 and held.content == b""
    assert held.headers["ETag"] == etag
    other = client.post("/sparql", content=STATES, headers={**direct, "If-None-Match": '"x"'})
    assert other.status_code == 200
    as_csv = client.post("/sparql", content=STATES, headers={**direct, "Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.headers["ETag"] != etag

    store.delete_graph(G2)  # a write: the States of G2 are gone
    after = client.post("/sparql", content=STATES, headers={**direct, "If-None-Match": etag})
    assert after.status_code == 200 and after.headers["ETag"] != etag
    assert _states(after) == []


def test_an_answer_that_differs_between_runs_is_never_kept(client: httpx.Client) -> None:
    """Fresh identifiers (and the time, random values, other endpoints) are computed anew."""
    query = "SELECT (STRUUID() AS ?id) WHERE {}"
    headers = {"Accept": "application/sparql-results+json"}
    ids = {
        client.get("/sparql", params={"query": query}, headers=headers).json()["results"][
            "bindings"
        ][0]["id"]["value"]
        for _ in range(3)
    }
    assert len(ids) == 3


def test_refusals_are_never_kept(fresh_client: httpx.Client, store: Store) -> None:
    deep = "SELECT * WHERE " + "{" * 60 + "}" * 60
    for _ in range(2):
        r = fresh_client.get("/sparql", params={"query": deep})
        assert r.status_code == 400 and "ETag" not in r.headers
