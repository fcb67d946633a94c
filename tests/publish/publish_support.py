"""Shared by the publishing tests: the sample dataset, and an independent reader for dumps."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

BASE = "http://example.org/ccm/"
SAMPLE = Path(__file__).parent / "data" / "sample.trig"


def sample_dataset() -> Dataset:
    """The fixture file with its relative IRIs resolved against BASE."""
    ds = Dataset()
    ds.parse(SAMPLE, format="trig", publicID=BASE)
    return ds


def sample_graphs() -> dict[str, Graph]:
    """Named graph IRI → its triples, as the loaders would hand them to the store."""
    out: dict[str, Graph] = {}
    for g in sample_dataset().graphs():
        if len(g):
            copy = Graph()
            for t in g:
                copy.add(t)
            out[str(g.identifier)] = copy
    return out


OX_FORMAT = {
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ttl": ox.RdfFormat.TURTLE,
}


def _term(t: ox.NamedNode | ox.BlankNode | ox.Literal) -> URIRef | BNode | Literal:
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    return Literal(t.value, datatype=URIRef(t.datatype.value))


def parse_quads(body: bytes, fmt: str) -> dict[str, Graph]:
    """Named graph → triples, parsed by pyoxigraph (an independent reader)."""
    graphs: dict[str, Graph] = {}
    for q in ox.parse(body, OX_FORMAT[fmt]):
        name = "" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        graphs.setdefault(name, Graph()).add(
            (_term(q.subject), _term(q.predicate), _term(q.object))
        )
    return graphs


def _plain(term: URIRef | BNode | Literal) -> URIRef | BNode | Literal:
    """RDF 1.1: "x" and "x"^^xsd:string are one term; rdflib keeps them apart."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def same_graph(a: Graph, b: Graph) -> bool:
    """Isomorphic as RDF 1.1 graphs."""
    return isomorphic(*(_normal(g) for g in (a, b)))


def _normal(g: Graph) -> Graph:
    out = Graph()
    for s, p, o in g:
        out.add((s, p, _plain(o)))  # type: ignore[arg-type]
    return out
