"""Resolvable IRIs: GET on an entity's path under the base IRI, HTML or RDF by Accept."""

from __future__ import annotations

import httpx
from publish_support import BASE, parse_quads
from rdflib import URIRef
from rdflib.namespace import RDFS

CCM = "https://ccm-kg.org/ontology#"
ECU = URIRef(f"{BASE}id/state/ECU")
HOLDING = URIRef(f"{BASE}id/holding/0123456789abcdef")
PASSAGE = f"{BASE}id/doc/aaaa1111aaaa1111/passage/120-168"


def _get(url: str, accept: str) -> httpx.Response:
    return httpx.get(url, headers={"Accept": accept}, timeout=30)


def test_state_as_turtle_and_jsonld(base_url: str) -> None:
    for accept, fmt in (("text/turtle", "ttl"), ("application/ld+json", "jsonld")):
        r = _get(f"{base_url}/id/state/ECU", accept)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith(accept)
        assert "accept" in r.headers["vary"].lower()
        g = parse_quads(r.content, fmt)[""]
        assert str(g.value(ECU, RDFS.label)) == "Ecuador"
        # Facts pointing at the State come with it (symmetric description).
        assert (HOLDING, URIRef(CCM + "holder"), ECU) in g


def test_state_page_lists_facts_and_sources_escaped(base_url: str) -> None:
    r = _get(f"{base_url}/id/state/ECU", "text/html")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "Ecuador" in html
    assert "/id/holding/0123456789abcdef" in html  # the fact, linked on this server
    assert "Minutes of a Coordination Committee meeting" in html  # its source document
    assert "5.1 Universalization (Ecuador &amp; Zambia) &lt;script&gt;" in html
    assert "<script>alert" not in html


def test_passage_carries_its_selectors(base_url: str) -> None:
    r = _get(f"{base_url}/id/doc/aaaa1111aaaa1111/passage/120-168", "text/turtle")
    assert r.status_code == 200
    g = parse_quads(r.content, "ttl")[""]
    quote = URIRef(PASSAGE + "#quote")
    exact = g.value(quote, URIRef("http://www.w3.org/ns/oa#exact"))
    assert str(exact).startswith("5.1 Universalization")
    assert (HOLDING, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), URIRef(PASSAGE)) in g


def test_document_and_person_pages(base_url: str) -> None:
    doc = _get(f"{base_url}/id/doc/bbbb2222bbbb2222", "text/html")
    assert doc.status_code == 200
    assert "Working paper" in doc.text
    person = _get(f"{base_url}/id/person/jane-doe", "text/html")
    assert person.status_code == 200
    assert "Jane Doé" in person.text
    assert "Ms. Jane Doe (Ecuador)" in person.text  # the quote of its source passage


def test_unknown_entity_is_404_and_bad_accept_406(base_url: str) -> None:
    missing = _get(f"{base_url}/id/state/ZZZ", "text/turtle")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not-found"
    assert f"{BASE}id/state/ZZZ" in missing.json()["message"]
    refused = _get(f"{base_url}/id/state/ECU", "application/pdf")
    assert refused.status_code == 406
    assert "text/turtle" in refused.json()["hint"]
