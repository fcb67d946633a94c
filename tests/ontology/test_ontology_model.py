"""The ontology and the shapes parse, agree with each other, and the valid graph passes."""

from __future__ import annotations

import re

import pytest
from ontology_shacl_run import DATA, SHAPES_NS, ontology, parse, shapes, validate
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, SKOS, XSD

from ccmkg.resources import shape_files

CCM_NS = "https://ccm-kg.org/ontology#"
SHAPE_FILES = {
    *("actor", "meeting", "membership", "obligation", "post", "provenance"),
    *("reference", "review"),
}
# Classes whose individuals the ontology itself defines (reference data, not loaded facts).
REFERENCE_CLASSES = {
    "ThematicArea",
    "TreatyArticle",
    "ObligationType",
    "ObligationEventType",
    "DocumentFamily",
    "MeetingFormat",
    "TermKind",
}
# Constraint parameters: a node using any of them is a shape that constrains something.
PARAMETERS = [
    SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH["in"],
    SH.hasValue, SH["or"], SH.xone, SH["not"], SH["and"], SH.node, SH.minLength, SH.maxLength,
    SH.minInclusive, SH.maxInclusive, SH.lessThan, SH.qualifiedValueShape, SH.uniqueLang,
    SH.sparql, SH.closed, SH.equals, SH.disjoint,
]  # fmt: skip
TERM_POSITIONS = [
    SH.path, SH["class"], SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.hasValue,
    SH.lessThan, SH.equals, SH.disjoint,
]  # fmt: skip


def ccm_terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(CCM_NS)}


def ccm_classes() -> set[URIRef]:
    return {c for c in ontology().subjects(RDF.type, OWL.Class) if str(c).startswith(CCM_NS)}


def local(term: URIRef) -> str:
    return str(term).rsplit("#", 1)[-1]


def nested_shapes(g: Graph) -> set:
    """Anonymous shapes inside sh:or/xone/and/not/qualifiedValueShape: their message is the
    enclosing shape's."""
    inner = set()
    for p in (SH["or"], SH.xone, SH["and"]):
        for lst in g.objects(None, p):
            inner.update(Collection(g, lst))
    inner.update(g.objects(None, SH["not"]))
    inner.update(g.objects(None, SH.qualifiedValueShape))
    return inner


def constraining_shapes(g: Graph) -> set:
    inner = nested_shapes(g)
    found = {s for p in PARAMETERS for s in g.subjects(p, None)}
    return found - inner


# --- parsing and metadata --------------------------------------------------------------------


def test_ontology_has_iri_version_iri_label_and_definition() -> None:
    g = ontology()
    onto = URIRef("https://ccm-kg.org/ontology")
    assert (onto, RDF.type, OWL.Ontology) in g
    assert g.value(onto, OWL.versionIRI) is not None
    assert g.value(onto, RDFS.label) is not None
    assert g.value(onto, SKOS.definition) is not None


def test_there_is_one_shape_file_per_area_and_each_parses_alone() -> None:
    assert {p.stem for p in shape_files()} == SHAPE_FILES
    for path in shape_files():
        assert len(Graph().parse(path, format="turtle")) > 0, path


@pytest.mark.parametrize("term", sorted(ccm_terms(ontology())), ids=local)
def test_every_declared_term_has_a_label_and_a_definition(term: URIRef) -> None:
    g = ontology()
    assert g.value(term, RDFS.label) is not None, f"{term} has no rdfs:label"
    assert g.value(term, SKOS.definition) is not None, f"{term} has no skos:definition"
    assert g.value(term, RDF.type) is not None, f"{term} is used but never declared"


def test_every_term_the_shapes_use_is_declared_in_the_ontology() -> None:
    g, onto = shapes(), ontology()
    used: set[URIRef] = set()
    for p in TERM_POSITIONS:
        used.update(o for o in g.objects(None, p) if isinstance(o, URIRef))
    for lst in g.objects(None, SH["in"]):
        used.update(o for o in Collection(g, lst) if isinstance(o, URIRef))
    for query in g.objects(None, SH.select):
        used.update(URIRef(CCM_NS + name) for name in re.findall(r"\bccm:(\w+)", str(query)))
    builtin = {RDFS.label, RDF.type}
    undeclared = sorted(t for t in used if t not in builtin and onto.value(t, RDF.type) is None)
    assert undeclared == []


def test_every_ccm_class_is_the_target_of_a_shape() -> None:
    targets = set(shapes().objects(None, SH.targetClass))
    assert sorted(local(c) for c in ccm_classes() - targets) == []


# --- shape quality ---------------------------------------------------------------------------


def test_every_constraint_has_a_message_and_a_deliberate_severity() -> None:
    g = shapes()
    missing = []
    for shape in constraining_shapes(g):
        messages = list(g.objects(shape, SH.message)) + [
            m for c in g.objects(shape, SH.sparql) for m in g.objects(c, SH.message)
        ]
        if not messages or g.value(shape, SH.severity) is None:
            missing.append(str(shape))
        for m in messages:
            assert len(str(m)) >= 40 and m.language == "en", (shape, m)
    assert missing == []


def test_shapes_are_named_so_reports_say_which_rule_failed() -> None:
    anonymous = [s for s in constraining_shapes(shapes()) if not str(s).startswith(SHAPES_NS)]
    assert anonymous == []


def test_sparql_constraints_are_isolated_in_their_own_shapes() -> None:
    g = shapes()
    sparql_shapes = set(g.subjects(SH.sparql, None))
    assert {local(s) for s in sparql_shapes} == {"Meeting-endDate-order", "Interval-order"}
    for shape in sparql_shapes:
        others = [p for p in PARAMETERS if p != SH.sparql and (shape, p, None) in g]
        assert others == [] and (shape, SH.property, None) not in g, shape


def test_a_fact_without_a_source_is_a_violation_and_a_missing_spelling_a_warning() -> None:
    g = shapes()
    assert g.value(URIRef(SHAPES_NS + "Fact-source-required"), SH.severity) == SH.Violation
    assert g.value(URIRef(SHAPES_NS + "Person-spelling"), SH.severity) == SH.Warning


# --- the valid example -------------------------------------------------------------------------


def test_valid_example_covers_every_class() -> None:
    data = parse(DATA / "valid.ttl")
    merged = data + ontology()
    uncovered = []
    for cls in sorted(ccm_classes()):
        kinds = set(merged.transitive_subjects(RDFS.subClassOf, cls))
        source = merged if local(cls) in REFERENCE_CLASSES else data
        if not any(True for k in kinds for _ in source.subjects(RDF.type, k)):
            uncovered.append(local(cls))
    assert uncovered == []


def test_valid_example_conforms_with_no_result_at_all() -> None:
    conforms, findings = validate(parse(DATA / "valid.ttl"))
    assert conforms and findings == []


def test_valid_example_also_conforms_with_the_ontology_as_pyshacl_ont_graph() -> None:
    """pyshacl's ont_graph copies only OWL/RDFS-typed nodes: individuals are owl:NamedIndividual."""
    conforms, findings = validate(parse(DATA / "valid.ttl"), as_ont_graph=True)
    assert conforms and findings == []


def test_the_ontology_itself_conforms_to_the_shapes() -> None:
    conforms, findings = validate(Graph())
    assert conforms and findings == []


def test_xsd_namespace_used_for_typing_only() -> None:
    """Datatypes in the shapes are XSD ones: what the emitter writes with rdflib Literals."""
    datatypes = set(shapes().objects(None, SH.datatype))
    assert datatypes and all(str(d).startswith(str(XSD)) for d in datatypes)


def test_domains_and_ranges_are_declared_classes_or_xsd_datatypes() -> None:
    g = ontology()
    bad = []
    for p in (RDFS.domain, RDFS.range):
        for prop, cls in g.subject_objects(p):
            declared = (cls, RDF.type, OWL.Class) in g or str(cls).startswith(str(XSD))
            if not declared:
                bad.append(f"{local(prop)} {local(p)} {cls}")
    assert bad == []
