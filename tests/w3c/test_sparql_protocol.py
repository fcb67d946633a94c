"""The W3C SPARQL 1.1 Protocol tests (sparql11-protocol/manifest.ttl) against the live /sparql.

Each manifest entry is a sequence of HTTP requests with expected status, format and boolean;
paths starting /sparql/ are sent to the server under test. Runs on both store backends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from ccmkg.settings import Settings
from ccmkg.store import Store
from devtools.server import serve_app

pytestmark = pytest.mark.slow  # the W3C suites run in CI, not in the fast loop

HERE = Path(__file__).parent / "sparql11-protocol"
MANIFEST = HERE / "manifest.ttl"
BASE = MANIFEST.as_uri()

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
M = Namespace("http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#")

_UPDATE_ONLY = "needs SPARQL Update; /sparql is a read-only query endpoint (updates get 400)"
# The one place that lists manifest entries we do not run, with the reason.
NOT_APPLICABLE: dict[str, str] = {
    "update_dataset_default_graph": _UPDATE_ONLY,
    "update_dataset_default_graphs": _UPDATE_ONLY,
    "update_dataset_named_graphs": _UPDATE_ONLY,
    "update_dataset_full": _UPDATE_ONLY,
    "update_post_form": _UPDATE_ONLY,
    "update_post_direct": _UPDATE_ONLY,
    "update_base_uri": _UPDATE_ONLY,
}

STATUS_CLASS = {
    HTS.StatusCode2xx: 2,
    HTS.StatusCode3xx: 3,
    HTS.StatusCode4xx: 4,
    HTS.StatusCode5xx: 5,
}
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"}


def _manifest() -> Graph:
    return Graph().parse(MANIFEST, format="turtle", publicID=BASE)


MANIFEST_GRAPH = _manifest()


def entries() -> list[str]:
    """Local names of the manifest entries, in manifest order."""
    head = MANIFEST_GRAPH.value(URIRef(BASE), MF.entries)
    return [str(e).rsplit("#", 1)[1] for e in Collection(MANIFEST_GRAPH, head)]  # type: ignore[arg-type]


RUN = [e for e in entries() if e not in NOT_APPLICABLE]


def test_every_entry_is_run_or_listed() -> None:
    names = entries()
    assert len(names) == 34
    assert set(NOT_APPLICABLE) <= set(names), set(NOT_APPLICABLE) - set(names)
    assert sorted(RUN + list(NOT_APPLICABLE)) == sorted(names)


def _graph_data(test: URIRef) -> dict[str, Graph]:
    graphs = {}
    for node in MANIFEST_GRAPH.objects(test, UT.graphData):
        source = MANIFEST_GRAPH.value(node, UT.graph)
        name = MANIFEST_GRAPH.value(node, RDFS.label)
        path = HERE / str(source).rsplit("/", 1)[1]
        graphs[str(name)] = Graph().parse(path, format="nt")
    return graphs


def _requests(test: URIRef) -> list[dict[str, Any]]:
    action = MANIFEST_GRAPH.value(test, MF.action)
    head = MANIFEST_GRAPH.value(action, HT.requests)
    out = []
    for req in Collection(MANIFEST_GRAPH, head):  # type: ignore[arg-type]
        headers: dict[str, str] = {}
        hlist = MANIFEST_GRAPH.value(req, HT.headers)
        if hlist is not None:
            for h in Collection(MANIFEST_GRAPH, hlist):  # type: ignore[arg-type]
                name = str(MANIFEST_GRAPH.value(h, HT.fieldName))
                headers[name] = str(MANIFEST_GRAPH.value(h, HT.fieldValue))
        body_node = MANIFEST_GRAPH.value(req, HT.body)
        body = None
        if body_node is not None:
            chars = str(MANIFEST_GRAPH.value(body_node, CNT.chars))
            encoding = str(MANIFEST_GRAPH.value(body_node, CNT.characterEncoding) or "UTF-8")
            body = chars.encode(encoding)
        resp = MANIFEST_GRAPH.value(req, HT.resp)
        expected_bool = MANIFEST_GRAPH.value(resp, MF.expectedBoolean)
        fmt = MANIFEST_GRAPH.value(resp, MF.expectedFormat)
        out.append(
            {
                "method": str(MANIFEST_GRAPH.value(req, HT.methodName)),
                "path": str(MANIFEST_GRAPH.value(req, HT.absolutePath)),
                "headers": headers,
                "body": body,
                "status": {
                    STATUS_CLASS[s] for s in MANIFEST_GRAPH.objects(resp, MF.expectedStatus)
                },
                "boolean": None if expected_bool is None else expected_bool.toPython(),
                "format": None if fmt is None else str(fmt),
            }
        )
    return out


@pytest.fixture
def endpoint(store_settings: Settings, store: Store) -> Iterator[tuple[str, Store]]:
    with serve_app(store_settings, store) as url:
        yield url, store


def _boolean(response: httpx.Response) -> bool:
    media = response.headers["content-type"].split(";")[0]
    if media == "application/sparql-results+json":
        return bool(response.json()["boolean"])
    text = response.text
    assert "<boolean>" in text, text
    return "<boolean>true</boolean>" in text


@pytest.mark.parametrize("name", RUN)
def test_protocol(endpoint: tuple[str, Store], name: str) -> None:
    base, store = endpoint
    test = M[name]
    assert (test, RDF.type, MF.ProtocolTest) in MANIFEST_GRAPH
    graphs = _graph_data(test)
    if graphs:
        store.replace_graphs(graphs)
    for req in _requests(test):
        assert req["path"].startswith("/sparql/")
        url = base + "/sparql" + req["path"][len("/sparql/") - 1 :].removeprefix("/")
        r = httpx.request(
            req["method"], url, headers=req["headers"], content=req["body"], timeout=30
        )
        assert r.status_code // 100 in req["status"], (r.status_code, r.text)
        media = r.headers.get("content-type", "").split(";")[0]
        if req["format"] == "boolean":
            assert media in BOOLEAN_TYPES
        elif req["format"] == "tabular":
            assert media in TABULAR_TYPES
        elif req["format"] == "RDF":
            assert media in RDF_TYPES
            Graph().parse(data=r.content, format=media)
        if req["boolean"] is not None:
            assert _boolean(r) is req["boolean"]
