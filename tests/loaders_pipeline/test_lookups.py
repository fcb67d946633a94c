"""The part of a document the loader stages for lookups (`loaders/lookups.py`) answers every
lookup query exactly as the whole document does: checked on the corpus and the layout
variants (meetings stated twice with other values, persons spelled two ways)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from ccmkg.loaders.crossdoc import FUNCTIONAL, PASSAGE_QUERY, QUERY, VALUES_QUERY
from ccmkg.loaders.emit import emit_set, graph_iri
from ccmkg.loaders.extract import extract_document
from ccmkg.loaders.lookups import lookup_part
from ccmkg.loaders.persons import EVIDENCE_QUERY
from ccmkg.loaders.tripleset import TripleSet
from ccmkg.model.terms import CCM
from ccmkg.resources import corpus_files
from ccmkg.store.embedded import _Dataset, _run
from ccmkg.store.rdfterms import ntriples

BASE = "https://ccm-kg.org/"
VARIANTS = Path(__file__).resolve().parent.parent / "data" / "variants"


def _graphs() -> dict[str, TripleSet]:
    out = {}
    for path in list(corpus_files()) + sorted(VARIANTS.glob("*.txt")):
        raw = path.read_bytes()
        x = extract_document(path, raw)
        x.document.sha256 = hashlib.sha256(raw).hexdigest()
        x.document.file_name = path.name
        out[graph_iri(BASE, x.document.sha256)] = emit_set(x, BASE)[1]
    return out


def _store(texts: dict[str, str]) -> ox.Store:
    store = ox.Store()
    for g, text in texts.items():
        store.load(text.encode(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(g))
    return store


def _answer(store: ox.Store, query: str, **bound: Node) -> set[object]:
    """Run as the staging store runs it (its default graph: the union of its graphs)."""
    result = _run(store, query, bound, _Dataset(union=True))
    if isinstance(result, ox.QuerySolutions):
        return {tuple(row) for row in result}
    return {str(t) for t in result}  # type: ignore[union-attr]


def test_the_staged_part_answers_every_lookup_as_the_whole_document() -> None:
    graphs = _graphs()
    whole = _store({g: ntriples(t) for g, t in graphs.items()})
    part = _store({g: lookup_part(t).text for g, t in graphs.items()})
    assert len(part) < len(whole) / 2, "the part is not smaller: nothing gained"
    asked = conflicts = evidence = 0
    passages: set[object] = set()
    subjects = {s for t in graphs.values() for s in t.subjects() if isinstance(s, URIRef)}
    for s in sorted(subjects):
        stated = _answer(whole, VALUES_QUERY, m=s)
        assert _answer(part, VALUES_QUERY, m=s) == stated
        for p in FUNCTIONAL:
            values = {r for r in stated if r[1] == ox.NamedNode(str(p))}  # type: ignore[index]
            for term in {o for t in graphs.values() for o in t.objects(s, p)}:
                rows = _answer(whole, QUERY, m=s, p=p, o=term)
                assert _answer(part, QUERY, m=s, p=p, o=term) == rows
                passages |= {r[3] for r in rows}
                asked += 1
            conflicts += len(values) > 1
        rows = _answer(whole, EVIDENCE_QUERY, person=s)
        assert _answer(part, EVIDENCE_QUERY, person=s) == rows
        passages |= {r[0] for r in rows}
        evidence += bool(rows)
    for passage in sorted(p.value for p in passages if isinstance(p, ox.NamedNode)):
        node = URIRef(passage)
        assert _answer(part, PASSAGE_QUERY, p=node) == _answer(whole, PASSAGE_QUERY, p=node)
    assert asked > 100 and conflicts > 0 and evidence > 10 and len(passages) > 100


def test_a_triple_added_to_a_document_that_a_lookup_could_read_means_staging_all_of_it() -> None:
    graph = next(iter(_graphs().values()))
    part = lookup_part(graph)
    meeting = next(s for s, p, _ in graph if p in FUNCTIONAL)
    passage = next(iter(graph.objects(meeting, PROV.wasDerivedFrom)))
    conflict = URIRef(f"{BASE}id/fact/conflict/x")
    node = [(conflict, RDF.type, CCM.Conflict), (conflict, PROV.wasDerivedFrom, passage)]
    assert part.covers(node)  # a conflict node, as `crossdoc` adds one
    assert not part.covers([(conflict, CCM.ordinal, Literal(3))])  # a trigger predicate
    assert not part.covers([(passage, RDFS.comment, Literal("x"))])  # about a staged node
