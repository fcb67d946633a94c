"""The package's shapes run on the fast `shacl` engine because it gives pyshacl's verdicts on
them: the valid example and every hand-written invalid example, compared result by result,
messages included."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from rdflib import Graph

from ccmkg.validation import PACKAGE_ENGINE, package_validator

EXAMPLES = Path(__file__).resolve().parents[1] / "ontology" / "data"
CASES = yaml.safe_load((EXAMPLES / "invalid" / "index.yaml").read_text(encoding="utf-8"))["cases"]


def _data(*files: Path) -> Graph:
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


def _verdicts(engine: str, data: Graph) -> tuple[bool, Counter[tuple[str | None, ...]]]:
    """Conformance and each result's verdict key with its message (what a steward reads:
    tests/ontology/test_ontology_invalid_examples.py checks messages on the fast engine)."""
    report = package_validator(engine).validate(data)
    return report.conforms, Counter((*r.verdict_key(), r.message) for r in report.results)


def test_the_package_engine_is_the_fast_one() -> None:
    assert PACKAGE_ENGINE == "shacl"


@pytest.mark.parametrize("case", [None, *CASES], ids=["valid", *(c["file"] for c in CASES)])
def test_fast_engine_gives_pyshacl_verdicts_on_the_package_shapes(case: dict | None) -> None:
    files = [EXAMPLES / "valid.ttl"]
    if case is not None:
        files.append(EXAMPLES / "invalid" / case["file"])
    data = _data(*files)
    assert _verdicts("shacl", data) == _verdicts("pyshacl", data)
