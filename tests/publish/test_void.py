"""/.well-known/void: a VoID/DCAT description computed from the store, by content negotiation."""

from __future__ import annotations

import httpx
import pytest
from publish_support import BASE, parse_quads, same_graph, sample_dataset
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV

from ccmkg.api.services import described as described_module
from ccmkg.store import Store
from ccmkg.void import DatasetIris

VOID = Namespace("http://rdfs.org/ns/void#")
CCM = Namespace("https://ccm-kg.org/ontology#")
DS = DatasetIris(BASE).dataset


def _void(base_url: str, accept: str) -> httpx.Response:
    return httpx.get(f"{base_url}/.well-known/void", headers={"Accept": accept}, timeout=30)


def test_void_counts_classes_graphs_and_sources(base_url: str, loaded: Store) -> None:
    r = _void(base_url, "text/turtle")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    assert "accept" in r.headers["vary"].lower()
    g = Graph().parse(data=r.text, format="turtle")
    assert (DS, RDF.type, VOID.Dataset) in g
    assert (DS, RDF.type, DCAT.Dataset) in g

    # Expected figures come from the fixture file, read independently of the store.
    fixture = sample_dataset()
    graphs = {str(c.identifier): len(c) for c in fixture.graphs() if len(c)}
    assert g.value(DS, VOID.triples).toPython() == sum(graphs.values())
    assert {str(o) for o in g.objects(DS, VOID.subset)} == set(graphs)
    for name, n in graphs.items():
        assert g.value(URIRef(name), VOID.triples).toPython() == n

    passages = {s for s, _, _, _ in fixture.quads((None, RDF.type, CCM.Passage, None))}
    partitions = {
        g.value(p, VOID["class"]): g.value(p, VOID.entities).toPython()
        for p in g.objects(DS, VOID.classPartition)
    }
    assert partitions[CCM.Passage] == len(passages)
    assert g.value(DS, VOID.classes).toPython() == len(partitions)

    documents = {s for s, _, _, _ in fixture.quads((None, RDF.type, CCM.Document, None))}
    assert set(g.objects(DS, DCTERMS.source)) == documents
    latest = max(
        o.toPython() for _, _, o, _ in fixture.quads((None, PROV.generatedAtTime, None, None))
    )
    assert g.value(DS, DCTERMS.modified).toPython() == latest
    assert g.value(DS, DCTERMS.license) is not None
    assert g.value(DS, DCTERMS.rights) is not None
    assert URIRef(f"{BASE}dump.nq") in set(g.objects(DS, VOID.dataDump))
    assert Literal(f"{BASE}id/") == g.value(DS, VOID.uriSpace)


def test_void_as_jsonld_is_the_same_graph(base_url: str) -> None:
    turtle = Graph().parse(data=_void(base_url, "text/turtle").text, format="turtle")
    r = _void(base_url, "application/ld+json")
    assert r.headers["content-type"].startswith("application/ld+json")
    assert same_graph(turtle, parse_quads(r.content, "jsonld")[""])


def test_void_refuses_what_it_cannot_give(base_url: str) -> None:
    r = _void(base_url, "image/png")
    assert r.status_code == 406
    assert r.json()["code"] == "not-acceptable"
    assert "text/turtle" in r.json()["hint"]


def _triples(base_url: str) -> int:
    g = Graph().parse(data=_void(base_url, "text/turtle").text, format="turtle")
    return int(g.value(DS, VOID.triples).toPython())


def test_the_description_is_computed_once_per_write(
    base_url: str, loaded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2.4 s at 1M triples: the embedded store's description is kept until its next write
    (api/services/described.py); a remote store's data can change behind our back, so it is
    described on every call."""
    calls: list[str] = []
    real = described_module.describe

    def counted(store: Store, base_iri: str) -> Graph:
        calls.append(base_iri)
        return real(store, base_iri)

    monkeypatch.setattr(described_module, "describe", counted)
    first = [_void(base_url, "text/turtle").content for _ in range(3)]
    embedded = isinstance(getattr(loaded, "data_generation", None), int)
    assert len(calls) == (1 if embedded else 3)
    assert len(set(first)) == 1 or not embedded  # kept: the same bytes (blank nodes too)
    _void(base_url, "application/ld+json")
    assert len(calls) == (2 if embedded else 4)


def test_a_write_is_in_the_next_description(base_url: str, loaded: Store) -> None:
    before = _triples(base_url)
    extra = f"{BASE}graph/test-void-extra"
    graph = Graph()
    graph.add((URIRef(f"{BASE}id/thing/x"), RDF.type, CCM.Document))
    loaded.replace_graphs({extra: graph})
    try:
        assert _triples(base_url) == before + 1
    finally:
        loaded.replace_graphs({}, delete=[extra])
    assert _triples(base_url) == before
