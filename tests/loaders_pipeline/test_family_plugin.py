"""A document genre is a plug-in: one object (name, ontology IRI, detector, extractor).

A toy family, registered in a temporary registry next to the shipped ones, reads a document
end to end: detection, its own extractor built from the shared readers, emission with its
IRI, SHACL against an ontology that declares that IRI, and one write into a real embedded
store. Discovery is by module (pkgutil): nothing lists the families.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from ccmkg.loaders.extract import extract_document
from ccmkg.loaders.pipeline import default_validator, load_paths, ontology_graph
from ccmkg.loaders.readers.attendance import read_attendance
from ccmkg.loaders.readers.context import Ctx
from ccmkg.loaders.readers.head import read_document_head
from ccmkg.loaders.readers.holdings import read_sentence_holdings
from ccmkg.loaders.records import Extraction, MeetingRecord
from ccmkg.loaders.registry import Family, Registry, default_registry, discover
from ccmkg.model.terms import CCM
from ccmkg.resources import corpus_files, shape_files
from ccmkg.settings import Settings
from ccmkg.validation import Validator

SETTINGS = Settings()
TOY_IRI = URIRef("https://example.org/ccm-test/ToyMemo")
TOY_TEXT = """TOY MEMO ON OUTREACH
Wednesday 7 March 2029

PRESENT:
Fiji
Mongolia

1. Universalization
Fiji, on behalf of the Coordinators on Universalization, reported on its outreach.
"""


def _detect(head: str) -> int:
    return 5 if re.search(r"\btoy\s+memo\b", head, re.I) else 0


def _extract(ctx: Ctx) -> None:
    """A memo of a workshop: its head, who attended, and posts stated in sentences."""
    head = read_document_head(ctx, re.compile(r"memo", re.I))
    doc = ctx.ex.document
    ctx.ex.meeting = MeetingRecord("workshop", doc.date, head.date_passage or doc.passage)
    read_attendance(ctx)
    read_sentence_holdings(ctx)


TOY = Family("toy-memo", TOY_IRI, _detect, _extract, priority=99)


def toy_registry() -> Registry:
    return Registry([*default_registry(), TOY])


def toy_reader(path: Path, raw: bytes) -> Extraction:
    return extract_document(path, raw, toy_registry())


def toy_validator():  # type: ignore[no-untyped-def]
    """The package's shapes, with an ontology that declares the toy family."""
    onto = Graph() + ontology_graph()
    onto.add((TOY_IRI, RDF.type, CCM.DocumentFamily))
    onto.add((TOY_IRI, RDFS.label, Literal("toy memo", lang="en")))
    shapes = Graph()
    for path in shape_files():
        shapes.parse(path, format="turtle")
    validator = Validator(shapes, onto)

    def validate(graph: Graph, context: Graph | None = None) -> tuple[bool, list[str]]:
        report = validator.validate(graph, context=context)
        return report.conforms, [r.message for r in report.results if r.severity == "Violation"]

    return validate


def test_a_toy_family_loads_a_document_end_to_end(embedded_store, tmp_path: Path) -> None:
    path = tmp_path / "toy.txt"
    path.write_text(TOY_TEXT, encoding="utf-8")
    report = load_paths(
        embedded_store, SETTINGS, [path], extractor=toy_reader, validate=toy_validator()
    )
    assert report.rejected == [] and [d.status for d in report.documents] == ["new"]
    rows = embedded_store.select(
        "PREFIX ccm: <https://ccm-kg.org/ontology#> "
        "SELECT ?family WHERE { ?d a ccm:Document ; ccm:documentFamily ?family }"
    ).rows
    assert [r["family"] for r in rows] == [TOY_IRI]
    assert report.facts["attendance"] == 2
    assert report.facts["holding"] == 1


def test_a_family_iri_the_ontology_does_not_declare_is_rejected(embedded_store, tmp_path):
    path = tmp_path / "toy.txt"
    path.write_text(TOY_TEXT, encoding="utf-8")
    report = load_paths(
        embedded_store, SETTINGS, [path], extractor=toy_reader, validate=default_validator()
    )
    assert report.documents == [] and len(report.rejected) == 1
    assert "ccm:DocumentFamily" in " ".join(report.rejected[0].details)


def test_adding_a_family_leaves_the_others_detected_as_before() -> None:
    before, after = default_registry(), toy_registry()
    for path in corpus_files():
        ex = extract_document(path, path.read_bytes(), after)
        assert ex.document.family == before.detect(path.read_text(encoding="utf-8")).name
    assert after.detect(TOY_TEXT) is TOY


def test_families_are_discovered_by_module(tmp_path: Path, monkeypatch) -> None:
    """A package of family modules is a registry; a module without FAMILY is an error."""
    pkg = tmp_path / "toyfamilies"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "memo.py").write_text(
        "from rdflib import URIRef\n"
        "from ccmkg.loaders.registry import Family\n"
        f"FAMILY = Family('toy-memo', URIRef('{TOY_IRI}'), lambda head: 1, lambda ctx: None)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert [f.name for f in discover("toyfamilies")] == ["toy-memo"]
    (pkg / "helper.py").write_text("X = 1\n")
    sys.modules.pop("toyfamilies", None)
    with pytest.raises(TypeError, match="must export FAMILY"):
        discover("toyfamilies")


def test_registry_refuses_two_families_of_one_name_and_two_fallbacks() -> None:
    registry = Registry([TOY])
    with pytest.raises(ValueError, match="twice"):
        registry.register(TOY)
    with pytest.raises(ValueError, match="one fallback"):
        Registry([*default_registry(), Family("x", TOY_IRI, _detect, _extract, fallback=True)])


def test_every_shipped_family_names_a_document_family_of_the_ontology() -> None:
    declared = set(ontology_graph().subjects(RDF.type, CCM.DocumentFamily))
    assert {f.iri for f in default_registry()} <= declared
    assert len({f.iri for f in default_registry()}) == len(default_registry())
