"""The corpus loads with 0 SHACL violations and every quality check (queries/checks/) returns no
rows; and each check does find the defect it is about when one is seeded."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pipeline_sample import sample_extraction
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV

from ccmkg.loaders.emit import OA, emit, graph_iri, ontology_graph_iri
from ccmkg.loaders.extract import decode
from ccmkg.loaders.pipeline import ensure_ontology, load_paths, ontology_graph
from ccmkg.model.terms import CCM
from ccmkg.resources import corpus_files, queries_dir
from ccmkg.settings import Settings

SETTINGS = Settings()
BASE = SETTINGS.base_iri
CHECKS = sorted((queries_dir() / "checks").glob("*-violation.rq"))


def run_checks(store) -> dict[str, list]:
    out = {}
    for path in CHECKS:
        # The header is documentation; dropped here because RemoteStore hands the text to
        # SPARQLWrapper, whose query-type sniffing reads words such as "loaded" in comments.
        text = path.read_text(encoding="utf-8")
        body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
        rows = store.select(body).rows
        if rows:
            out[path.name] = rows[:5]
    return out


def test_there_are_checks():
    assert len(CHECKS) >= 10


def test_corpus_loads_clean(store):
    """0 SHACL violations per document and over the union; no check returns a row; every
    passage's quote is the original file's text at its offsets."""
    report = load_paths(store, SETTINGS, corpus_files())
    assert report.rejected == []
    assert len(report.documents) == len(corpus_files())
    assert run_checks(store) == {}

    from ccmkg.validation import package_validator

    union = Graph()
    for g in store.graphs():
        if g != ontology_graph_iri(BASE):
            union += store.graph_triples(g)
    result = package_validator().validate(union)
    assert result.counts["Violation"] == 0, [r.as_dict() for r in result.results][:5]

    texts = {p.name: decode(p.read_bytes()) for p in corpus_files()}
    rows = store.select(
        """PREFIX ccm: <https://ccm-kg.org/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?name ?exact ?start ?end WHERE {
          ?p a ccm:Passage ; oa:hasSource ?d ; oa:hasSelector ?q, ?s .
          ?d ccm:fileName ?name . ?q oa:exact ?exact . ?s oa:start ?start ; oa:end ?end }"""
    ).rows
    assert len(rows) > 100
    wrong = [
        r for r in rows if texts[str(r["name"])][int(r["start"]) : int(r["end"])] != str(r["exact"])
    ]
    assert wrong == []


# --- each check finds its defect ------------------------------------------------------------

Mutation = Callable[[Graph], None]


def _one(g: Graph, cls: URIRef) -> URIRef:
    return sorted(g.subjects(RDF.type, cls))[0]


def drop_source(g: Graph) -> None:
    g.remove((_one(g, CCM.Apology), PROV.wasDerivedFrom, None))


def cite_foreign_passage(g: Graph) -> None:
    g.add((_one(g, CCM.Apology), PROV.wasDerivedFrom, URIRef(f"{BASE}id/doc/0/passage/1-2")))


def stretch_quote(g: Graph) -> None:
    q = _one(g, OA.TextQuoteSelector)
    exact = g.value(q, OA.exact)
    g.set((q, OA.exact, Literal(str(exact) + "!")))


def drop_selector(g: Graph) -> None:
    p = _one(g, CCM.Passage)
    for sel in list(g.objects(p, OA.hasSelector)):
        if (sel, RDF.type, OA.TextPositionSelector) in g:
            g.remove((p, OA.hasSelector, sel))


def drop_holder(g: Graph) -> None:
    g.remove((_one(g, CCM.PostHolding), CCM.holder, None))


def drop_meeting_date(g: Graph) -> None:
    g.remove((_one(g, CCM.CoordinationCommitteeMeeting), DCTERMS.date, None))


def misdate_attestation(g: Graph) -> None:
    g.set((_one(g, CCM.Attestation), DCTERMS.date, Literal("1999-01-01", datatype=XSD.date)))


def reverse_term(g: Graph) -> None:
    holding = next(g.subjects(ORG.memberDuring, None))
    term = g.value(holding, ORG.memberDuring)
    g.set((term, CCM.endDate, Literal("1990-01-01", datatype=XSD.date)))


def misname_graph(g: Graph) -> None:
    doc = _one(g, CCM.Document)
    g.set((doc, CCM.sha256, Literal("f" * 64)))


def half_conflict(g: Graph) -> None:
    c = _one(g, CCM.Conflict)
    g.remove((c, CCM.conflictingClaim, sorted(g.objects(c, CCM.conflictingClaim))[0]))


def untyped_event(g: Graph) -> None:
    g.remove((_one(g, CCM.ObligationEvent), CCM.eventType, None))


DEFECTS: dict[str, Mutation] = {
    "fact-without-passage-violation.rq": drop_source,
    "fact-passage-elsewhere-violation.rq": cite_foreign_passage,
    "passage-quote-offsets-violation.rq": stretch_quote,
    "passage-incomplete-violation.rq": drop_selector,
    "holding-incomplete-violation.rq": drop_holder,
    "meeting-without-date-violation.rq": drop_meeting_date,
    "attestation-date-violation.rq": misdate_attestation,
    "interval-order-violation.rq": reverse_term,
    "document-graph-violation.rq": misname_graph,
    "conflict-unlinked-violation.rq": half_conflict,
    "obligation-event-incomplete-violation.rq": untyped_event,
}


def test_every_check_has_a_seeded_defect():
    assert sorted(DEFECTS) == [p.name for p in CHECKS]


@pytest.fixture
def sample_store(store):
    ensure_ontology(store, BASE)
    x = sample_extraction()
    store.replace_graphs({graph_iri(BASE, x.document.sha256): emit(x, BASE).graph})
    assert run_checks(store) == {}
    return store


@pytest.mark.parametrize("check", sorted(DEFECTS))
def test_each_check_finds_its_defect(sample_store, check):
    x = sample_extraction()
    g = emit(x, BASE).graph
    DEFECTS[check](g)
    sample_store.replace_graphs({graph_iri(BASE, x.document.sha256): g})
    found = run_checks(sample_store)
    assert check in found


def test_a_file_loaded_twice_is_found(sample_store):
    x = sample_extraction()
    sample_store.replace_graphs({f"{BASE}graph/doc/{'0' * 16}": emit(x, BASE).graph})
    assert "document-graph-violation.rq" in run_checks(sample_store)


def test_ontology_graph_is_the_ontology(sample_store):
    assert sample_store.graphs()[ontology_graph_iri(BASE)] == len(ontology_graph())
