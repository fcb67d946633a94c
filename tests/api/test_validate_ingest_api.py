"""POST /validate and /ingest over real HTTP, on both store backends, with the shipped shapes.

Every refusal checks the store is exactly as before (all quads, graph names included).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import pytest
from pydantic import SecretStr
from rdflib import RDF, Graph, Literal

from ccmkg.rdf_input import TURTLE, parse_rdf
from ccmkg.settings import Settings
from ccmkg.store import Store
from ccmkg.validation import SH
from devtools.server import serve_app

TOKEN = "s3cret-token"
P = """@prefix ccm: <https://ccm-kg.org/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""
FAMILY = P + (
    '<https://ccm-kg.org/id/family/cc_minutes> a ccm:DocumentFamily ; rdfs:label "CC"@en .'
)
DOC = (
    P
    + f"""<https://ccm-kg.org/id/document/up1> a ccm:Document ; ccm:sha256 "{"a" * 64}" ;
  ccm:fileName "up1.txt" ; dcterms:date "2016-01-01"^^xsd:date ;
  ccm:documentFamily <https://ccm-kg.org/id/family/cc_minutes> ."""
)
BAD_STATE = P + '<https://ccm-kg.org/id/state/XX> a ccm:State ; rdfs:label "X"@en ; ccm:iso3 "fr" .'
GOOD_STATE = (
    P + '<https://ccm-kg.org/id/state/FRA> a ccm:State ; rdfs:label "France"@en ; ccm:iso3 "FRA" .'
)
TTL = {"Content-Type": "text/turtle"}
AUTH = {**TTL, "Authorization": f"Bearer {TOKEN}"}


def snapshot(store: Store) -> bytes:
    return b"\n".join(sorted(store.dump_nquads().splitlines()))


def seed(store: Store, ttl: str, graph: str = "https://ccm-kg.org/graph/seed") -> None:
    store.replace_graphs({graph: parse_rdf(ttl.encode(), TURTLE).graph})


@pytest.fixture
def api(store_settings: Settings, store: Store) -> Iterator[tuple[httpx.Client, Store]]:
    settings = store_settings.model_copy(
        update={"ingest_token": SecretStr(TOKEN), "max_upload_bytes": 4000}
    )
    with serve_app(settings, store) as base, httpx.Client(base_url=base, timeout=60) as client:
        yield client, store


@pytest.fixture
def api_no_token(store_settings: Settings, store: Store) -> Iterator[tuple[httpx.Client, Store]]:
    with serve_app(store_settings, store) as base, httpx.Client(base_url=base, timeout=60) as c:
        yield c, store


# --- POST /validate ---------------------------------------------------------------------------


def test_validate_json_report(api: tuple[httpx.Client, Store]) -> None:
    client, store = api
    before = snapshot(store)
    r = client.post("/validate", content=BAD_STATE, headers=TTL)
    assert r.status_code == 200
    body = r.json()
    assert body["conforms"] is False
    assert body["counts"] == {"Violation": 1, "Warning": 0, "Info": 0}
    (res,) = body["results"]
    assert res["focus"] == "https://ccm-kg.org/id/state/XX"
    assert res["path"] == "https://ccm-kg.org/ontology#iso3"
    assert res["value"] == "fr"
    assert res["severity"] == "Violation"
    assert res["shape"].startswith("https://ccm-kg.org/shapes#")
    assert "ISO 3166-1" in res["message"]
    assert snapshot(store) == before


def test_validate_turtle_report(api: tuple[httpx.Client, Store]) -> None:
    client, _ = api
    r = client.post("/validate", content=BAD_STATE, headers={**TTL, "Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    (report,) = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(report, SH.conforms) == Literal(False)
    assert len(list(g.objects(report, SH.result))) == 1
    assert (
        client.post(
            "/validate", content=BAD_STATE, headers={**TTL, "Accept": "image/png"}
        ).status_code
        == 406
    )


def test_validate_other_syntaxes(api: tuple[httpx.Client, Store]) -> None:
    client, _ = api
    nt = parse_rdf(GOOD_STATE.encode(), TURTLE).ntriples
    r = client.post("/validate", content=nt, headers={"Content-Type": "application/n-triples"})
    assert r.json()["conforms"] is True
    doc = {
        "@id": "https://ccm-kg.org/id/state/XX",
        "@type": "https://ccm-kg.org/ontology#State",
        "https://ccm-kg.org/ontology#iso3": "fr",
        "http://www.w3.org/2000/01/rdf-schema#label": "X",
    }
    r = client.post(
        "/validate", content=json.dumps(doc), headers={"Content-Type": "application/ld+json"}
    )
    assert r.json()["counts"]["Violation"] == 1


def test_validate_uses_the_stores_context(api: tuple[httpx.Client, Store]) -> None:
    """A document whose family exists only in the store validates; without it, it does not."""
    client, store = api
    assert client.post("/validate", content=DOC, headers=TTL).json()["conforms"] is False
    seed(store, FAMILY)
    before = snapshot(store)
    assert client.post("/validate", content=DOC, headers=TTL).json() | {"engine": None} == {
        "conforms": True,
        "counts": {"Violation": 0, "Warning": 0, "Info": 0},
        "results": [],
        "engine": None,
    }
    assert snapshot(store) == before


def test_validate_refusals(api: tuple[httpx.Client, Store]) -> None:
    client, store = api
    seed(store, GOOD_STATE)
    before = snapshot(store)
    r = client.post(
        "/validate", content=GOOD_STATE, headers={"Content-Type": "application/rdf+xml"}
    )
    assert (r.status_code, r.json()["code"]) == (415, "unsupported-media-type")
    r = client.post("/validate", content=GOOD_STATE)  # no Content-Type at all
    assert r.status_code == 415
    r = client.post("/validate", content=P + "<https://a> <https://b> .\n", headers=TTL)
    assert r.status_code == 400
    assert (r.json()["code"], r.json()["line"], r.json()["column"]) == ("rdf-syntax", 5, 25)
    r = client.post("/validate", content=GOOD_STATE + "#" + "x" * 4000, headers=TTL)
    assert (r.status_code, r.json()["code"]) == (413, "payload-too-large")
    assert snapshot(store) == before


@pytest.fixture
def watched_url() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server serving an ontology that would break validation; counts requests."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.end_headers()
            self.wfile.write(BAD_STATE.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/onto.ttl", hits
    finally:
        server.shutdown()
        server.server_close()


def test_owl_imports_and_remote_contexts_are_not_fetched(
    api: tuple[httpx.Client, Store], watched_url: tuple[str, list[str]]
) -> None:
    client, _ = api
    url, hits = watched_url
    body = (
        GOOD_STATE
        + f"\n<https://ccm-kg.org/id/x> <http://www.w3.org/2002/07/owl#imports> <{url}> ."
    )
    assert client.post("/validate", content=body, headers=TTL).json()["conforms"] is True
    doc = json.dumps({"@context": url, "@id": "https://ccm-kg.org/id/x"})
    r = client.post("/validate", content=doc, headers={"Content-Type": "application/ld+json"})
    assert (r.status_code, r.json()["code"]) == (400, "rdf-syntax")
    assert hits == []


# --- /ingest -------------------------------------------------------------------------------------


def test_ingest_disabled_without_a_token(api_no_token: tuple[httpx.Client, Store]) -> None:
    client, store = api_no_token
    before = snapshot(store)
    r = client.post("/ingest", content=GOOD_STATE, headers={**TTL, "Authorization": "Bearer x"})
    assert (r.status_code, r.json()["message"]) == (403, "ingest disabled")
    assert client.delete("/ingest/" + "0" * 32).status_code == 403
    assert snapshot(store) == before


@pytest.mark.parametrize("auth", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_ingest_wrong_or_missing_token(api: tuple[httpx.Client, Store], auth: str | None) -> None:
    client, store = api
    before = snapshot(store)
    headers = {**TTL, **({"Authorization": auth} if auth else {})}
    r = client.post("/ingest", content=GOOD_STATE, headers=headers)
    assert (r.status_code, r.json()["code"]) == (401, "unauthorized")
    assert snapshot(store) == before


def test_ingest_violations_write_nothing(api: tuple[httpx.Client, Store]) -> None:
    client, store = api
    seed(store, FAMILY)
    before = snapshot(store)
    r = client.post("/ingest", content=BAD_STATE, headers=AUTH, params={"note": "n"})
    assert r.status_code == 422
    assert r.json()["code"] == "not-conformant"
    assert r.json()["report"]["counts"]["Violation"] == 1
    for bad, status in ((P + "<https://a> <https://b> .", 400), ("x" * 5000, 413)):
        assert client.post("/ingest", content=bad, headers=AUTH).status_code == status
    assert (
        client.post(
            "/ingest", content=GOOD_STATE, headers={**AUTH, "Content-Type": "text/n3"}
        ).status_code
        == 415
    )
    assert snapshot(store) == before
    assert client.get("/ingest").json() == {"submissions": []}


def test_ingest_list_delete_roundtrip(api: tuple[httpx.Client, Store]) -> None:
    client, store = api
    seed(store, FAMILY)
    before = snapshot(store)
    r = client.post(
        "/ingest",
        content=DOC,
        headers=AUTH,
        params={"note": "from the 2016 archive", "submitter": "steward"},
    )
    assert r.status_code == 201, r.text
    sub = r.json()
    assert sub["graph"] == f"https://ccm-kg.org/graph/upload/{sub['id']}"
    assert r.headers["location"] == f"/ingest/{sub['id']}"
    graphs = store.graphs()
    assert graphs[sub["graph"]] == len(parse_rdf(DOC.encode(), TURTLE).graph)
    assert sub["graph"] + "/provenance" in graphs
    (listed,) = client.get("/ingest").json()["submissions"]
    assert listed | {"time": None} == {
        "id": sub["id"],
        "graph": sub["graph"],
        "submitter": "steward",
        "note": "from the 2016 archive",
        "sha256": hashlib.sha256(DOC.encode()).hexdigest(),
        "triples": graphs[sub["graph"]],
        "time": None,
    }
    assert listed["time"] == sub["time"] and sub["time"].endswith("Z")
    # DELETE: wrong token and unknown ids change nothing; the right one removes both graphs.
    after = snapshot(store)
    assert (
        client.delete(f"/ingest/{sub['id']}", headers={"Authorization": "Bearer no"}).status_code
        == 401
    )
    assert client.delete("/ingest/" + "f" * 32, headers=AUTH).status_code == 404
    assert client.delete("/ingest/../seed", headers=AUTH).status_code == 404
    assert snapshot(store) == after
    assert client.delete(f"/ingest/{sub['id']}", headers=AUTH).status_code == 204
    assert snapshot(store) == before
    assert client.get("/ingest").json() == {"submissions": []}
