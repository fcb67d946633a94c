"""/ontology, /shapes and /context.jsonld: documentation for people, RDF for machines."""

from __future__ import annotations

import json

import httpx
import pyoxigraph as ox
import pytest
from publish_support import parse_quads, same_graph
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from ccmkg.api.linking import api_context
from ccmkg.resources import ontology_file, shape_files

CCM = "https://ccm-kg.org/ontology#"


def _get(url: str, accept: str | None = None, **params: str) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    return httpx.get(url, headers=headers, params=params, timeout=60)


def test_ontology_html_is_generated_from_the_ontology(docs_url: str) -> None:
    r = _get(f"{docs_url}/ontology", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "accept" in r.headers["vary"].lower()
    onto = Graph().parse(ontology_file())
    # Every class of the ontology is documented, by its label.
    for cls in onto.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")):
        if str(cls).startswith(CCM):
            label = str(onto.value(cls, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
            assert label in r.text, label


@pytest.mark.parametrize(
    ("accept", "fmt"), [("text/turtle", "ttl"), ("application/ld+json", "jsonld")]
)
def test_ontology_as_rdf(docs_url: str, accept: str, fmt: str) -> None:
    r = _get(f"{docs_url}/ontology", accept)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(accept)
    assert same_graph(parse_quads(r.content, fmt)[""], Graph().parse(ontology_file()))


def test_ontology_format_parameter_and_406(docs_url: str) -> None:
    assert (
        _get(f"{docs_url}/ontology", format="ttl").headers["content-type"].startswith("text/turtle")
    )
    for r in (
        _get(f"{docs_url}/ontology", "application/pdf"),
        _get(f"{docs_url}/ontology", format="pdf"),
    ):
        assert r.status_code == 406
        assert r.json()["code"] == "not-acceptable"


def _shapes() -> Graph:
    g = Graph()
    for path in shape_files():
        g.parse(path, format="turtle")
    return g


def test_shapes_html_and_rdf(docs_url: str) -> None:
    expected = _shapes()
    html = _get(f"{docs_url}/shapes", "text/html")
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    for path in expected.objects(None, SH.path):
        if isinstance(path, URIRef) and str(path).startswith(CCM):
            assert f"ccm:{str(path)[len(CCM) :]}" in html.text
    for accept, fmt in (("text/turtle", "ttl"), ("application/ld+json", "jsonld")):
        r = _get(f"{docs_url}/shapes", accept)
        assert r.status_code == 200
        assert same_graph(parse_quads(r.content, fmt).get("", Graph()), expected)
    assert _get(f"{docs_url}/shapes", "application/xml").status_code == 406


def test_context_is_served_as_jsonld(docs_url: str) -> None:
    r = _get(f"{docs_url}/context.jsonld")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/ld+json")
    assert r.json() == json.loads(json.dumps(api_context()))
    # Its own body carries the context: the Link header is only for plain JSON.
    assert "link" not in r.headers


def test_json_responses_link_the_context(docs_url: str) -> None:
    r = _get(f"{docs_url}/health")
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["link"] == (
        '</context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'
    )


def _expand(doc: dict) -> set[tuple[str, str, str]]:
    """Triples of a REST-shaped JSON document read with the served context (pyoxigraph)."""
    body = json.dumps({**api_context(), **doc}).encode()
    return {
        (getattr(q.subject, "value", str(q.subject)), q.predicate.value, str(q.object))
        for q in ox.parse(body, ox.RdfFormat.JSON_LD)
    }


def test_context_maps_rest_fields_to_ontology_terms() -> None:
    # The shape of GET /coordinators (issue 5), with invented values.
    doc = {
        "items": [
            {
                "id": "http://example.org/ccm/id/holding/1",
                "area": {"id": CCM + "Universalization", "slug": "universalization", "label": "U"},
                "state": {
                    "id": "http://example.org/ccm/id/state/ECU",
                    "iso3": "ECU",
                    "type": "state",
                },
                "start": "2016-01-01",
                "end": "2017-12-31",
                "attested": ["2016-05-26"],
                "role": "president",
                "sources": [
                    {
                        "id": "http://example.org/ccm/id/doc/a/passage/1-9",
                        "document": {"id": "http://example.org/ccm/id/doc/a", "title": "T"},
                        "section": "5.1",
                        "quote": "q",
                        "start": 1,
                        "end": 9,
                    }
                ],
            }
        ],
        "count": 1,
    }
    triples = _expand(doc)
    preds = {p for _, p, _ in triples}
    holding = "http://example.org/ccm/id/holding/1"
    passage = "http://example.org/ccm/id/doc/a/passage/1-9"
    assert (holding, CCM + "holder", "<http://example.org/ccm/id/state/ECU>") in triples
    assert (holding, CCM + "coversArea", f"<{CCM}Universalization>") in triples
    assert (holding, "http://www.w3.org/ns/prov#wasDerivedFrom", f"<{passage}>") in triples
    assert (holding, "http://www.w3.org/ns/org#role", f"<{CCM}President>") in triples
    assert any(s == holding and p == CCM + "startDate" and "2016-01-01" in o for s, p, o in triples)
    # Inside `sources`, start/end are character offsets, not dates.
    assert any(s == passage and p == "http://www.w3.org/ns/oa#start" for s, p, _ in triples)
    assert not any(s == passage and p == CCM + "startDate" for s, p, _ in triples)
    assert (
        "http://example.org/ccm/id/state/ECU",
        "http://purl.org/dc/terms/type",
        '"state"',
    ) in triples
    assert "http://www.w3.org/ns/hydra/core#member" in preds


def test_every_ccm_term_in_the_context_is_in_the_ontology() -> None:
    onto = Graph().parse(ontology_file())
    defined = {str(s) for s in onto.subjects() if str(s).startswith(CCM)}
    used: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str) and value.startswith("ccm:"):
            used.add(CCM + value[4:])
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)

    walk(api_context())
    assert used, "the context maps no ccm: term"
    assert used <= defined, sorted(used - defined)
