"""The package's shapes run on the fast `shacl` engine, and the whole store is checked in place
by the `sparql` engine (our shapes compiled to SPARQL), because both give pyshacl's verdicts on
them: the valid example and every hand-written invalid example, compared result by result.

pyshacl, the reference, runs once per example and both engines are compared with that run (it
costs most of this module's time: it parses its SPARQL constraints anew at every call)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from rdflib import Graph

from ccmkg.validation import PACKAGE_ENGINE, Report, package_validator

EXAMPLES = Path(__file__).resolve().parents[1] / "ontology" / "data"
CASES = yaml.safe_load((EXAMPLES / "invalid" / "index.yaml").read_text(encoding="utf-8"))["cases"]


def _data(*files: Path) -> Graph:
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


def _with_messages(report: Report) -> tuple[bool, Counter[tuple[str | None, ...]]]:
    """Conformance and each result's verdict key with its message (what a steward reads:
    tests/ontology/test_ontology_invalid_examples.py checks messages on the fast engine)."""
    return report.conforms, Counter((*r.verdict_key(), r.message) for r in report.results)


def _verdicts(report: Report) -> tuple[bool, Counter[tuple[str | None, ...]]]:
    """Conformance and each result's verdict key (the `sparql` engine writes its own messages
    for the checks it compiles)."""
    return report.conforms, Counter(r.verdict_key() for r in report.results)


def test_the_package_engine_is_the_fast_one() -> None:
    assert PACKAGE_ENGINE == "shacl"


@pytest.mark.parametrize("case", [None, *CASES], ids=["valid", *(c["file"] for c in CASES)])
def test_fast_and_sparql_engines_give_pyshacl_verdicts_on_every_example(
    case: dict | None,
) -> None:
    files = [EXAMPLES / "valid.ttl"]
    if case is not None:
        files.append(EXAMPLES / "invalid" / case["file"])
    data = _data(*files)
    want = package_validator("pyshacl").validate(data)
    fast = package_validator("shacl").validate(data)
    compiled = package_validator("sparql").validate(data)
    assert _with_messages(fast) == _with_messages(want), "the `shacl` engine differs"
    assert _verdicts(compiled) == _verdicts(want), "the `sparql` engine differs"
    if case is not None:  # the seeded defect is found, by the shape the index names
        shapes = {r.shape for r in compiled.results}
        assert f"https://ccm-kg.org/shapes#{case['shape']}" in shapes
