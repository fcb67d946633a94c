"""A small dataset in two named graphs, shaped like the project's data, for store tests."""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

EX = Namespace("https://example.org/")
G1 = "https://example.org/graph/one"
G2 = "https://example.org/graph/two"


def sample_graphs() -> dict[str, Graph]:
    """G1: three meetings with dates and labels; G2: who attended which meeting."""
    one, two = Graph(), Graph()
    for i, year in enumerate((2011, 2012, 2013), start=1):
        m = EX[f"meeting{i}"]
        one.add((m, RDF.type, EX.Meeting))
        one.add((m, RDFS.label, Literal(f"{i}MSP", lang="en")))
        one.add((m, EX.year, Literal(year)))
        one.add((m, EX.date, Literal(f"{year}-09-1{i}", datatype=XSD.date)))
        one.add((m, EX.note, Literal(f"plain note {i}")))
    for state, meetings in {"Norway": (1, 2, 3), "Chile": (1, 3), "Laos": (2,)}.items():
        s = EX[state]
        two.add((s, RDF.type, EX.State))
        for i in meetings:
            two.add((s, EX.attended, EX[f"meeting{i}"]))
    return {G1: one, G2: two}


def many_triples(n: int, graph_value: int = 0) -> Graph:
    """n triples `ex:s{i} ex:v graph_value` — large enough to make cross products slow."""
    g = Graph()
    for i in range(n):
        g.add((EX[f"s{i}"], EX.v, Literal(graph_value)))
    return g


SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
"""A cross product that no engine finishes in seconds on a few hundred triples."""

__all__ = ["EX", "G1", "G2", "SLOW_QUERY", "URIRef", "many_triples", "sample_graphs"]
