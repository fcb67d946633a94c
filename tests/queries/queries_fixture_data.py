"""The hand-written fixture graph of the query tests, as named rdflib graphs."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from ccmkg.resources import ontology_file

DATA = Path(__file__).parent / "data"
BASE = "https://ccm-kg.org/"


@cache
def fixture_graphs() -> dict[str, Graph]:
    """The fixture's named graphs, plus the ontology graph (labels of areas and roles)."""
    dataset = Dataset()
    dataset.parse(DATA / "fixture.trig", format="trig")
    graphs: dict[str, Graph] = {}
    for context in dataset.graphs():
        if isinstance(context.identifier, URIRef) and len(context):
            g = Graph()
            for triple in context:
                g.add(triple)
            graphs[str(context.identifier)] = g
    graphs[f"{BASE}graph/ontology"] = Graph().parse(ontology_file(), format="turtle")
    return graphs
