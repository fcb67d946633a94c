"""The `sparql` engine (our shapes compiled to SPARQL, ccmkg/shacl_sparql.py) gives pyshacl's
verdicts on synthetic data (on the valid example and every seeded defect: test_package_engine.py);
on a store already indexed as on data handed over; and it hands shapes it cannot compile to
pyshacl."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from rdflib import Graph

from ccmkg.rdf_input import TURTLE, parse_rdf
from ccmkg.settings import Settings
from ccmkg.shacl_sparql import StoreSource, Unsupported, compile_shapes, run_checks
from ccmkg.validation import ENGINES, Report, SparqlShapes, Validator, package_validator

EXAMPLES = Path(__file__).resolve().parents[1] / "ontology" / "data"
CASES = yaml.safe_load((EXAMPLES / "invalid" / "index.yaml").read_text(encoding="utf-8"))["cases"]
BENCH = Path(__file__).resolve().parents[2] / "bench" / "validate.py"


def _bench() -> object:
    """bench/validate.py's `synth`: CCM-shaped data with one seeded defect per 20k triples."""
    spec = importlib.util.spec_from_file_location("bench_validate", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_validate", module)
    spec.loader.exec_module(module)
    return module


def _data(*files: Path) -> Graph:
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


def _verdicts(report: Report) -> tuple[bool, Counter[tuple[str | None, ...]]]:
    return report.conforms, Counter(r.verdict_key() for r in report.results)


def test_the_package_shapes_compile_whole() -> None:
    """No fallback for our own shapes: every shape became queries."""
    validator = package_validator("sparql")
    assert isinstance(validator._compiled, SparqlShapes)
    components = {c.component for c in validator._compiled.checks}
    assert {"SPARQLConstraintComponent", "XoneConstraintComponent", "OrConstraintComponent",
            "MinCountConstraintComponent", "ClassConstraintComponent"} <= components  # fmt: skip


def test_in_place_on_an_indexed_store_equals_handed_over_data() -> None:
    text, defects = _bench().synth(45_000)  # type: ignore[attr-defined]
    validator = package_validator("sparql")
    store = ox.Store()
    store.bulk_load(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    store.bulk_load(validator.ontology.ntriples.encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    in_place = validator.validate_store(store)
    handed = validator.validate(text)
    assert defects == 2 and not in_place.conforms
    assert _verdicts(in_place) == _verdicts(handed) == _verdicts(package_validator().validate(text))
    checks = validator._compiled.checks  # type: ignore[attr-defined]
    one = Counter((v.check, v.focus, v.value) for v in run_checks(store, checks, workers=1))
    four = Counter((v.check, v.focus, v.value) for v in run_checks(store, checks, workers=4))
    assert one == four and sum(one.values()) == len(in_place.results)


@pytest.mark.slow
def test_sparql_engine_gives_pyshacl_verdicts_on_synthetic_data() -> None:
    text, defects = _bench().synth(45_000)  # type: ignore[attr-defined]
    got = package_validator("sparql").validate(text)
    want = package_validator("pyshacl").validate(text)
    assert defects == 2
    assert _verdicts(got) == _verdicts(want)


UNSUPPORTED = b"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ; sh:property [ sh:path ex:p ] .
"""
DATA = b"""
@prefix ex: <http://example.org/> .
ex:a a ex:C ; ex:p 1 ; ex:q 2 .
"""


def test_shapes_outside_the_subset_go_to_pyshacl_whole() -> None:
    shapes = parse_rdf(UNSUPPORTED, TURTLE, source="shapes").graph
    with pytest.raises(Unsupported):
        compile_shapes(shapes)
    assert not isinstance(ENGINES["sparql"].compile(shapes), SparqlShapes)
    data = parse_rdf(DATA, TURTLE, source="data").graph
    got = Validator(shapes, engine="sparql").validate(data)
    want = Validator(shapes, engine="pyshacl").validate(data)
    assert not got.conforms
    assert _verdicts(got) == _verdicts(want)


def test_a_store_is_validated_in_place_only_by_the_sparql_engine() -> None:
    with pytest.raises(ValueError, match="cannot validate a store"):
        package_validator("shacl").validate_store(ox.Store())


def test_the_report_graph_says_what_the_results_say() -> None:
    data = _data(EXAMPLES / "valid.ttl", EXAMPLES / "invalid" / "10-meeting-ends-before-begins.ttl")
    report = package_validator("sparql").validate(data)
    assert not report.conforms
    assert "ends (ccm:endDate" in report.results[0].message  # {?end} filled in
    assert "sh:ValidationResult" in report.turtle and "sh:conforms false" in report.turtle


COUNTED = b"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
  sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:maxCount 1 ] ;
  sh:property [ sh:path ex:q ; sh:class ex:D ] ;
  sh:property [ sh:path ( ex:r ex:kind ) ; sh:hasValue ex:K ] .
ex:X a sh:NodeShape ; sh:targetClass ex:M ; sh:xone ( [ sh:class ex:K1 ] [ sh:class ex:K2 ] ) .
"""
CONFORMING = b"""
@prefix ex: <http://example.org/> .
ex:a a ex:C ; ex:p 1 ; ex:q ex:d ; ex:r ex:ra . ex:d a ex:D . ex:ra ex:kind ex:K .
ex:m1 a ex:M, ex:K1 . ex:m2 a ex:M, ex:K2 .
"""
# Outside the targets: two values of ex:p, a value of ex:q that is no ex:D, a node of both
# kinds, an ex:r of another kind. Inside: ex:b has no ex:p nor ex:r, ex:m3 no kind. The
# counts no longer prove anything, so every check runs, and finds only ex:b and ex:m3.
TRICKY = b"""
@prefix ex: <http://example.org/> .
ex:z ex:p 1, 2 ; ex:r ex:zr . ex:zr ex:kind ex:K2 . ex:y ex:q "not a D" . ex:o a ex:K1, ex:K2 .
ex:b a ex:C . ex:m3 a ex:M .
"""


class Recording(StoreSource):
    """A pyoxigraph store that remembers which queries ran."""

    def __init__(self, store: ox.Store) -> None:
        super().__init__(store)
        self.ran: list[str] = []

    def select(self, query: str) -> tuple[set[str], object]:  # type: ignore[override]
        self.ran.append(query)
        return super().select(query)


def _store(*turtle: bytes) -> ox.Store:
    store = ox.Store()
    for text in turtle:
        store.load(text, ox.RdfFormat.TURTLE)
    return store


def test_counts_skip_only_the_checks_they_prove_empty() -> None:
    shapes = parse_rdf(COUNTED, TURTLE, source="shapes").graph
    checks = compile_shapes(shapes)
    counted = {"MinCountConstraintComponent", "MaxCountConstraintComponent",
               "ClassConstraintComponent", "XoneConstraintComponent",
               "HasValueConstraintComponent"}  # fmt: skip
    assert {c.component for c in checks if c.proof} == counted

    source = Recording(_store(CONFORMING))
    assert run_checks(source, checks) == []
    assert not {c.query for c in checks if c.component in counted} & set(source.ran)

    source = Recording(_store(CONFORMING, TRICKY))
    found = run_checks(source, checks)
    assert {c.query for c in checks if c.component in counted} <= set(source.ran)
    assert {(v.check.component, v.focus.value) for v in found} == {
        ("MinCountConstraintComponent", "http://example.org/b"),
        ("HasValueConstraintComponent", "http://example.org/b"),
        ("XoneConstraintComponent", "http://example.org/m3"),
    }
    # the kinds stay apart, yet ex:m3 has none: the cover count alone must let the check run
    kindless = b"@prefix ex: <http://example.org/> . ex:m3 a ex:M ."
    found = run_checks(_store(CONFORMING, kindless), checks)
    assert [(v.check.component, v.focus.value) for v in found] == [
        ("XoneConstraintComponent", "http://example.org/m3")
    ]
    data = parse_rdf(CONFORMING + TRICKY, TURTLE, source="data").graph
    want = Validator(shapes, engine="pyshacl").validate(data)
    assert _verdicts(Validator(shapes, engine="sparql").validate(data)) == _verdicts(want)


@pytest.mark.parametrize("case", ["05-meeting-without-kind.ttl", "18-holding-two-holders.ttl",
                                  "29-passage-without-source.ttl",
                                  "31-passage-source-not-document.ttl"])  # fmt: skip
def test_a_store_behind_the_port_gives_pyshacl_verdicts(tmp_path: Path, case: str) -> None:
    """The served store's path: each query through `Store.select`, under one deadline."""
    from ccmkg.resources import ontology_file
    from ccmkg.store import open_store

    data = _data(EXAMPLES / "valid.ttl", EXAMPLES / "invalid" / case)
    onto = Graph().parse(ontology_file(), format="turtle")
    store = open_store(Settings(store=str(tmp_path / "store"), query_workers=1))
    try:
        store.replace_graphs({"https://ccm-kg.org/graph/data": data,
                              "https://ccm-kg.org/graph/ontology": onto})  # fmt: skip
        got = package_validator("sparql").validate_store(store, timeout_s=120)
    finally:
        store.close()
    want = package_validator("pyshacl").validate(data)
    assert not got.conforms
    assert _verdicts(got) == _verdicts(want)
