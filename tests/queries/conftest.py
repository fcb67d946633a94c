"""Fixtures of the query tests: the hand-written fixture graph loaded into the `store` fixture."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, Graph, URIRef

from ccmkg.catalogue import Catalogue, to_records
from ccmkg.resources import ontology_file
from ccmkg.store import Store

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


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return Catalogue.load(base_iri=BASE)


@pytest.fixture
def fixture_store(store: Store) -> Store:
    """The parametrised `store` (embedded and remote) holding the fixture graph."""
    store.replace_graphs(fixture_graphs())
    return store


@pytest.fixture(scope="session")
def run_records() -> Callable[..., list[dict[str, Any]]]:
    """Rows of a named query as plain records (IRIs and literals as JSON-ready values)."""

    def run(catalogue: Catalogue, store: Store, name: str, **params: str) -> list[dict[str, Any]]:
        return to_records(catalogue.run(store, name, params))

    return run
