"""Hostile SPARQL on /sparql: refused or bounded, never a crash, and never an outbound request.

The server runs in its own process (`child`): a query that crashed the engine would kill it,
and `assert_serving` after each request would see that. A local listening socket (`sentinel`)
stands for every address a query could make the server contact; it must see no connection.
Metadata addresses (169.254.169.254) are named but never reachable from here: the proof for
them is the refusal before any engine sees the query.
"""

from __future__ import annotations

import socket
from urllib.parse import quote

import httpx
import pytest

from devtools.rel_support import OutboundSentinel
from tests.reliability.conftest import Child

JSON = "application/sparql-results+json"
METADATA = [
    "http://169.254.169.254/latest/meta-data/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://[fd00:ec2::254]/latest/meta-data/",
]


def _get(child: Child, query: str, **params: str) -> httpx.Response:
    return httpx.get(
        f"{child.base}/sparql", params={"query": query, **params}, headers={"Accept": JSON},
        timeout=60,
    )  # fmt: skip


def _post(child: Child, body: bytes | str, content_type: str) -> httpx.Response:
    return httpx.post(
        f"{child.base}/sparql", content=body, headers={"Content-Type": content_type,
        "Accept": JSON}, timeout=60,
    )  # fmt: skip


def _refused(r: httpx.Response, child: Child, *statuses: int) -> dict[str, str]:
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    if statuses:
        assert r.status_code in statuses, (r.status_code, r.text[:300])
    body = r.json()
    assert body["code"] and body["message"], body
    child.assert_serving()
    return body  # type: ignore[no-any-return]


UPDATES = [
    "INSERT DATA { <https://x.example/a> <https://x.example/b> <https://x.example/c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DROP ALL",
    "CLEAR DEFAULT",
    "CREATE GRAPH <https://x.example/g>",
    "WITH <https://ccm-kg.org/graph/ontology> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "PREFIX x: <https://x.example/>\n# SELECT * WHERE {}\nDROP ALL",
    "  drop   all  ",
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_in_every_envelope(child: Child, update: str) -> None:
    _refused(_get(child, update), child, 400)
    _refused(httpx.get(f"{child.base}/sparql", params={"update": update}), child, 400)
    _refused(_post(child, update, "application/sparql-update"), child)
    _refused(_post(child, update, "application/sparql-query"), child, 400)
    form = httpx.post(f"{child.base}/sparql", data={"update": update}, timeout=60)
    _refused(form, child, 400)


def test_load_is_refused_and_fetches_nothing(child: Child, sentinel: OutboundSentinel) -> None:
    for update in (f"LOAD <{sentinel.url}>", f"LOAD SILENT <{sentinel.url}> INTO GRAPH <urn:g>"):
        _refused(_get(child, update), child, 400)
        _refused(_post(child, update, "application/sparql-update"), child)
        _refused(httpx.post(f"{child.base}/sparql", data={"update": update}), child, 400)
    assert sentinel.connections() == 0


def _service_queries(target: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ {{ SELECT * WHERE {{ SERVICE <{target}> "
        "{ ?s ?p ?o } } } } } } LIMIT 1",
        f"ASK {{ SERVICE <{target}> {{ }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX t: <{target}>\nSELECT * WHERE {{ SERVICE t: {{ ?s ?p ?o }} }}",
        f'SELECT * WHERE {{ BIND(IRI("{target}") AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}',
    ]


def test_service_to_localhost_is_refused(child: Child, sentinel: OutboundSentinel) -> None:
    for query in _service_queries(sentinel.url):
        _refused(_get(child, query), child, 400)
        _refused(_post(child, query, "application/sparql-query"), child, 400)
    assert sentinel.connections(wait_s=1.0) == 0


@pytest.mark.parametrize("target", METADATA)
def test_service_to_metadata_addresses_is_refused(child: Child, target: str) -> None:
    for query in _service_queries(target):
        body = _refused(_get(child, query), child, 400)
        assert "SERVICE" in body["message"]


def test_dataset_clauses_never_read_files_or_urls(child: Child, sentinel: OutboundSentinel) -> None:
    """FROM/FROM NAMED and the protocol's graph parameters name graphs; they are never fetched."""
    queries = [
        "SELECT * WHERE { ?s ?p ?o } LIMIT 5",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o } LIMIT 5",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 5",
        f"SELECT * FROM <{sentinel.url}> WHERE {{ ?s ?p ?o }} LIMIT 5",
        f"SELECT * FROM NAMED <{sentinel.url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 5",
        "CONSTRUCT { ?s ?p ?o } FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "DESCRIBE <file:///etc/passwd>",
    ]
    for query in queries[1:]:
        r = _get(child, query)
        assert r.status_code < 500, r.text[:300]
        assert "root:" not in r.text
        child.assert_serving()
    for name, value in (
        ("default-graph-uri", "file:///etc/passwd"),
        ("named-graph-uri", "file:///etc/passwd"),
        ("default-graph-uri", sentinel.url),
        ("named-graph-uri", sentinel.url),
    ):
        r = _get(child, queries[0], **{name: value})
        assert r.status_code < 500 and "root:" not in r.text, r.text[:300]
        if r.status_code == 200:
            assert r.json()["results"]["bindings"] == []  # an unknown graph is empty
    assert sentinel.connections(wait_s=1.0) == 0


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p ?o } LIMIT 18446744073709551615",
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 1000000000000",
        "SELECT * WHERE { ?s ?p ?o } OFFSET 99999999999999 LIMIT 99999999999999",
        "SELECT * WHERE { ?s ?p ?o } LIMIT 999999999999999999999999999999",
    ],
    ids=["u64-max", "cartesian-huge-limit", "huge-offset", "beyond-u64"],
)
def test_huge_limits_are_bounded(child: Child, query: str) -> None:
    """Answered with at most the row cap (flagged as truncated), cut at the time limit, or
    refused; never an unbounded answer."""
    r = _get(child, query)
    if r.status_code == 200:
        rows = r.json()["results"]["bindings"]
        assert len(rows) <= 10_000
        if len(rows) == 10_000:
            assert r.headers.get("x-ccmkg-truncated") == "true"
    elif r.status_code == 503:
        assert r.json()["code"] == "query-timeout"
    else:
        _refused(r, child)
    child.assert_serving()


EXPENSIVE = {
    "cartesian": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "unbounded-path": "SELECT (COUNT(*) AS ?n) WHERE { ?s (<urn:x:p>|!<urn:x:p>)* ?o . "
    "?x (<urn:x:q>|!<urn:x:q>)* ?z }",
    "regex-blowup": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f "
    'FILTER(REGEX(CONCAT(STR(?c), STR(?f)), "^(a|aa)+$")) }',
}


@pytest.mark.parametrize("name", sorted(EXPENSIVE))
def test_expensive_queries_are_cut_at_the_time_limit(child: Child, name: str) -> None:
    r = _get(child, EXPENSIVE[name])
    assert r.status_code == 503, (r.status_code, r.text[:300])
    body = r.json()
    assert body["code"] == "query-timeout"
    assert "time limit" in body["message"]
    child.assert_serving()


def _deep(depth: int) -> dict[str, str]:
    return {
        "braces": "SELECT * WHERE " + "{ " * depth + "?s ?p ?o " + "} " * depth,
        "parens": "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * depth + "1" + ")" * depth + ") }",
        "negation": "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * depth + "true) }",
        "blank-nodes": "SELECT * WHERE { ?s <urn:p> "
        + "[ <urn:p> " * depth
        + "?o"
        + " ]" * depth
        + " }",
        "path": "SELECT * WHERE { ?s " + "(" * depth + "<urn:p>" + ")*" * depth + " ?o }",
        "subqueries": "SELECT * WHERE { "
        + "{ SELECT * WHERE " * depth
        + "{ ?s ?p ?o }"
        + " }" * depth
        + " }",
        "optional": "SELECT * WHERE { ?s ?p ?o "
        + "OPTIONAL { ?s ?p ?o " * depth
        + "}" * depth
        + " }",
        "unclosed": "SELECT * WHERE " + "{ " * depth,
    }


@pytest.mark.parametrize("shape", sorted(_deep(1)))
@pytest.mark.parametrize("depth", [3_000, 20_000])
def test_deep_nesting_is_refused_before_the_engine(child: Child, shape: str, depth: int) -> None:
    """pyoxigraph crashes the whole process at ~2,500 levels: refused before parsing."""
    query = _deep(depth)[shape]
    r = _post(child, query, "application/sparql-query")
    _refused(r, child, 400, 413)


def test_megabyte_queries_are_refused(child: Child) -> None:
    mb = 1024 * 1024
    padding = "#" + "x" * mb + "\n"
    big_values = "SELECT * WHERE { VALUES ?x { " + "<urn:x> " * (mb // 8) + "} }"
    for query in (padding + "SELECT * WHERE { ?s ?p ?o } LIMIT 1", big_values):
        _refused(_post(child, query, "application/sparql-query"), child, 413)
        form = httpx.post(f"{child.base}/sparql", data={"query": query}, timeout=60)
        _refused(form, child, 413)
    # A megabyte URL (httpx refuses to send one, so a raw socket does): refused by the HTTP
    # layer or the endpoint, or the connection is closed; never served, never a crash.
    status = _raw_get(child, "/sparql?query=" + quote(padding + "ASK {}"))
    assert status is None or 400 <= status < 500, status
    child.assert_serving()


def _raw_get(child: Child, target: str) -> int | None:
    """Send one GET over a plain socket; the status code, or None if the server hung up."""
    host, port = child.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        try:
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        except OSError:
            return None
        head = sock.recv(64)
    parts = head.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"\xff\xfeS\x00E\x00L\x00", "application/sparql-query"),
        (b"query=%FF%FE", "application/x-www-form-urlencoded"),
        (b"SELECT * WHERE {}", "application/sparql-query; charset=latin-1"),
        (b"SELECT * WHERE {}", "text/plain"),
        (b"", "application/sparql-query"),
        (b"query=ASK{}&query=ASK{}", "application/x-www-form-urlencoded"),
        (b"\x00" * 100, "application/sparql-query"),
    ],
    ids=["utf16", "bad-percent", "latin1", "text-plain", "empty", "two-queries", "nul"],
)
def test_malformed_requests_are_4xx(child: Child, body: bytes, content_type: str) -> None:
    _refused(_post(child, body, content_type), child)


def test_no_get_endpoint_fetches_a_url_it_is_given(
    child: Child, sentinel: OutboundSentinel
) -> None:
    """Every GET operation of the OpenAPI schema, with the sentinel URL in every parameter."""
    spec = httpx.get(f"{child.base}/openapi.json").json()
    calls = 0
    for path, ops in spec["paths"].items():
        op = ops.get("get")
        if op is None:
            continue
        params = {p["name"]: sentinel.url for p in op.get("parameters", []) if p["in"] == "query"}
        url = path
        for p in op.get("parameters", []):
            if p["in"] == "path":
                url = url.replace("{" + p["name"] + "}", sentinel.url.replace("/", "%2F"))
        r = httpx.get(f"{child.base}{url}", params=params, timeout=60)
        assert r.status_code < 500, (path, r.status_code, r.text[:300])
        calls += 1
    assert calls >= 10
    assert sentinel.connections(wait_s=1.0) == 0
    child.assert_serving()
