"""Run the package's shapes on data + ontology: with pyshacl (the reference, `validate`) or
with the engine the package ships (`validate_shipped`, the `shacl` engine, ~50× faster).

tests/validation/test_package_engine.py proves the two give the same results, messages
included, on valid.ttl and every invalid example, so the per-example tests use the fast one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyshacl
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.namespace import SH

from ccmkg.resources import ontology_file, shape_files
from ccmkg.validation import PACKAGE_ENGINE, package_validator

SHAPES_NS = "https://ccm-kg.org/shapes#"
CCMSH = Namespace(SHAPES_NS)
DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Finding:
    shape: str  # local name in ccmsh:, or the raw node for an anonymous shape
    severity: str  # Violation | Warning | Info
    message: str
    focus: str


@lru_cache(maxsize=1)
def ontology() -> Graph:
    return Graph().parse(ontology_file(), format="turtle")


@lru_cache(maxsize=1)
def shapes() -> Graph:
    g = Graph()
    for path in shape_files():
        g.parse(path, format="turtle")
    return g


def parse(*paths: Path) -> Graph:
    g = Graph()
    for path in paths:
        g.parse(path, format="turtle")
    return g


def validate(data: Graph, *, as_ont_graph: bool = False) -> tuple[bool, list[Finding]]:
    """pyshacl over `data` + ontology, merged as ccmkg.validation does (subclass targets need it).

    `as_ont_graph`: hand the ontology to pyshacl's own ont_graph mixing instead of merging.
    """
    merged = data if as_ont_graph else data + ontology()
    conforms, report, _ = pyshacl.validate(
        merged,
        shacl_graph=shapes(),
        ont_graph=ontology() if as_ont_graph else None,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    assert isinstance(report, Graph)
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(result, SH.sourceShape)
        severity = report.value(result, SH.resultSeverity)
        name = str(shape)
        if isinstance(shape, URIRef) and name.startswith(SHAPES_NS):
            name = name[len(SHAPES_NS) :]
        findings.append(
            Finding(
                shape=name,
                severity=str(severity).rsplit("#", 1)[-1],
                message=str(report.value(result, SH.resultMessage) or ""),
                focus=str(report.value(result, SH.focusNode)),
            )
        )
    return bool(conforms), findings


def validate_shipped(data: Graph) -> tuple[bool, list[Finding]]:
    """`validate`, on the package's own engine (ccmkg.validation.PACKAGE_ENGINE)."""
    report = package_validator(PACKAGE_ENGINE).validate(data)
    findings = []
    for result in report.results:
        name = result.shape or ""
        if name.startswith(SHAPES_NS):
            name = name[len(SHAPES_NS) :]
        findings.append(Finding(name, result.severity, result.message, result.focus))
    return report.conforms, findings
