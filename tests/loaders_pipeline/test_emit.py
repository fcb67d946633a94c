"""emit.py on hand-made records: provenance, the IRI policy, typing, determinism, conflicts."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from pipeline_sample import FRE, TEXT, sample_extraction, span
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV

from ccmkg.loaders.emit import CCM, OA, emit
from ccmkg.loaders.records import ObligationEventRecord
from ccmkg.resources import ontology_file

BASE = "https://ccm-kg.org/"


@pytest.fixture(scope="module")
def emitted():
    return emit(sample_extraction(), BASE)


@pytest.fixture(scope="module")
def g(emitted) -> Graph:
    return emitted.graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_file(), format="turtle")


def _fact_classes(ontology: Graph) -> set[URIRef]:
    return {c for c in ontology.transitive_subjects(URIRefs.subclass, CCM.Fact)}


class URIRefs:
    subclass = URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")


def test_every_fact_node_derives_from_a_passage_of_its_document(g, ontology, emitted):
    facts = [s for c in _fact_classes(ontology) for s in g.subjects(RDF.type, c)]
    assert len(facts) == sum(emitted.facts.values()) == 18  # not the unresolved attendance
    for fact in facts:
        passages = list(g.objects(fact, PROV.wasDerivedFrom))
        assert passages, fact
        for p in passages:
            assert (p, RDF.type, CCM.Passage) in g
            assert g.value(p, OA.hasSource) == emitted.document


def test_passage_quotes_are_the_text_at_their_offsets(g):
    passages = list(g.subjects(RDF.type, CCM.Passage))
    assert passages
    for p in passages:
        selectors = set(g.objects(p, OA.hasSelector))
        (quote,) = [s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in g]
        (position,) = [s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in g]
        start, end = g.value(position, OA.start), g.value(position, OA.end)
        assert start.datatype == XSD.nonNegativeInteger
        assert TEXT[start.toPython() : end.toPython()] == str(g.value(quote, OA.exact))
        assert str(p).endswith(f"/passage/{start}-{end}")


def test_same_records_give_the_same_graph():
    one, two = emit(sample_extraction(), BASE).graph, emit(sample_extraction(), BASE).graph
    assert set(one) == set(two)  # no blank nodes: equal as sets, hence isomorphic


def test_no_blank_nodes(g):
    from rdflib import BNode

    assert not [t for t in g if any(isinstance(x, BNode) for x in t)]


def test_every_ccm_term_is_declared_in_the_ontology(g, ontology):
    used = {t for triple in g for t in triple if isinstance(t, URIRef) and t.startswith(str(CCM))}
    undeclared = {t for t in used if (t, None, None) not in ontology}
    assert not undeclared


def test_iris_follow_the_policy(g, emitted):
    sha = hashlib.sha256(TEXT.encode()).hexdigest()
    doc = URIRef(f"{BASE}id/doc/{sha[:16]}")
    assert emitted.document == doc
    assert (doc, CCM.sha256, Literal(sha)) in g
    meeting = URIRef(f"{BASE}id/meeting/coordination-committee-2099-03-03")
    assert (doc, CCM.recordsMeeting, meeting) in g
    assert (meeting, RDF.type, CCM.CoordinationCommitteeMeeting) in g
    state = URIRef(f"{BASE}id/state/FRD")
    assert (state, CCM.iso3, Literal("FRD")) in g
    post = URIRef(f"{BASE}id/post/coordinator/universalization")
    assert (post, CCM.coversArea, CCM.Universalization) in g
    key = f"{state}|{post}|{CCM.Coordinator}|2098-2099"
    holding = URIRef(f"{BASE}id/holding/{hashlib.sha1(key.encode()).hexdigest()[:16]}")
    assert (holding, RDF.type, CCM.PostHolding) in g
    presidency = URIRef(f"{BASE}id/post/presidency/msp-40")
    assert (presidency, CCM.presidencyOf, URIRef(f"{BASE}id/meeting/msp-40")) in g
    assert (URIRef(f"{BASE}id/meeting/msp-40"), CCM.ordinal, Literal(40)) in g
    assert (None, CCM.ofObligation, URIRef(f"{BASE}id/obligation/FRD/Clearance")) in g


def test_base_iri_is_configurable():
    g = emit(sample_extraction(), "http://example.org/kg").graph
    minted = {
        t for triple in g for t in triple if isinstance(t, URIRef) and not t.startswith(str(CCM))
    }
    assert not {t for t in minted if t.startswith(BASE)}
    assert URIRef("http://example.org/kg/id/state/FRD") in minted


def test_unresolved_names_become_review_items_never_actors(g, emitted):
    """The guardrail (issue #12): no `x-` actor, no fact on it; a ccm:ReviewItem with the
    string, its reason and its passage instead."""
    assert not [t for t in g.all_nodes() if isinstance(t, URIRef) and "/x-" in t]
    assert (None, CCM.needsReview, None) not in g
    (item,) = g.subjects(RDF.type, CCM.ReviewItem)
    assert g.value(item, CCM.reviewText) == Literal("Atlantis Relief Fund")
    assert g.value(item, CCM.reviewReason) == Literal("unresolved-name")
    assert g.value(item, CCM.reviewContext) == Literal("attendance")
    passage = g.value(item, PROV.wasDerivedFrom)
    assert (passage, RDF.type, CCM.Passage) in g
    assert [u.iri for u in emitted.unresolved] == [str(item)]


def test_holding_terms_and_attestations(g):
    stated = [h for h in g.subjects(CCM.termBasis, Literal("mandate-years"))]
    assert len(stated) == 1
    (h,) = stated
    assert set(g.objects(h, CCM.mandateYear)) == {
        Literal("2098", datatype=XSD.gYear),
        Literal("2099", datatype=XSD.gYear),
    }
    interval = g.value(h, ORG.memberDuring)
    assert g.value(interval, CCM.startDate) == Literal("2098-01-01", datatype=XSD.date)
    assert g.value(interval, CCM.endDate) == Literal("2099-12-31", datatype=XSD.date)
    # Two passages name Freedonia as coordinator: the open-term holding has one attestation,
    # the stated-term one another; each attestation is dated with the document's date.
    for att in g.subjects(RDF.type, CCM.Attestation):
        assert g.value(att, DCTERMS.date) == Literal("2099-03-03", datatype=XSD.date)
        assert g.value(att, CCM.inDocument) is not None
        assert (g.value(att, CCM.attests), RDF.type, CCM.PostHolding) in g
    assert len(set(g.subjects(RDF.type, CCM.Attestation))) == 3


def test_participation_keeps_person_honorific_and_role(g):
    person = URIRef(f"{BASE}id/person/ana-perez")
    assert (person, CCM.nameAsWritten, Literal("Ana Pérez")) in g
    (part,) = g.subjects(CCM.participant, person)
    assert g.value(part, CCM.honorific) == Literal("H.E. Ms.")
    intern = g.value(None, CCM.participant, URIRef(f"{BASE}id/person/jo-bloggs"))
    assert g.value(intern, CCM.participantRole) == Literal("Intern")


def test_typed_literals(g):
    meeting = URIRef(f"{BASE}id/meeting/coordination-committee-2099-03-03")
    assert g.value(meeting, DCTERMS.date) == Literal("2099-03-03", datatype=XSD.date)
    assert g.value(meeting, CCM.startTime) == Literal("09:30:00", datatype=XSD.time)
    assert g.value(meeting, CCM.meetingFormat) == CCM.Hybrid
    ap = next(g.subjects(RDF.type, CCM.ActionPoint))
    assert g.value(ap, CCM.dueDate) == Literal("2099-04-01", datatype=XSD.date)


def test_conflict_links_both_claims(g, emitted):
    (conflict,) = g.subjects(RDF.type, CCM.Conflict)
    claims = set(g.objects(conflict, CCM.conflictingClaim))
    assert len(claims) == 2
    assert all((c, RDF.type, CCM.MinutesApproval) in g for c in claims)
    assert {str(v) for v in g.objects(conflict, CCM.claimedValue)} == {
        "2099-02-04",
        "2099-02-05",
    }
    assert len(emitted.conflicts) == 1


def test_article_7_statement_about_initial_reports(g):
    (s,) = g.subjects(RDF.type, CCM.AggregateStatement)
    assert g.value(s, CCM.obligationType) == CCM.InitialReport
    assert g.value(s, CCM.count) == Literal(9)


def test_unknown_event_type_is_a_warning_not_a_guess():
    x = sample_extraction()
    x = dataclasses.replace(
        x,
        obligation_events=[
            ObligationEventRecord(FRE, 4, "no-such-event", span("Freedonia will submit"))
        ],
    )
    out = emit(x, BASE)
    assert not list(out.graph.subjects(RDF.type, CCM.ObligationEvent))
    assert any("no-such-event" in w for w in out.warnings)


def test_sample_conforms_to_the_shapes(g):
    from ccmkg.resources import shape_files
    from ccmkg.validation import package_validator

    assert shape_files(), "no shapes yet"
    report = package_validator().validate(g)
    assert report.conforms, [r.as_dict() for r in report.results if r.severity == "Violation"]
