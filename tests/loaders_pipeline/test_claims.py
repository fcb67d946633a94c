"""The staged graphs' claims kept in memory (`loaders/claims.py`) answer the two conflict
lookups exactly as the queries do over the staging store: on the corpus and the layout
variants (meetings stated twice with other values), their lookup parts and whole texts, and
on awkward graphs written here (a value of every kind of literal, a subject without passage
or with two, a literal holding a predicate's IRI)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD
from rdflib.term import Node

from ccmkg.loaders.claims import StagedClaims
from ccmkg.loaders.crossdoc import FUNCTIONAL, QUERY, VALUES_QUERY
from ccmkg.loaders.lookups import lookup_part
from ccmkg.model.terms import CCM
from ccmkg.settings import Settings
from ccmkg.store.embedded import EmbeddedStore, _Dataset, _run
from ccmkg.store.rdfterms import ntriples, to_rdflib
from tests.loaders_pipeline.test_lookups import _graphs

BASE = "https://ccm-kg.org/"
PREFIX = f"{BASE}graph/doc/"


def _corpus_texts(*, part: bool) -> dict[str, str]:
    """Each corpus and variant document's N-Triples, or only its lookup part's."""
    return {
        iri: lookup_part(graph).text if part else ntriples(graph)
        for iri, graph in _graphs().items()
    }


def _index_and_store(texts: dict[str, str]) -> tuple[StagedClaims, ox.Store]:
    index, store = StagedClaims(FUNCTIONAL), ox.Store()
    for g, text in texts.items():
        store.load(text.encode(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(g))
        index.add(g, text)
    return index, store


def _rows(store: ox.Store, query: str, **bound: Node) -> list[ox.QuerySolution]:
    result = _run(store, query, bound, _Dataset(union=True))
    assert isinstance(result, ox.QuerySolutions)
    return list(result)


def _same_answers(texts: dict[str, str]) -> int:
    """Every subject's values and every value's rows, from the index and from the queries;
    returns how many values were compared."""
    index, store = _index_and_store(texts)
    subjects = {
        t.subject.value for t in store.quads_for_pattern(None, None, None) if isinstance(
            t.subject, ox.NamedNode)
    }  # fmt: skip
    compared = 0
    for s in sorted(subjects):
        m = URIRef(s)
        stated = _rows(store, VALUES_QUERY, m=m)
        for p in FUNCTIONAL:
            values = {to_rdflib(r["o"]) for r in stated if r["p"] == ox.NamedNode(str(p))}
            assert index.values(m, p) == values, (s, p)
            for v in values:
                assert v is not None
                rows = {
                    (r["g"].value, to_rdflib(r["passage"]))  # type: ignore[union-attr]
                    for r in _rows(store, QUERY, m=m, p=p, o=v)
                }
                got = index.rows(m, p, v)
                assert set(got) == rows and len(got) == len(rows), (s, p, v)
                compared += 1
    return compared


def test_the_index_answers_as_the_queries_over_the_corpus_and_variants() -> None:
    assert _same_answers(_corpus_texts(part=True)) > 100
    assert _same_answers(_corpus_texts(part=False)) > 100


def test_the_index_answers_as_the_queries_over_awkward_values() -> None:
    m, n = URIRef(f"{BASE}id/meeting/x"), URIRef(f"{BASE}id/meeting/y")
    p1, p2 = URIRef(f"{BASE}id/passage/1"), URIRef(f"{BASE}id/passage/2")
    trap = f"text <{DCTERMS.date}> and <{m}> <{PROV.wasDerivedFrom}> <{p2}> ."
    graphs: dict[str, list[tuple[Node, Node, Node]]] = {
        f"{PREFIX}a": [
            (m, DCTERMS.date, Literal("2016-03-28", datatype=XSD.date)),
            (m, CCM.ordinal, Literal(3)),
            (m, CCM.startTime, Literal("10:00")),
            (m, PROV.wasDerivedFrom, p1),
            (m, PROV.wasDerivedFrom, p2),
            (n, DCTERMS.date, Literal("2016-03-28", datatype=XSD.date)),  # no passage
        ],
        f"{PREFIX}b": [
            (m, DCTERMS.date, Literal("2016-04-28", datatype=XSD.date)),
            (m, CCM.ordinal, Literal("3", datatype=XSD.string)),
            (m, CCM.startTime, Literal("10:00", lang="en")),
            (m, CCM.endDate, Literal(trap)),
            (n, PROV.wasDerivedFrom, p1),
        ],
        f"{BASE}graph/ontology": [(m, CCM.endDate, Literal("2016-04-29", datatype=XSD.date))],
        f"{PREFIX}c": [],
    }
    texts = {g: ntriples(ts) for g, ts in graphs.items()}
    assert _same_answers(texts) >= 8
    index, _ = _index_and_store(texts)
    assert index.rows(m, CCM.ordinal, Literal(3)) == [(f"{PREFIX}a", p1), (f"{PREFIX}a", p2)]
    assert index.rows(n, DCTERMS.date, Literal("2016-03-28", datatype=XSD.date)) == [
        (f"{PREFIX}a", None)
    ]
    index.clear()
    assert index.values(m, DCTERMS.date) == set()


def test_a_store_without_document_graphs_is_not_asked_until_it_is_written(tmp_path: Path) -> None:
    store = EmbeddedStore(Settings(store=str(tmp_path / "store")))
    try:
        index = StagedClaims(FUNCTIONAL)
        onto = f"{BASE}graph/ontology"
        store.add_graphs({onto: [ox.Triple(ox.NamedNode(f"{BASE}x"), ox.NamedNode(
            str(DCTERMS.date)), ox.Literal("2016"))]})  # fmt: skip
        assert not index.store_has_documents(store, PREFIX)
        assert index.store_has_documents(store, f"{BASE}graph/")  # another prefix: asked again
        doc = f"{PREFIX}0123456789abcdef"
        store.add_graphs({doc: [ox.Triple(ox.NamedNode(f"{BASE}y"), ox.NamedNode(
            str(DCTERMS.date)), ox.Literal("2017"))]})  # fmt: skip
        assert index.store_has_documents(store, PREFIX)  # a write: asked again
        assert index.store_has_documents(object(), PREFIX)  # cannot tell: always asked
    finally:
        store.close()
